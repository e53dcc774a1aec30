package no.personvern.benchmark;

import static no.personvern.testing.TestDatabases.arguments;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import no.personvern.Personvern;
import no.personvern.retention.RetentionRun;
import no.personvern.retention.RetentionRuns;
import no.personvern.testing.Api;
import no.personvern.testing.HeapPeak;
import no.personvern.testing.TestDatabases;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Issue 6 on PostgreSQL: a sweep that deletes N (default 1,000,000) expired Go Mobile documents,
 * rows and blob files, while writers keep creating people over HTTP; reports rows/s and the
 * writers' latency before and during the sweep. The documents (10 per person, each with a 4-byte
 * file, uploaded 10 ms apart and stored in arrival order as real uploads are) and their owners are
 * seeded with SQL and plain file writes, to keep hours of uploads out of
 * the run; the sweep itself is the application's. Not a test: it asserts only that everything went.
 * Run with {@code bench/retention.sh}; figures go to {@code target/benchmark/retention.md}.
 */
@Tag("benchmark")
class RetentionBenchmark {

    private static final int DOCUMENTS = Integer.getInteger("benchmark.documents", 1_000_000);
    private static final int PER_PERSON = 10;
    private static final int WRITERS = Integer.getInteger("benchmark.writers", 4);
    /** Writes per second in all, spread over the writers; each is timed from when it was due. */
    private static final int RATE = Integer.getInteger("benchmark.rate", 50);
    private static final String BATCH = System.getProperty("benchmark.batch", "5000");
    private static final String PAUSE = System.getProperty("benchmark.pause", "PT0S");
    private static final int BASELINE_SECONDS = 20;
    /** The blob store's deleting threads (BlobStore.DELETERS): the bare limit unlinks with as many. */
    private static final int UNLINKERS = 8;

    private final StringBuilder report = new StringBuilder();

    @Test
    void sweepAMillionExpiredDocumentsWhileWritersWrite() throws Exception {
        Map<String, Object> properties = new HashMap<>(TestDatabases.freshDatabase("benchmark-retention"));
        properties.put("server.port", "0");
        properties.put("personvern.admin-token", Api.ADMIN_TOKEN);
        properties.put("personvern.retention.cron", "-");
        properties.put("personvern.retention.batch-size", BATCH);
        properties.put("personvern.retention.batch-pause", PAUSE);
        properties.put("spring.datasource.hikari.maximum-pool-size", "16");
        properties.put("logging.level.root", "WARN");
        try (ConfigurableApplicationContext context = new SpringApplicationBuilder(Personvern.class)
                .run(arguments(properties))) {
            JdbcClient jdbc = context.getBean(JdbcClient.class);
            Path blobs = Path.of((String) properties.get("personvern.data-dir")).resolve("blobs");
            line("# Retention benchmark — %s", Instant.now());
            line("");
            line("- documents: %,d (%d per person, %,d people); batch %s, pause %s; writers: %d HTTP clients at %d"
                    + " writes/s in all; machine: %d cores, JVM max heap %,d MiB", DOCUMENTS, PER_PERSON,
                    DOCUMENTS / PER_PERSON, BATCH, PAUSE, WRITERS, RATE, Runtime.getRuntime().availableProcessors(),
                    Runtime.getRuntime().maxMemory() >> 20);
            int port = Integer.parseInt(context.getEnvironment().getProperty("local.server.port"));

            // The limit: the same shape of data seeded the same way, deleted by bare statements and unlinked
            // by as many threads as the blob store has, with the writers running as they will during the sweep.
            seed(jdbc, blobs, "the bare limit's set");
            settle(jdbc);
            writersAlone(port);
            Limit limit = bareLimit(context, jdbc, port);
            line("- **bare limit** (`DELETE FROM subject_document WHERE id = ANY(?)`, %s ids per statement and commit,"
                    + " then the files unlinked by %d threads): %,d rows in %.1f s + %,d files in %.1f s = %.1f s ="
                    + " **%,.0f rows/s**; writers meanwhile: p99 %s", BATCH, UNLINKERS, limit.rows(), limit.deleteSeconds(),
                    limit.files(), limit.unlinkSeconds(), limit.seconds(), limit.rows() / limit.seconds(),
                    ms(limit.writersP99()));

            // The sweep's set: seeded, settled and left for as long as the limit's set was before its measurement.
            seed(jdbc, blobs, "the sweep's set");
            settle(jdbc);
            writersAlone(port);
            HeapPeak.reset();
            Writers during = new Writers(port);
            during.start();
            long started = System.nanoTime();
            RetentionRun run = context.getBean(RetentionRuns.class).run(false, null);
            double seconds = (System.nanoTime() - started) / 1e9;
            // The files follow the rows: the run is over when its last batch commits, the files when the queue is empty.
            long queuedAtEnd = queued(jdbc);
            while (Boolean.TRUE.equals(jdbc.sql("SELECT EXISTS (SELECT 1 FROM blob_deletion)").query(Boolean.class)
                    .single())) {
                Thread.sleep(50);
            }
            double drained = (System.nanoTime() - started) / 1e9;
            during.stop();
            long deleted = run.deleted().getOrDefault("documents", 0L);
            long rowsLeft = jdbc.sql("SELECT COUNT(*) FROM subject_document").query(Long.class).single();
            long filesLeft;
            try (var files = Files.walk(blobs)) {
                filesLeft = files.filter(Files::isRegularFile).count();
            }
            double bare = limit.rows() / limit.seconds();
            line("- sweep: status %s, %,d documents deleted in %.1f s = **%,.0f rows/s = %.2f× the bare limit**"
                    + " (target ≥ 0.6×); %,d files still queued when the run ended", run.status(), deleted, seconds,
                    deleted / seconds, deleted / seconds / bare, queuedAtEnd);
            line("- the last file gone (queue empty) %.1f s after the start = **%,.0f documents/s with their files ="
                    + " %.2f× the bare limit**; rows left %,d, files left %,d", drained, deleted / drained,
                    deleted / drained / bare, rowsLeft, filesLeft);
            line("- writers during the sweep and until the last file was gone: %,d writes, p50 %s, **p99 %s**"
                    + " (target ≤ 50 ms), max %s", during.count(), ms(during.percentile(50)), ms(during.percentile(99)),
                    ms(during.percentile(100)));
            line("- %s", HeapPeak.line());
            assertThat(run.status()).isEqualTo("completed");
            assertThat(deleted).isEqualTo(DOCUMENTS);
            assertThat(rowsLeft).isZero();
            assertThat(filesLeft).isZero();
        }
        Path out = Path.of("target", "benchmark", "retention.md");
        Files.createDirectories(out.getParent());
        Files.writeString(out, report);
        System.out.println(report);
    }

    /**
     * People with one contract value each, and their documents uploaded four months ago, with files.
     * Seeded twice, the same way, into an empty document table and an empty blob store: once for the
     * bare limit and once for the sweep; each set's people are found by their creation time.
     */
    private void seed(JdbcClient jdbc, Path blobs, String which) throws IOException {
        long started = System.nanoTime();
        int people = DOCUMENTS / PER_PERSON;
        java.time.OffsetDateTime created = java.time.OffsetDateTime.now(java.time.ZoneOffset.UTC)
                .truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
        jdbc.sql("""
                INSERT INTO subject (id, key_id, created_at, updated_at)
                SELECT gen_random_uuid(), gen_random_uuid(), :created, :created FROM generate_series(1, :people)""")
                .param("people", people).param("created", created).update();
        jdbc.sql("""
                INSERT INTO subject_value (id, subject_id, category, system_key, activity_key, purposes, collected_at,
                                           key_id, ciphertext)
                SELECT gen_random_uuid(), id, 'user.name', 'go-mobile', 'service-delivery', 'essential.service', now(),
                       key_id, decode(md5(id::text), 'hex')
                FROM subject WHERE created_at = :created""").param("created", created).update();
        // Uploads arrive over time: 10 ms apart, stored in the order they came, oldest first.
        jdbc.sql("""
                INSERT INTO subject_document (id, subject_id, kind, system_key, activity_key, category, content_type,
                                              size_bytes, key_id, uploaded_at)
                SELECT gen_random_uuid(), people.ids[1 + (g.i % :people)], 'image', 'go-mobile', 'mobile-uploads',
                       'user.content.image', 'image/jpeg', 4, gen_random_uuid(),
                       now() - interval '4 months' - ((:documents - g.i) * interval '10 milliseconds')
                FROM generate_series(1, :documents) AS g(i),
                     (SELECT array_agg(id) AS ids FROM subject WHERE created_at = :created) AS people
                ORDER BY g.i""")
                .param("people", people).param("documents", DOCUMENTS).param("created", created).update();
        jdbc.sql("ANALYZE").update();
        byte[] content = {1, 2, 3, 4};
        AtomicLong written = new AtomicLong();
        UUID after = new UUID(0, 0);
        List<UUID> ids;
        do {
            ids = jdbc.sql("SELECT id FROM subject_document WHERE id > :after ORDER BY id LIMIT 10000")
                    .param("after", after).query(UUID.class).list();
            for (UUID id : ids) {
                String name = id.toString();
                Path file = blobs.resolve(name.substring(0, 2)).resolve(name + ".bin");
                try {
                    Files.write(file, content);
                } catch (java.nio.file.NoSuchFileException e) {
                    Files.createDirectories(file.getParent());
                    Files.write(file, content);
                }
                written.incrementAndGet();
            }
            if (!ids.isEmpty()) {
                after = ids.get(ids.size() - 1);
            }
        } while (ids.size() == 10000);
        line("- %s: seeded %,d people and %,d documents with %,d files in %.0f s", which, people, DOCUMENTS,
                written.get(), (System.nanoTime() - started) / 1e9);
    }

    /** 10 s of warm-up and 20 s of the writers alone, reported; the same before the limit and before the sweep. */
    private void writersAlone(int port) throws Exception {
        Writers warmUp = new Writers(port);
        warmUp.start();
        Thread.sleep(WRITERS == 0 ? 0 : 10_000L);
        warmUp.stop();
        Writers alone = new Writers(port);
        alone.start();
        Thread.sleep(WRITERS == 0 ? 0 : BASELINE_SECONDS * 1000L);
        alone.stop();
        line("- writers alone (%d s, `POST /api/v1/subjects`): %,d writes, p50 %s, p99 %s", BASELINE_SECONDS,
                alone.count(), ms(alone.percentile(50)), ms(alone.percentile(99)));
    }

    /** Lets the seeding's WAL reach disk and the statistics settle (the previous set's dead rows vacuumed). */
    private static void settle(JdbcClient jdbc) {
        jdbc.sql("CHECKPOINT").update();
        jdbc.sql("VACUUM ANALYZE subject_document").update();
    }

    private static long queued(JdbcClient jdbc) {
        return jdbc.sql("SELECT COUNT(*) FROM blob_deletion").query(Long.class).single();
    }

    /**
     * The physical limit of the sweep's work here: the ids of every document in the sweep's order
     * (read before the clock starts), deleted by bare statements of {@code BATCH} ids, each committed,
     * then their files unlinked by {@link #UNLINKERS} threads, as many as the blob store uses.
     */
    private static Limit bareLimit(ConfigurableApplicationContext context, JdbcClient jdbc, int port) throws Exception {
        int batch = Integer.parseInt(BATCH);
        Path blobs = Path.of(context.getEnvironment().getProperty("personvern.data-dir")).resolve("blobs");
        List<UUID> ids = jdbc.sql("SELECT id FROM subject_document ORDER BY uploaded_at, id").query(UUID.class).list();
        TransactionTemplate transactions = context.getBean(TransactionTemplate.class);
        Writers writers = new Writers(port);
        writers.start();
        long started = System.nanoTime();
        long rows = 0;
        for (int from = 0; from < ids.size(); from += batch) {
            UUID[] chunk = ids.subList(from, Math.min(ids.size(), from + batch)).toArray(UUID[]::new);
            rows += transactions.execute(status -> jdbc.sql("DELETE FROM subject_document WHERE id = ANY(:ids)")
                    .param("ids", chunk).update());
        }
        long deletedAt = System.nanoTime();
        ExecutorService unlinkers = Executors.newFixedThreadPool(UNLINKERS);
        AtomicLong files = new AtomicLong();
        try {
            List<Future<?>> parts = new ArrayList<>();
            int slice = (ids.size() + UNLINKERS - 1) / UNLINKERS;
            for (int from = 0; from < ids.size(); from += slice) {
                List<UUID> part = ids.subList(from, Math.min(ids.size(), from + slice));
                parts.add(unlinkers.submit(() -> {
                    for (UUID id : part) {
                        String name = id.toString();
                        if (Files.deleteIfExists(blobs.resolve(name.substring(0, 2)).resolve(name + ".bin"))) {
                            files.incrementAndGet();
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> part : parts) {
                part.get();
            }
        } finally {
            unlinkers.shutdown();
        }
        long unlinkedAt = System.nanoTime();
        writers.stop();
        return new Limit(rows, files.get(), (deletedAt - started) / 1e9, (unlinkedAt - deletedAt) / 1e9,
                writers.percentile(99));
    }

    private record Limit(long rows, long files, double deleteSeconds, double unlinkSeconds, long writersP99) {
        double seconds() {
            return deleteSeconds + unlinkSeconds;
        }
    }

    /**
     * HTTP clients creating new people at a steady rate (open loop): each write is timed from the
     * moment it was due, so a write held up by the sweep counts its wait too.
     */
    private static final class Writers {
        private final HttpClient http = HttpClient.newHttpClient();
        private final URI uri;
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final ConcurrentLinkedQueue<Long> latencies = new ConcurrentLinkedQueue<>();
        private final ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, WRITERS));
        private final List<Future<?>> done = new ArrayList<>();

        Writers(int port) {
            this.uri = URI.create("http://127.0.0.1:" + port + "/api/v1/subjects");
        }

        void start() {
            for (int i = 0; i < WRITERS; i++) {
                done.add(pool.submit(() -> {
                    long interval = 1_000_000_000L * WRITERS / RATE;
                    long due = System.nanoTime() + ThreadLocalRandom.current().nextLong(interval);
                    while (running.get()) {
                        long wait = due - System.nanoTime();
                        if (wait > 0) {
                            Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                        }
                        String body = "{\"system\":\"go\",\"activity\":\"service-delivery\",\"identities\":{\"email\":"
                                + "\"w-" + UUID.randomUUID() + "@bench.example.no\"},\"data\":{\"user.name\":\"Ny\"}}";
                        HttpRequest request = HttpRequest.newBuilder(uri).header("Content-Type", "application/json")
                                .header("Authorization", "Bearer " + Api.ADMIN_TOKEN)
                                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
                        HttpResponse<Void> response = http.send(request, HttpResponse.BodyHandlers.discarding());
                        latencies.add(System.nanoTime() - due);
                        due += interval;
                        if (response.statusCode() != 201) {
                            throw new IllegalStateException("write answered " + response.statusCode());
                        }
                    }
                    return null;
                }));
            }
        }

        void stop() throws Exception {
            running.set(false);
            for (Future<?> future : done) {
                future.get(1, TimeUnit.MINUTES);
            }
            pool.shutdown();
        }

        long count() {
            return latencies.size();
        }

        long percentile(int percentile) {
            long[] sorted = latencies.stream().mapToLong(Long::longValue).toArray();
            if (sorted.length == 0) {
                return 0;
            }
            Arrays.sort(sorted);
            int index = Math.min(sorted.length - 1, (int) Math.ceil(percentile / 100.0 * sorted.length) - 1);
            return sorted[Math.max(0, index)];
        }
    }

    private static String ms(long nanos) {
        return String.format("%.2f ms", nanos / 1e6);
    }

    private void line(String format, Object... args) {
        report.append(String.format(format, args)).append('\n');
    }
}
