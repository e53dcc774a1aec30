package no.personvern.benchmark;

import static no.personvern.testing.TestDatabases.arguments;
import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import no.personvern.Personvern;
import no.personvern.subjects.Identities;
import no.personvern.subjects.SubjectWrite;
import no.personvern.subjects.Vault;
import no.personvern.testing.Api;
import no.personvern.testing.HeapPeak;
import no.personvern.testing.TestDatabases;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The vault at scale, on PostgreSQL (issue 3): load N people (default 1,000,000) through the vault,
 * then measure look-ups by e-mail, {@code GET /api/v1/subjects/{id}} over HTTP with 16 concurrent
 * clients (wrk), and the same look-up as direct indexed SQL with 16 concurrent connections. Not a
 * test: it asserts only that the run completed, and writes its figures to
 * {@code target/benchmark/vault.md}. Run with {@code bench/vault.sh}.
 */
@Tag("benchmark")
class VaultBenchmark {

    private static final int PEOPLE = Integer.getInteger("benchmark.people", 1_000_000);
    private static final int LOADERS = Integer.getInteger("benchmark.loaders", 8);
    private static final int SINGLE_WRITES = Integer.getInteger("benchmark.single-writes", 20_000);
    private static final int IMPORTERS = Integer.getInteger("benchmark.importers", 3);
    private static final int BATCH = 500;
    private static final int LOOKUPS = Integer.getInteger("benchmark.lookups", 20_000);
    private static final int CLIENTS = 16;
    private static final String DURATION = System.getProperty("benchmark.duration", "30s");
    /** Measure again on the people an earlier run loaded (same PostgreSQL database), without loading them again. */
    private static final boolean REUSE = Boolean.getBoolean("benchmark.reuse");
    private static final String SCHEMA = "t_benchmark_vault";

    private final StringBuilder report = new StringBuilder();

    @Test
    void vaultAtScale() throws Exception {
        boolean reuse = REUSE && peopleLoaded() >= PEOPLE;
        Map<String, Object> properties = new HashMap<>(reuse ? loadedDatabase()
                : TestDatabases.freshDatabase("benchmark-vault"));
        properties.put("server.port", "0");
        properties.put("personvern.admin-token", Api.ADMIN_TOKEN);
        properties.put("personvern.public.rate-limit-per-minute", "1000000");
        properties.put("spring.datasource.hikari.maximum-pool-size", "24");
        properties.put("logging.level.root", "WARN");
        try (ConfigurableApplicationContext context = new SpringApplicationBuilder(Personvern.class)
                .run(arguments(properties))) {
            line("# Vault benchmark — %s", Instant.now());
            line("");
            line("- people: %,d; loaders: %d threads; machine: %d cores, JVM max heap %,d MiB, %s", PEOPLE, LOADERS,
                    Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() >> 20,
                    System.getProperty("java.version"));
            Vault vault = context.getBean(Vault.class);
            HeapPeak.reset();
            UUID[] sample;
            if (reuse) {
                sample = loadedSample((String) properties.get("spring.datasource.url"));
                line("- the people of an earlier run (`-Dbenchmark.reuse=true`): not loaded again");
            } else {
                sample = load(vault);
                line("- %s, during the load", HeapPeak.line());
            }
            HeapPeak.reset();
            lookupsByEmail(vault);
            String url = (String) properties.get("spring.datasource.url");
            int port = Integer.parseInt(context.getEnvironment().getProperty("local.server.port"));
            double httpP99 = httpReads(port, sample);
            line("- %s, during the look-ups and the HTTP reads", HeapPeak.line());
            double sqlP99 = directSql(url, sample);
            line("- **HTTP read ÷ direct SQL at p99: %.2f ms ÷ %.2f ms = %.2f×** (target ≤ 2×)", httpP99, sqlP99,
                    httpP99 / sqlP99);
        }
        Path out = Path.of("target", "benchmark", "vault.md");
        Files.createDirectories(out.getParent());
        Files.writeString(out, report);
        System.out.println(report);
        assertThat(report).contains("Requests/sec", "HTTP read ÷ direct SQL");
    }

    /**
     * Loads the people: the first ones one by one through {@link Vault#write} (the API a product
     * calls per sign-up), the rest through {@link Vault#writeAll} in batches of 500 (an import).
     * Both resolve identities, encrypt under a new wrapped data key per person and audit each one.
     */
    private UUID[] load(Vault vault) throws Exception {
        UUID[] sample = new UUID[Math.min(PEOPLE, 100_000)];
        int single = Math.min(PEOPLE, SINGLE_WRITES);
        AtomicLong next = new AtomicLong();
        long started = System.nanoTime();
        run(LOADERS, () -> {
            for (long i = next.getAndIncrement(); i < single; i = next.getAndIncrement()) {
                UUID id = vault.write(person(i)).id();
                if (i < sample.length) {
                    sample[(int) i] = id;
                }
            }
        });
        double singleSeconds = (System.nanoTime() - started) / 1e9;
        line("- single writes (`Vault.write`, %d threads): %,d people in %.0f s = **%,.0f people/s**", LOADERS, single,
                singleSeconds, single / singleSeconds);
        AtomicLong nextBatch = new AtomicLong(single);
        long importStarted = System.nanoTime();
        run(IMPORTERS, () -> {
            for (long from = nextBatch.getAndAdd(BATCH); from < PEOPLE; from = nextBatch.getAndAdd(BATCH)) {
                List<SubjectWrite> batch = new ArrayList<>(BATCH);
                for (long i = from; i < Math.min(PEOPLE, from + BATCH); i++) {
                    batch.add(person(i));
                }
                List<no.personvern.subjects.WriteResult> results = vault.writeAll(batch);
                for (int n = 0; n < results.size(); n++) {
                    long i = from + n;
                    if (i < sample.length) {
                        sample[(int) i] = results.get(n).id();
                    }
                }
                if ((from / BATCH) % 200 == 0) {
                    System.out.printf("loaded %,d people in %s%n", from, Duration.ofNanos(System.nanoTime() - started));
                }
            }
        });
        double importSeconds = (System.nanoTime() - importStarted) / 1e9;
        long imported = PEOPLE - single;
        line("- bulk load (`Vault.writeAll`, batches of %d, %d threads): %,d people in %.0f s = **%,.0f people/s**"
                + " (each: 1 subject, 1 wrapped data key, 3 identities, 2 encrypted values, 1 audit entry)", BATCH,
                IMPORTERS, imported, importSeconds, imported / importSeconds);
        return sample;
    }

    private static long peopleLoaded() {
        try (Connection connection = DriverManager.getConnection(TestDatabases.postgresUrl(),
                TestDatabases.postgresUser(), TestDatabases.postgresPassword());
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT COUNT(*) FROM " + SCHEMA + ".subject")) {
            rows.next();
            return rows.getLong(1);
        } catch (SQLException noneYet) {
            return 0;
        }
    }

    private static Map<String, Object> loadedDatabase() {
        String url = TestDatabases.postgresUrl();
        return Map.of("spring.datasource.url", url + (url.contains("?") ? "&" : "?") + "currentSchema=" + SCHEMA,
                "spring.datasource.username", TestDatabases.postgresUser(),
                "spring.datasource.password", TestDatabases.postgresPassword(),
                "spring.flyway.default-schema", SCHEMA,
                "personvern.data-dir", Path.of("target", "test-data", "postgres", "benchmark_vault").toAbsolutePath().toString());
    }

    /** The first people loaded (as {@link #load} samples them): the subjects created first. */
    private static UUID[] loadedSample(String url) throws SQLException {
        List<UUID> ids = new ArrayList<>();
        try (Connection connection = DriverManager.getConnection(url, TestDatabases.postgresUser(),
                TestDatabases.postgresPassword());
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT id FROM subject LIMIT " + Math.min(PEOPLE, 100_000))) {
            while (rows.next()) {
                ids.add(rows.getObject(1, UUID.class));
            }
        }
        return ids.toArray(UUID[]::new);
    }

    private static SubjectWrite person(long i) {
        return new SubjectWrite("go", "service-delivery", new Identities(email(i), phone(i), Map.of("go", "go-" + i)),
                Map.of("user.name", "Person " + i, "user.contact.address", "Gate " + i + ", 8006 Bodø"));
    }

    private static void run(int threads, Runnable work) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            done.add(pool.submit(work));
        }
        for (Future<?> future : done) {
            future.get(6, TimeUnit.HOURS);
        }
        pool.shutdown();
    }

    /** Single client, random people: normalise, blind index, indexed look-up, audit entry. */
    private void lookupsByEmail(Vault vault) {
        long[] latencies = new long[LOOKUPS];
        for (int i = 0; i < LOOKUPS; i++) {
            long person = ThreadLocalRandom.current().nextLong(PEOPLE);
            long start = System.nanoTime();
            List<UUID> found = vault.find("email", email(person).toUpperCase());
            latencies[i] = System.nanoTime() - start;
            if (found.size() != 1) {
                throw new IllegalStateException("person " + person + " not found");
            }
        }
        line("- look-up by e-mail (Vault.find, in process, 1 client, %,d look-ups): p50 %s, p99 %s, max %s (target p99 ≤ 5 ms)",
                LOOKUPS, ms(percentile(latencies, 50)), ms(percentile(latencies, 99)), ms(percentile(latencies, 100)));
    }

    /** wrk, 16 connections, random ids from the sample; returns wrk's p99 in milliseconds. */
    private double httpReads(int port, UUID[] sample) throws IOException, InterruptedException {
        Path dir = Path.of("target", "benchmark").toAbsolutePath();
        Files.createDirectories(dir);
        Path ids = dir.resolve("ids.txt");
        Files.write(ids, Arrays.stream(sample).map(UUID::toString).toList(), StandardCharsets.US_ASCII);
        Path script = dir.resolve("get-subject.lua");
        Files.writeString(script, """
                local ids = {}
                for line in io.lines("%s") do ids[#ids + 1] = line end
                math.randomseed(os.time())
                request = function()
                  return wrk.format("GET", "/api/v1/subjects/" .. ids[math.random(#ids)], {["Authorization"] = "Bearer %s"})
                end
                """.formatted(ids, Api.ADMIN_TOKEN));
        Process process = new ProcessBuilder("wrk", "-t4", "-c" + CLIENTS, "-d" + DURATION, "--latency", "-s",
                script.toString(), "http://127.0.0.1:" + port).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(10, TimeUnit.MINUTES) || process.exitValue() != 0) {
            throw new IllegalStateException("wrk failed: " + output);
        }
        line("- `GET /api/v1/subjects/{id}` over HTTP (wrk, %d connections, %s; decrypts identities and values, audits"
                + " each read):", CLIENTS, DURATION);
        line("");
        line("```");
        report.append(output.strip()).append('\n');
        line("```");
        if (output.contains("Non-2xx")) {
            line("- **some reads were not answered 2xx** (wrk's Non-2xx line above): the figures do not count");
        }
        return wrkMillis(output, "99%");
    }

    /** A latency of wrk's distribution ("99%  108.28ms"), in milliseconds. */
    static double wrkMillis(String output, String percentile) {
        Matcher m = Pattern.compile("(?m)^\\s*" + Pattern.quote(percentile) + "\\s+([\\d.]+)(us|ms|s)\\s*$")
                .matcher(output);
        if (!m.find()) {
            throw new IllegalStateException("no " + percentile + " in wrk's output: " + output);
        }
        double value = Double.parseDouble(m.group(1));
        return switch (m.group(2)) {
            case "us" -> value / 1000;
            case "s" -> value * 1000;
            default -> value;
        };
    }

    /**
     * The reads the API does (subject, identities, values, documents), as plain indexed SQL, 16 threads;
     * returns the p99 in milliseconds.
     */
    private double directSql(String url, UUID[] sample) throws Exception {
        try (HikariDataSource pool = new HikariDataSource()) {
            pool.setJdbcUrl(url);
            pool.setUsername(TestDatabases.postgresUser());
            pool.setPassword(TestDatabases.postgresPassword());
            pool.setMaximumPoolSize(CLIENTS);
            int perClient = LOOKUPS / CLIENTS;
            long[] latencies = new long[perClient * CLIENTS];
            ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
            List<Future<?>> done = new ArrayList<>();
            long started = System.nanoTime();
            for (int c = 0; c < CLIENTS; c++) {
                int client = c;
                done.add(clients.submit(() -> {
                    for (int i = 0; i < perClient; i++) {
                        UUID id = sample[ThreadLocalRandom.current().nextInt(sample.length)];
                        long start = System.nanoTime();
                        read(pool, id);
                        latencies[client * perClient + i] = System.nanoTime() - start;
                    }
                    return null;
                }));
            }
            for (Future<?> future : done) {
                future.get(30, TimeUnit.MINUTES);
            }
            clients.shutdown();
            double seconds = (System.nanoTime() - started) / 1e9;
            line("- the same look-up as direct indexed SQL (4 queries on one connection, no HTTP, decryption or audit;"
                    + " %d threads, %,d look-ups): p50 %s, p99 %s, %,.0f look-ups/s", CLIENTS, latencies.length,
                    ms(percentile(latencies, 50)), ms(percentile(latencies, 99)), latencies.length / seconds);
            return percentile(latencies, 99) / 1e6;
        }
    }

    private static void read(HikariDataSource pool, UUID id) throws SQLException {
        try (Connection connection = pool.getConnection()) {
            for (String sql : new String[] {"SELECT id, key_id, erased_at FROM subject WHERE id = ?",
                    "SELECT kind, system_key, key_id, ciphertext FROM subject_identity WHERE subject_id = ?",
                    "SELECT category, system_key, activity_key, key_id, ciphertext FROM subject_value WHERE subject_id = ?",
                    "SELECT id, kind FROM subject_document WHERE subject_id = ?"}) {
                try (PreparedStatement statement = connection.prepareStatement(sql)) {
                    statement.setObject(1, id);
                    try (ResultSet rows = statement.executeQuery()) {
                        while (rows.next()) {
                            rows.getObject(1);
                        }
                    }
                }
            }
        }
    }

    private static String email(long i) {
        return "person" + i + "@bench.example.no";
    }

    private static String phone(long i) {
        return Long.toString(40_000_000L + i);
    }

    private static long percentile(long[] values, int percentile) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        int index = Math.min(sorted.length - 1, (int) Math.ceil(percentile / 100.0 * sorted.length) - 1);
        return sorted[Math.max(0, index)];
    }

    private static String ms(long nanos) {
        return String.format("%.2f ms", nanos / 1e6);
    }

    private void line(String format, Object... args) {
        report.append(String.format(format, args)).append('\n');
    }
}
