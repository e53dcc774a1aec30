package no.personvern.subjects.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.UUID;
import no.personvern.PersonvernProperties;
import org.springframework.stereotype.Component;

/** Encrypted document files under {@code <data dir>/blobs/}, named by document id only. */
@Component
class BlobStore {

    private static final int DELETERS = 8;

    private final Path root;
    private final java.util.concurrent.ExecutorService deleters = java.util.concurrent.Executors.newFixedThreadPool(
            DELETERS, runnable -> {
                Thread thread = new Thread(runnable, "blob-deleter");
                thread.setDaemon(true);
                return thread;
            });

    BlobStore(PersonvernProperties site) {
        this.root = site.dataDir().resolve("blobs");
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

    /**
     * Deletes many documents' files at once. Unlinking is bound by the file system, not the CPU, so
     * several threads keep it busy: a sweep of a million documents would otherwise spend most of its
     * time here, one file after another.
     */
    void deleteAll(List<UUID> documentIds) {
        if (documentIds.size() < 64) {
            documentIds.forEach(this::delete);
            return;
        }
        List<java.util.concurrent.Future<?>> parts = new java.util.ArrayList<>();
        int slice = (documentIds.size() + DELETERS - 1) / DELETERS;
        for (int from = 0; from < documentIds.size(); from += slice) {
            List<UUID> part = documentIds.subList(from, Math.min(documentIds.size(), from + slice));
            parts.add(deleters.submit(() -> part.forEach(id -> {
                try {
                    Files.deleteIfExists(path(id));
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot delete document " + id, e);
                }
            })));
        }
        for (java.util.concurrent.Future<?> part : parts) {
            try {
                part.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while deleting documents", e);
            } catch (java.util.concurrent.ExecutionException e) {
                throw new IllegalStateException("cannot delete documents", e.getCause());
            }
        }
    }

    @jakarta.annotation.PreDestroy
    void stop() {
        deleters.shutdown();
    }

    void discardIncoming(UUID documentId) {
        try {
            Files.deleteIfExists(path(documentId).resolveSibling(documentId + ".part"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete document " + documentId, e);
        }
    }

    /** The directory the files are under (one sub-directory per first two characters of the id). */
    Path root() {
        return root;
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
