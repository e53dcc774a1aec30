package no.personvern.benchmark;

import static no.personvern.testing.TestDatabases.arguments;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import no.personvern.Personvern;
import no.personvern.audit.AuditEvent;
import no.personvern.testing.Api;
import no.personvern.testing.HeapPeak;
import no.personvern.testing.TestDatabases;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The audit trail at scale (issue 17), on PostgreSQL, in one instance as production runs it.
 * Chaining: entries of realistic size are put into {@code audit_pending} by SQL (as if that many
 * changes had committed at once) and the production chainer ({@code pv-audit-chain}, every quarter
 * second) moves them into the chain; the rate is entries chained per second from the commit of the
 * seed until the head reaches the last of them. Then the same with writers publishing entries
 * through the application while the chainer works. Verification: {@code GET /api/v1/audit/verify}
 * over HTTP at the first scale and, after more entries are chained, at the full scale, with the
 * heap's peak of each; and a bare read of every row of the chain by JDBC (no hashing) as the limit
 * the disk and the database allow. Not a test: it writes its figures to
 * {@code target/benchmark/audit.md}. Run with {@code bench/audit.sh}.
 */
@Tag("benchmark")
class AuditBenchmark {

    private static final long FIRST = Long.getLong("benchmark.entries", 1_000_000L);
    private static final long FULL = Long.getLong("benchmark.full", 10_000_000L);
    private static final int WRITERS = Integer.getInteger("benchmark.writers", 4);
    private static final long WITH_WRITERS = Long.getLong("benchmark.with-writers", 300_000L);
    private static final boolean CHAINING = Boolean.parseBoolean(System.getProperty("benchmark.chaining", "true"));
    private static final long LIMIT_SAMPLE = Long.getLong("benchmark.limit-sample", 300_000L);

    private final StringBuilder report = new StringBuilder();

    record Happened(String action, UUID subjectId, Map<String, Object> details) implements AuditEvent {
    }

    @Test
    void theAuditTrailAtScale() throws Exception {
        Map<String, Object> properties = new HashMap<>(TestDatabases.freshDatabase("benchmark-audit"));
        properties.put("server.port", "0");
        properties.put("personvern.admin-token", Api.ADMIN_TOKEN);
        properties.put("personvern.retention.cron", "-");
        properties.put("logging.level.root", "WARN");
        try (ConfigurableApplicationContext context = new SpringApplicationBuilder(Personvern.class)
                .run(arguments(properties))) {
            JdbcClient jdbc = context.getBean(JdbcClient.class);
            int port = Integer.parseInt(context.getEnvironment().getProperty("local.server.port"));
            line("# Audit benchmark — %s", Instant.now());
            line("");
            line("- machine: %d cores, JVM max heap %,d MiB, %s; PostgreSQL %s", Runtime.getRuntime().availableProcessors(),
                    Runtime.getRuntime().maxMemory() >> 20, System.getProperty("java.version"),
                    jdbc.sql("SHOW server_version").query(String.class).single());
            line("- load average at the start: %s", loadAverage());
            line("");
            line("| phase | entries | seconds | entries/s | heap peak | note |");
            line("|---|---|---|---|---|---|");

            if (CHAINING) {
                double limit = bareMove(jdbc, Math.min(FIRST, LIMIT_SAMPLE));
                double rate = chain(jdbc, FIRST, "chaining, no other writers");
                line("| ratio chaining / bare move | | | **%.2f×** | | |", rate / limit);
                chainWithWriters(context, jdbc);
            } else {
                seedChain(context, jdbc, FIRST);
            }
            verify(jdbc, port, head(jdbc));
            if (FULL > head(jdbc)) {
                seedChain(context, jdbc, FULL);
                verify(jdbc, port, head(jdbc));
            }
            line("");
            line("- load average at the end: %s", loadAverage());
            line("- heap peak: the pools' peaks summed since the phase began (garbage included), JVM -Xmx %,d MiB;"
                    + " %s", HeapPeak.maxMiB(), HeapPeak.line());
        }
        Path out = Path.of("target", "benchmark", "audit.md");
        Files.createDirectories(out.getParent());
        Files.writeString(out, report);
        System.out.println(report);
    }

    /** {@code count} pending entries by SQL in one commit, then the time until the chainer has chained them all. */
    private double chain(JdbcClient jdbc, long count, String phase) throws InterruptedException {
        long target = head(jdbc) + count;
        seedPending(jdbc, "audit_pending", count);
        HeapPeak.reset();
        long started = System.nanoTime();
        while (head(jdbc) < target) {
            Thread.sleep(50);
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        row(phase, count, seconds, "production chainer (every 0.25 s)");
        return count / seconds;
    }

    /**
     * The limit of chaining on this machine now: the same kind of rows moved by SQL alone from a copy
     * of {@code audit_pending} into a copy of {@code audit_entry} (same columns, same indexes), in
     * batches of the chainer's size, each one statement and one commit; hashes made up by the
     * database, nothing read into Java.
     */
    private double bareMove(JdbcClient jdbc, long count) {
        jdbc.sql("DROP TABLE IF EXISTS bench_entry").update();
        jdbc.sql("DROP TABLE IF EXISTS bench_pending").update();
        jdbc.sql("CREATE TABLE bench_entry (LIKE audit_entry INCLUDING ALL)").update();
        jdbc.sql("CREATE TABLE bench_pending (LIKE audit_pending INCLUDING ALL)").update();
        seedPending(jdbc, "bench_pending", count);
        HeapPeak.reset();
        long started = System.nanoTime();
        long moved = 0;
        int batch;
        do {
            batch = jdbc.sql("""
                    WITH moved AS (DELETE FROM bench_pending WHERE id IN (SELECT id FROM bench_pending ORDER BY id LIMIT 5000)
                                   RETURNING *)
                    INSERT INTO bench_entry (seq, at, actor, action, subject_ref, details, prev_hash, hash)
                    SELECT id, at, actor, action, subject_ref, details, md5(id::text) || md5(details),
                           md5(details) || md5(id::text) FROM moved""").update();
            moved += batch;
        } while (batch > 0);
        double seconds = (System.nanoTime() - started) / 1e9;
        row("bare move by SQL (the limit)", moved, seconds, "the same rows moved by one statement a batch of 5,000,"
                + " into a copy of the table with the same indexes; no hashing");
        jdbc.sql("DROP TABLE bench_entry").update();
        jdbc.sql("DROP TABLE bench_pending").update();
        return moved / seconds;
    }

    private void chainWithWriters(ConfigurableApplicationContext context, JdbcClient jdbc) throws Exception {
        long before = head(jdbc);
        seedPending(jdbc, "audit_pending", WITH_WRITERS);
        HeapPeak.reset();
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong written = new AtomicLong();
        ExecutorService threads = Executors.newFixedThreadPool(WRITERS);
        List<Future<?>> running = new ArrayList<>();
        long started = System.nanoTime();
        for (int w = 0; w < WRITERS; w++) {
            int writer = w;
            running.add(threads.submit(() -> {
                for (int i = 0; !stop.get(); i++) {
                    context.publishEvent(new Happened("subject.read", UUID.randomUUID(),
                            Map.of("categories", List.of("contact", "identity"), "system", "crm",
                                    "activity", "service-delivery", "writer", writer, "n", i)));
                    written.incrementAndGet();
                }
            }));
        }
        while (head(jdbc) < before + WITH_WRITERS) {
            Thread.sleep(50);
        }
        stop.set(true);
        for (Future<?> thread : running) {
            thread.get();
        }
        threads.shutdown();
        long total = WITH_WRITERS + written.get();
        while (head(jdbc) < before + total) {
            Thread.sleep(50);
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        row("chaining with %d writers publishing entries".formatted(WRITERS), total, seconds,
                "%,d seeded + %,d written by the writers (%.0f/s) while chaining".formatted(WITH_WRITERS, written.get(),
                        written.get() / seconds));
    }

    private void verify(JdbcClient jdbc, int port, long length) throws Exception {
        // The limit: every row of the chain read by JDBC in pages of the same size, each column read
        // as the verification reads it, nothing hashed.
        HeapPeak.reset();
        long started = System.nanoTime();
        long[] read = new long[2];
        for (long from = 1; from <= length; from += 10_000) {
            jdbc.sql("""
                    SELECT seq, at, actor, action, subject_ref, details, prev_hash, hash
                    FROM audit_entry WHERE seq >= :from ORDER BY seq LIMIT 10000""")
                    .param("from", from).query((org.springframework.jdbc.core.RowCallbackHandler) rs -> {
                        read[0]++;
                        read[1] += rs.getLong(1) + rs.getObject(2, java.time.OffsetDateTime.class).getNano()
                                + rs.getString(3).length() + rs.getString(4).length()
                                + String.valueOf(rs.getString(5)).length() + rs.getString(6).length()
                                + rs.getString(7).length() + rs.getString(8).length();
                    });
        }
        double bare = (System.nanoTime() - started) / 1e9;
        row("bare read of the chain (the limit)", read[0], bare, "the same pages and columns by JDBC, no hashing");

        HttpClient client = HttpClient.newHttpClient();
        HeapPeak.reset();
        started = System.nanoTime();
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port
                + "/api/v1/audit/verify")).header("Authorization", "Bearer " + Api.ADMIN_TOKEN)
                .timeout(Duration.ofMinutes(30)).GET().build(), HttpResponse.BodyHandlers.ofString());
        double seconds = (System.nanoTime() - started) / 1e9;
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode result = JsonMapper.builder().build().readTree(response.body());
        assertThat(result.get("valid").asBoolean()).as(response.body()).isTrue();
        assertThat(result.get("entries").asLong()).isEqualTo(length);
        row("`GET /api/v1/audit/verify`", length, seconds, "%s; %.2f× the bare read's time".formatted(response.body(),
                seconds / bare));
    }

    /**
     * Extends the chain to {@code length} entries, a valid chain: each entry hashed here in the
     * canonical form (written out again here, independently of the application's hasher, so that
     * the verification checks it), inserted 10,000 a statement, the secondary indexes
     * dropped before and built again after, as a restore would; then the head moved to the last.
     */
    private void seedChain(ConfigurableApplicationContext context, JdbcClient jdbc, long length) throws Exception {
        long started = System.nanoTime();
        long from = head(jdbc) + 1;
        String previous = jdbc.sql("SELECT hash FROM audit_head WHERE id = 1").query(String.class).single();
        List<Map<String, Object>> indexes = jdbc.sql("""
                SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema()
                AND tablename = 'audit_entry' AND indexname <> 'audit_entry_pkey'""").query().listOfRows();
        for (Map<String, Object> index : indexes) {
            jdbc.sql("DROP INDEX " + index.get("indexname")).update();
        }
        java.security.MessageDigest sha = java.security.MessageDigest.getInstance("SHA-256");
        java.util.HexFormat hex = java.util.HexFormat.of();
        Instant base = Instant.parse("2025-01-01T00:00:00Z");
        String[] actors = {"system", "token:00000000-0000-0000-0000-000000000001",
            "staff:00000000-0000-0000-0000-000000000002"};
        String[] actions = {"subject.read", "subject.written", "consent.recorded", "request.opened", "retention.swept",
            "disclosure.recorded"};
        int chunk = 10_000;
        StringBuilder canonical = new StringBuilder(512);
        for (long start = from; start <= length; start += chunk) {
            int size = (int) Math.min(chunk, length - start + 1);
            Long[] seqs = new Long[size];
            String[][] text = new String[7][size];
            for (int i = 0; i < size; i++) {
                long n = start + i;
                String at = base.plusMillis(n).plusNanos(((n % 999) + 1) * 1000).toString();
                long person = n % 1_000_000;
                String ref = n % 10 == 0 ? null
                        : "s_" + hex.toHexDigits(person) + hex.toHexDigits(person * 0x9E3779B97F4A7C15L);
                String details = "{\"activity\":\"service-delivery\",\"categories\":[\"contact\",\"identity\"],\"n\":"
                        + n + ",\"request\":\"" + hex.toHexDigits(n * 0x9E3779B97F4A7C15L) + hex.toHexDigits(n)
                        + "\",\"system\":\"crm\",\"trace\":\"" + "x".repeat((int) (n % 64)) + "\"}";
                String[] fields = {Long.toString(n), at, actors[(int) (n % 3)], actions[(int) (n % 6)],
                    ref == null ? "" : ref, details, previous};
                canonical.setLength(0);
                for (String field : fields) {
                    canonical.append(field.length()).append(':').append(field);
                }
                String hash = hex.formatHex(sha.digest(canonical.toString()
                        .getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
                seqs[i] = n;
                text[0][i] = at;
                text[1][i] = fields[2];
                text[2][i] = fields[3];
                text[3][i] = ref;
                text[4][i] = details;
                text[5][i] = previous;
                text[6][i] = hash;
                previous = hash;
            }
            jdbc.sql("""
                    INSERT INTO audit_entry (seq, at, actor, action, subject_ref, details, prev_hash, hash)
                    SELECT * FROM unnest(CAST(:seq AS bigint[]), CAST(:at AS timestamptz[]), CAST(:actor AS text[]),
                        CAST(:action AS text[]), CAST(:ref AS text[]), CAST(:details AS text[]), CAST(:prev AS text[]),
                        CAST(:hash AS text[]))""")
                    .param("seq", seqs).param("at", text[0]).param("actor", text[1]).param("action", text[2])
                    .param("ref", text[3]).param("details", text[4]).param("prev", text[5]).param("hash", text[6])
                    .update();
        }
        jdbc.sql("UPDATE audit_head SET seq = :seq, hash = :hash WHERE id = 1").param("seq", length)
                .param("hash", previous).update();
        for (Map<String, Object> index : indexes) {
            jdbc.sql((String) index.get("indexdef")).update();
        }
        jdbc.sql("VACUUM ANALYZE audit_entry").update();
        line("| seeded a valid chain up to %,d entries | %,d | %.1f | %,.0f | | hashed in the benchmark, inserted 10,000 a statement, indexes"
                + " built again (%d) |", length, length - from + 1, (System.nanoTime() - started) / 1e9,
                (length - from + 1) / ((System.nanoTime() - started) / 1e9), indexes.size());
    }

    /**
     * Entries as the application writes them: an actor, an action, a subject's pseudonym and
     * details of 100 to 200 characters, times rising.
     */
    private static void seedPending(JdbcClient jdbc, String table, long count) {
        jdbc.sql("INSERT INTO " + table + """
                 (at, actor, action, subject_ref, details)
                SELECT now() - interval '1 day' + make_interval(secs => n::float8 / 1000),
                       (ARRAY['system', 'token:00000000-0000-0000-0000-000000000001',
                              'staff:00000000-0000-0000-0000-000000000002'])[1 + n % 3],
                       (ARRAY['subject.read', 'subject.written', 'consent.recorded', 'request.opened',
                              'retention.swept', 'disclosure.recorded'])[1 + n % 6],
                       's_' || substr(md5((n % 1000000)::text), 1, 32),
                       '{"activity":"service-delivery","categories":["contact","identity"],"n":' || n
                           || ',"request":"' || md5(n::text) || '","system":"crm"' || repeat(' ', (n % 64)::int) || '}'
                FROM generate_series(1, :count) n""").param("count", count).update();
    }

    private static long head(JdbcClient jdbc) {
        return jdbc.sql("SELECT seq FROM audit_head WHERE id = 1").query(Long.class).single();
    }

    private void row(String phase, long entries, double seconds, String note) {
        line("| %s | %,d | %.1f | **%,.0f** | %,d MiB | %s |", phase, entries, seconds, entries / seconds,
                HeapPeak.peakMiB(), note);
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (java.io.IOException e) {
            return "unknown";
        }
    }

    private void line(String format, Object... args) {
        report.append(String.format(format, args)).append('\n');
        System.out.println(String.format(format, args));
    }
}
