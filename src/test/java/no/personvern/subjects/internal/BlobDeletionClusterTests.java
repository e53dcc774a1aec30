package no.personvern.subjects.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import no.personvern.testing.Api;
import no.personvern.testing.DatabaseTest;
import no.personvern.testing.Instances;
import no.personvern.testing.Multipart;
import no.personvern.testing.TestDatabases;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The queue of files to delete survives a crash and is shared by the instances of a cluster: what
 * one instance committed and did not unlink, the next start does; two instances working one queue
 * take each file once.
 */
@DatabaseTest
class BlobDeletionClusterTests {

    /** No periodic pass during a test: only the start, the commits and the test wake the workers. */
    private static final Map<String, String> QUIET = Map.of("personvern.documents.deletion-interval", "PT1H",
            "personvern.retention.cron", "-");

    @Test
    void filesASweepCommittedBeforeACrashAreDeletedWhenTheProcessStartsAgain() throws Exception {
        Map<String, Object> database = TestDatabases.freshDatabase("blob-deletion-crash");
        List<Path> files;
        ConfigurableApplicationContext first = Instances.start(database, QUIET);
        try {
            Api api = Instances.api(first);
            List<UUID> documents = expiredDocuments(api, first, 5);
            BlobStore blobs = first.getBean(BlobStore.class);
            files = documents.stream().map(blobs::path).toList();
            // The worker dies first: the sweep's commits land, their files are never unlinked.
            first.getBean(BlobDeletions.class).stop();
            Api.Response run = api.post("/api/v1/retention/runs", Api.ADMIN_TOKEN, "{\"dryRun\":false}");
            assertThat(run.status()).isEqualTo(202);
            JdbcClient jdbc = first.getBean(JdbcClient.class);
            await().atMost(Duration.ofSeconds(30)).until(() -> jdbc.sql("SELECT COUNT(*) FROM retention_run"
                    + " WHERE status = 'completed'").query(Long.class).single() == 1);
            assertThat(jdbc.sql("SELECT COUNT(*) FROM subject_document").query(Long.class).single()).isZero();
            assertThat(queued(jdbc)).isEqualTo(5);
            assertThat(files).allSatisfy(file -> assertThat(file).exists());
        } finally {
            Instances.crash(first);
        }

        try (ConfigurableApplicationContext second = Instances.start(database, QUIET)) {
            JdbcClient jdbc = second.getBean(JdbcClient.class);
            await().atMost(Duration.ofSeconds(30)).until(() -> queued(jdbc) == 0);
            assertThat(files).allSatisfy(file -> assertThat(file).doesNotExist());
        }
    }

    @Test
    void twoInstancesWorkingOneQueueDeleteEachFileOnceAndNeverFail() throws Exception {
        Map<String, Object> database = TestDatabases.freshDatabase("blob-deletion-cluster");
        try (ConfigurableApplicationContext first = Instances.start(database, QUIET);
                ConfigurableApplicationContext second = Instances.start(database, QUIET)) {
            BlobDeletions a = first.getBean(BlobDeletions.class);
            BlobDeletions b = second.getBean(BlobDeletions.class);
            // Only the two passes below work the queue.
            a.stop();
            b.stop();
            BlobStore blobs = first.getBean(BlobStore.class);
            JdbcClient jdbc = first.getBean(JdbcClient.class);
            int count = 4 * BlobDeletions.BATCH;
            List<Path> files = new ArrayList<>();
            List<UUID> ids = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                UUID id = UUID.randomUUID();
                Path file = blobs.path(id);
                Files.createDirectories(file.getParent());
                Files.write(file, new byte[] {1});
                files.add(file);
                ids.add(id);
            }
            OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
            first.getBean(JdbcTemplate.class).batchUpdate("INSERT INTO blob_deletion (document_id, queued_at) VALUES (?, ?)",
                    ids.stream().map(id -> new Object[] {id, now}).toList());
            assertThat(queued(jdbc)).isEqualTo(count);

            CountDownLatch go = new CountDownLatch(1);
            CompletableFuture<Integer> byFirst = CompletableFuture.supplyAsync(() -> drainAfter(go, a));
            CompletableFuture<Integer> bySecond = CompletableFuture.supplyAsync(() -> drainAfter(go, b));
            go.countDown();

            assertThat(byFirst.get() + bySecond.get()).as("each queued file counted once").isEqualTo(count);
            assertThat(queued(jdbc)).isZero();
            assertThat(files).allSatisfy(file -> assertThat(file).doesNotExist());
        }
    }

    private static int drainAfter(CountDownLatch go, BlobDeletions deletions) {
        try {
            go.await();
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
        return deletions.drain();
    }

    private static long queued(JdbcClient jdbc) {
        return jdbc.sql("SELECT COUNT(*) FROM blob_deletion").query(Long.class).single();
    }

    private static List<UUID> expiredDocuments(Api api, ConfigurableApplicationContext app, int count) {
        String subject = api.post("/api/v1/subjects", Api.ADMIN_TOKEN, "{\"system\":\"go-mobile\",\"activity\":"
                + "\"service-delivery\",\"identities\":{\"email\":\"blob-" + UUID.randomUUID()
                + "@example.no\"},\"data\":{\"user.name\":\"Blob\"}}").json().get("id").asString();
        List<UUID> documents = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Api.Response stored = api.postMultipart("/api/v1/subjects/" + subject + "/documents", Api.ADMIN_TOKEN,
                    new Multipart().field("kind", "image").field("system", "go-mobile")
                            .file("file", "bilde.jpg", "image/jpeg", new byte[] {9, 8, 7}));
            assertThat(stored.status()).isEqualTo(201);
            documents.add(UUID.fromString(stored.json().get("id").asString()));
        }
        app.getBean(JdbcClient.class).sql("UPDATE subject_document SET uploaded_at = :at")
                .param("at", OffsetDateTime.now(ZoneOffset.UTC).minusMonths(4)).update();
        return documents;
    }
}
