package no.personvern.subjects.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import no.personvern.subjects.HeldExports;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Files in the blob store that nothing refers to: no document row and no export another module
 * holds ({@link HeldExports}), and older than {@code personvern.documents.orphan-age}. A crash
 * leaves them between writing an upload's file and committing its row, or between a commit that
 * dropped a row and the unlink, had the row not been queued. The age keeps every upload in
 * progress: its file is written (renamed from {@code .part}) and its row committed within one
 * request, long before the age. A file whose row is queued for deletion is due anyway and may go here.
 */
@Component
class OrphanCheck {

    private static final Pattern NAME = Pattern.compile(
            "([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\\.(bin|part)");
    /** Candidates looked up per query. */
    private static final int BATCH = 1000;

    private final BlobStore blobs;
    private final JdbcClient jdbc;
    private final List<HeldExports> exports;
    private final Clock clock;
    private final Duration age;

    OrphanCheck(BlobStore blobs, JdbcClient jdbc, List<HeldExports> exports, Clock clock, SubjectsProperties settings) {
        this.blobs = blobs;
        this.jdbc = jdbc;
        this.exports = exports;
        this.clock = clock;
        this.age = settings.documents().orphanAge();
    }

    /** Deletes the orphans older than the age; returns how many files it deleted. */
    int check() {
        Path root = blobs.root();
        if (!Files.isDirectory(root)) {
            return 0;
        }
        Instant cutoff = clock.instant().minus(age);
        List<Candidate> batch = new ArrayList<>();
        int[] deleted = {0};
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
                    Matcher name = NAME.matcher(file.getFileName().toString());
                    if (attributes.isRegularFile() && name.matches()
                            && attributes.lastModifiedTime().toInstant().isBefore(cutoff)) {
                        batch.add(new Candidate(UUID.fromString(name.group(1)), file));
                        if (batch.size() == BATCH) {
                            deleted[0] += settle(batch);
                            batch.clear();
                        }
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) {
                    // Gone since the directory was listed (the deletion worker, an erasure): nothing to check.
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot walk the blob store", e);
        }
        deleted[0] += settle(batch);
        return deleted[0];
    }

    private int settle(List<Candidate> candidates) {
        if (candidates.isEmpty()) {
            return 0;
        }
        Set<UUID> ids = new HashSet<>();
        candidates.forEach(candidate -> ids.add(candidate.id()));
        Set<UUID> rowless = new HashSet<>(ids);
        rowless.removeAll(jdbc.sql("SELECT id FROM subject_document WHERE id = ANY(:ids)")
                .param("ids", ids.toArray(UUID[]::new)).query(UUID.class).list());
        // Asked only about the files without a document row: usually none.
        Set<UUID> held = new HashSet<>();
        if (!rowless.isEmpty()) {
            exports.forEach(export -> held.addAll(export.held(rowless)));
        }
        int deleted = 0;
        for (Candidate candidate : candidates) {
            if (rowless.contains(candidate.id()) && !held.contains(candidate.id())) {
                try {
                    if (Files.deleteIfExists(candidate.file())) {
                        deleted++;
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot delete an orphaned file", e);
                }
            }
        }
        return deleted;
    }

    private record Candidate(UUID id, Path file) {
    }
}
