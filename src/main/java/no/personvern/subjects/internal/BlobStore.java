package no.personvern.subjects.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.UUID;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/** Encrypted document files under {@code <data dir>/blobs/}, named by document id only. */
@Component
class BlobStore {

    private final Path root;

    BlobStore(@Value("${personvern.data-dir}") Path dataDir) {
        this.root = dataDir.resolve("blobs");
    }

    Path incoming(UUID documentId) throws IOException {
        Path path = path(documentId).resolveSibling(documentId + ".part");
        Files.createDirectories(path.getParent());
        return path;
    }

    void commit(UUID documentId) throws IOException {
        Files.move(path(documentId).resolveSibling(documentId + ".part"), path(documentId),
                StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    void discardIncoming(UUID documentId) {
        try {
            Files.deleteIfExists(path(documentId).resolveSibling(documentId + ".part"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete document " + documentId, e);
        }
    }

    Path path(UUID documentId) {
        String name = documentId.toString();
        return root.resolve(name.substring(0, 2)).resolve(name + ".bin");
    }

    void delete(UUID documentId) {
        try {
            Files.deleteIfExists(path(documentId));
            Files.deleteIfExists(path(documentId).resolveSibling(documentId + ".part"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete document " + documentId, e);
        }
    }
}
