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
import no.personvern.testing.TestDatabases;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

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
            seed(jdbc, blobs);
            int port = Integer.parseInt(context.getEnvironment().getProperty("local.server.port"));

            // Let the seeding's WAL reach disk, the statistics settle and the JIT warm up before measuring.
            jdbc.sql("CHECKPOINT").update();
            jdbc.sql("VACUUM ANALYZE subject_document").update();
            Writers warmUp = new Writers(port);
            warmUp.start();
            Thread.sleep(WRITERS == 0 ? 0 : 10_000L);
            warmUp.stop();
            Writers baseline = new Writers(port);
            baseline.start();
            Thread.sleep(WRITERS == 0 ? 0 : BASELINE_SECONDS * 1000L);
            baseline.stop();
            line("- writers alone (%d s, `POST /api/v1/subjects`): %,d writes, p50 %s, p99 %s", BASELINE_SECONDS,
                    baseline.count(), ms(baseline.percentile(50)), ms(baseline.percentile(99)));

            Writers during = new Writers(port);
            during.start();
            long started = System.nanoTime();
            RetentionRun run = context.getBean(RetentionRuns.class).run(false, null);
            double seconds = (System.nanoTime() - started) / 1e9;
            during.stop();
            long deleted = run.deleted().getOrDefault("documents", 0L);
            long rowsLeft = jdbc.sql("SELECT COUNT(*) FROM subject_document").query(Long.class).single();
            long filesLeft;
            try (var files = Files.walk(blobs)) {
                filesLeft = files.filter(Files::isRegularFile).count();
            }
            line("- sweep: status %s, %,d documents deleted in %.1f s = **%,.0f rows/s** (target ≥ 20,000/s);"
                    + " rows left %,d, files left %,d", run.status(), deleted, seconds, deleted / seconds, rowsLeft,
                    filesLeft);
            line("- writers during the sweep: %,d writes, p50 %s, **p99 %s** (target ≤ 50 ms), max %s", during.count(),
                    ms(during.percentile(50)), ms(during.percentile(99)), ms(during.percentile(100)));
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

    /** People with one contract value each, and their documents uploaded four months ago, with files. */
    private void seed(JdbcClient jdbc, Path blobs) throws IOException {
        long started = System.nanoTime();
        int people = DOCUMENTS / PER_PERSON;
        jdbc.sql("""
                INSERT INTO subject (id, key_id, created_at, updated_at)
                SELECT gen_random_uuid(), gen_random_uuid(), now(), now() FROM generate_series(1, :people)""")
                .param("people", people).update();
        jdbc.sql("""
                INSERT INTO subject_value (id, subject_id, category, system_key, activity_key, purposes, collected_at,
                                           key_id, ciphertext)
                SELECT gen_random_uuid(), id, 'user.name', 'go-mobile', 'service-delivery', 'essential.service', now(),
                       key_id, decode(md5(id::text), 'hex')
                FROM subject""").update();
        // Uploads arrive over time: 10 ms apart, stored in the order they came, oldest first.
        jdbc.sql("""
                INSERT INTO subject_document (id, subject_id, kind, system_key, activity_key, category, content_type,
                                              size_bytes, key_id, uploaded_at)
                SELECT gen_random_uuid(), people.ids[1 + (g.i % :people)], 'image', 'go-mobile', 'mobile-uploads',
                       'user.content.image', 'image/jpeg', 4, gen_random_uuid(),
                       now() - interval '4 months' - ((:documents - g.i) * interval '10 milliseconds')
                FROM generate_series(1, :documents) AS g(i),
                     (SELECT array_agg(id) AS ids FROM subject) AS people
                ORDER BY g.i""")
                .param("people", people).param("documents", DOCUMENTS).update();
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
        line("- seeded %,d people and %,d documents with %,d files in %.0f s", people, DOCUMENTS, written.get(),
                (System.nanoTime() - started) / 1e9);
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
