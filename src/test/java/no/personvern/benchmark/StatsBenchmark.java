package no.personvern.benchmark;

import static no.personvern.testing.TestDatabases.arguments;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import no.personvern.Personvern;
import no.personvern.testing.Api;
import no.personvern.testing.HeapPeak;
import no.personvern.testing.TestDatabases;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.http.MediaType;
import org.springframework.web.servlet.function.RouterFunction;
import org.springframework.web.servlet.function.RouterFunctions;
import org.springframework.web.servlet.function.ServerResponse;

/**
 * Statistics at scale on PostgreSQL (issue 17): page hits seeded by SQL as the pixel's flush writes
 * them ({@code benchmark.stats.hits} in the last 30 days, today included with a full day's share,
 * and a thousandth of that a day over the 335 days before), then {@code GET /api/v1/stats/pageviews}
 * and {@code /campaigns} for 12 months read {@code benchmark.stats.requests} times (target p99 ≤ 100
 * ms), and the pixel against a bare GIF endpoint of the same process, alone and while a client reads
 * the 12-month statistics in a loop (target ≥ 0.9×). Writes {@code target/benchmark/stats.md}. Run
 * with {@code bench/stats.sh}.
 */
@Tag("benchmark")
class StatsBenchmark {

    private static final String DURATION = System.getProperty("benchmark.duration", "20s");
    private static final long HITS = Long.getLong("benchmark.stats.hits", 1_000_000);
    private static final int REQUESTS = Integer.getInteger("benchmark.stats.requests", 200);
    private static final int SEEDERS = Integer.getInteger("benchmark.stats.seeders", 3);
    private static final int CLIENTS = 16;
    private static final int MONTH = 30;
    private static final int YEAR = 365;
    private static final byte[] GIF = Base64.getDecoder().decode("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7");

    /** The statistics before roll-ups: what {@code GET /api/v1/stats/pageviews} ran on the raw hits. */
    private static final String RAW_PAGEVIEWS = """
            SELECT hit_day, COUNT(*) AS views, COUNT(DISTINCT visitor) AS visitors FROM page_hit
            WHERE event = 'pageview' AND hit_day BETWEEN ? AND ? GROUP BY hit_day ORDER BY hit_day""";

    private final StringBuilder report = new StringBuilder();

    @Test
    void statisticsOverAMonthAtScale() throws Exception {
        Map<String, Object> database = TestDatabases.freshDatabase("benchmark-stats");
        Map<String, Object> properties = new HashMap<>(database);
        properties.put("server.port", "0");
        properties.put("personvern.admin-token", Api.ADMIN_TOKEN);
        properties.put("personvern.public.rate-limit-per-minute", "100000000");
        properties.put("personvern.tracking.rollup-interval", "PT5S");
        properties.put("spring.datasource.hikari.maximum-pool-size", "20");
        properties.put("logging.level.root", "WARN");
        try (ConfigurableApplicationContext context = new SpringApplicationBuilder(Personvern.class)
                .initializers((GenericApplicationContext app) -> app.registerBean("bareGif", RouterFunction.class,
                        () -> RouterFunctions.route().GET("/bench/bare.gif", request -> ServerResponse.ok()
                                .contentType(MediaType.IMAGE_GIF).header("Cache-Control", "no-store").body(GIF)).build()))
                .run(arguments(properties));
                Connection sql = DriverManager.getConnection((String) database.get("spring.datasource.url"),
                        TestDatabases.postgresUser(), TestDatabases.postgresPassword())) {
            int port = Integer.parseInt(context.getEnvironment().getProperty("local.server.port"));
            String base = "http://127.0.0.1:" + port;
            Api api = new Api(port);
            LocalDate today = LocalDate.now(ZoneOffset.UTC);
            LocalDate from = today.minusDays(YEAR - 1);

            line("# Statistics benchmark — %s", Instant.now());
            line("");
            line("- machine: %d cores, JVM max heap %,d MiB, Java %s; wrk %d connections, %s per run",
                    Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() >> 20,
                    System.getProperty("java.version"), CLIENTS, DURATION);
            long started = System.nanoTime();
            long seeded = seed(sql, today, (String) database.get("spring.datasource.url"));
            line("- seeded: %,d page hits (%,d in the last %d days, today a full day's share; %,d a day over the %d days"
                    + " before) in %.0f s with %d connections", seeded, HITS, MONTH, HITS / 3000, YEAR - MONTH,
                    (System.nanoTime() - started) / 1e9, SEEDERS);

            line("- the 12-month page views as before roll-ups (raw hits, direct SQL, EXPLAIN ANALYZE):"
                    + " %s (plan in target/benchmark/stats-raw-plan.txt)", explain(sql, from, today));

            started = System.nanoTime();
            boolean rolled = awaitRollups(sql, today);
            line("- roll-ups of the closed days: %s", rolled
                    ? String.format("all written by the job (every 5 s, also while the seed ran); %.0f s waited for the last",
                            (System.nanoTime() - started) / 1e9)
                    : "none (no roll-up tables)");

            HeapPeak.reset();
            line("- load average at the start of the measured part: %s", loadAverage());
            List<Long> floor = read(api, "/api/v1/stats/pageviews?from=2000-01-01&to=2000-01-01", REQUESTS);
            latencies("floor: the same endpoint for one day without hits (token, flush, two indexed look-ups, JSON),"
                    + " 1 client", floor, "");
            String year = "?from=" + from + "&to=" + today;
            List<Long> pageviews = read(api, "/api/v1/stats/pageviews" + year, REQUESTS);
            latencies("`GET /api/v1/stats/pageviews` for 12 months, 1 client", pageviews, "target p99 ≤ 100 ms");
            List<Long> ended = read(api, "/api/v1/stats/pageviews?from=" + from + "&to=" + today.minusDays(1), REQUESTS);
            latencies("the same for the 12 months ending yesterday (no hit of today), 1 client", ended, "");
            List<Long> todayOnly = read(api, "/api/v1/stats/pageviews?from=" + today + "&to=" + today,
                    Math.max(10, REQUESTS / 5));
            latencies("the same for today alone, 1 client", todayOnly, "");
            List<Long> campaigns = read(api, "/api/v1/stats/campaigns" + year, REQUESTS);
            latencies("`GET /api/v1/stats/campaigns` for 12 months, 1 client", campaigns, "");
            Api.Response sample = api.get("/api/v1/stats/pageviews" + year, Api.ADMIN_TOKEN);
            line("- the answer: total %,d page views on %d days", sample.json().get("total").asLong(),
                    sample.json().get("byDay").size());

            Api.Response chosen = api.send("POST", "/api/v1/public/cookie-consent", null,
                    Map.of("Content-Type", "application/json"), "{\"choices\":{\"statistics\":true,\"marketing\":true}}");
            String cookie = chosen.raw().headers().allValues("Set-Cookie").get(0).split(";")[0];
            List<String> pixelHeaders = List.of("Cookie: " + cookie, "User-Agent: Mozilla/5.0 (X11; Linux x86_64) Chrome/156.0");
            double bare = wrk("bare GIF endpoint (no logic), alone", base + "/bench/bare.gif", List.of("Cookie: " + cookie));
            double pixel = wrk("`/t.gif` page view with statistics consent, alone", base + "/t.gif?e=pageview&p=/pris",
                    pixelHeaders);
            line("- pixel / bare, alone: **%.2f×**", pixel / bare);
            Reader reader = new Reader(api, "/api/v1/stats/pageviews" + year);
            double bareRead = reader.during(() -> wrk("bare GIF endpoint while a client reads 12 months in a loop",
                    base + "/bench/bare.gif", List.of("Cookie: " + cookie)));
            double pixelRead = reader.during(() -> wrk("`/t.gif` while a client reads 12 months in a loop",
                    base + "/t.gif?e=pageview&p=/pris", pixelHeaders));
            line("- pixel / bare, while statistics are read: **%.2f×** (target ≥ 0.9×)", pixelRead / bareRead);
            latencies("12-month page views read during the two wrk runs", reader.latencies, "");
            line("- %s", HeapPeak.line());
            line("- load average at the end: %s", loadAverage());
            try (Statement statement = sql.createStatement();
                    ResultSet rows = statement.executeQuery("SELECT COUNT(*) FROM page_hit")) {
                rows.next();
                line("- page_hit rows at the end: %,d", rows.getLong(1));
            }
        }
        Path out = Path.of("target", "benchmark", "stats.md");
        Files.createDirectories(out.getParent());
        Files.writeString(out, report);
        System.out.println(report);
        assertThat(report).contains("pixel / bare, while statistics are read");
    }

    /**
     * Page hits as the flush writes them: {@code at} and its UTC day, a tenth of them campaign hits
     * (no visitor) over 20 campaigns, page views by about a million pseudonymous visitors a month,
     * skewed to the regulars.
     */
    private long seed(Connection sql, LocalDate today, String url) throws Exception {
        boolean rollups = exists(sql, "page_hit_changed");
        boolean running = exists(sql, "page_view_running");
        ExecutorService seeders = Executors.newFixedThreadPool(SEEDERS);
        ThreadLocal<Connection> connections = ThreadLocal.withInitial(() -> {
            try {
                return DriverManager.getConnection(url, TestDatabases.postgresUser(), TestDatabases.postgresPassword());
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        });
        List<Connection> opened = Collections.synchronizedList(new ArrayList<>());
        List<Future<Integer>> days = new ArrayList<>();
        for (int back = YEAR - 1; back >= 0; back--) {
            LocalDate day = today.minusDays(back);
            long n = back < MONTH ? HITS / MONTH : HITS / 3000;
            // Today's hits lie between midnight and now: a day as busy as the others, not yet over.
            double seconds = back == 0
                    ? Math.max(60, Duration.between(day.atStartOfDay().toInstant(ZoneOffset.UTC), Instant.now()).toSeconds() - 60)
                    : 86_400;
            days.add(seeders.submit(() -> {
                Connection connection = connections.get();
                if (!opened.contains(connection)) {
                    opened.add(connection);
                }
                return seedDay(connection, day, n, seconds, rollups, running && day.equals(today));
            }));
        }
        long total = 0;
        try {
            for (Future<Integer> day : days) {
                total += day.get();
            }
        } finally {
            seeders.shutdown();
            for (Connection connection : opened) {
                connection.close();
            }
        }
        try (Statement statement = sql.createStatement()) {
            statement.execute("VACUUM ANALYZE page_hit");
        }
        return total;
    }

    private static int seedDay(Connection sql, LocalDate day, long n, double seconds, boolean rollups, boolean running)
            throws SQLException {
        sql.setAutoCommit(false);
        try (var statement = sql.prepareStatement("""
                INSERT INTO page_hit (at, hit_day, event, path, campaign, visitor, ip_prefix, browser, os)
                SELECT local AT TIME ZONE 'UTC', local::date, CASE WHEN i % 10 = 0 THEN 'campaign' ELSE 'pageview' END,
                       '/side/' || (i % 500), CASE WHEN i % 10 = 0 THEN 'kampanje-' || floor(20 * random() ^ 2)::int END,
                       CASE WHEN i % 10 <> 0 THEN substr(md5('visitor.' || floor(1000000 * random() ^ 2)::int), 1, 32) END,
                       '10.' || (i % 250) || '.' || (i % 7) || '.0/24', (ARRAY['Chrome', 'Firefox', 'Safari', 'Edge'])[1 + i % 4],
                       (ARRAY['Windows', 'macOS', 'Android', 'iOS', 'Linux'])[1 + i % 5]
                FROM (SELECT i, ?::timestamp + (i::float8 / ?) * ? * interval '1 second' AS local
                      FROM generate_series(0, ? - 1) AS i) hits""");
                var changed = sql.prepareStatement("INSERT INTO page_hit_changed (hit_day, changes) VALUES (?, 1)")) {
            statement.setObject(1, day.atStartOfDay());
            statement.setLong(2, n);
            statement.setDouble(3, seconds);
            statement.setLong(4, n);
            int inserted = statement.executeUpdate();
            // As the flush does: the day's hits changed, in the same transaction.
            if (rollups) {
                changed.setObject(1, day);
                changed.executeUpdate();
            }
            // As the flushes do for a day not rolled up: its running totals and visitor set, complete (the day
            // had no hit before this transaction). Today only: the ended days are rolled up before measuring.
            if (running) {
                runningTotals(sql, day);
            }
            sql.commit();
            return inserted;
        } finally {
            sql.setAutoCommit(true);
        }
    }

    private static void runningTotals(Connection sql, LocalDate day) throws SQLException {
        for (String statement : List.of("""
                INSERT INTO page_visitor_running (hit_day, visitor) SELECT DISTINCT hit_day, visitor FROM page_hit
                WHERE hit_day = ? AND event = 'pageview' AND visitor IS NOT NULL""", """
                INSERT INTO campaign_hit_running (hit_day, campaign, hits) SELECT hit_day, campaign, COUNT(*) FROM page_hit
                WHERE hit_day = ? AND event = 'campaign' GROUP BY hit_day, campaign""", """
                INSERT INTO page_view_running (hit_day, views, visitors, complete)
                SELECT ?::date, (SELECT COUNT(*) FROM page_hit WHERE hit_day = ?::date AND event = 'pageview'),
                       (SELECT COUNT(*) FROM page_visitor_running WHERE hit_day = ?::date), TRUE""")) {
            try (var insert = sql.prepareStatement(statement)) {
                for (int i = 1; i <= insert.getParameterMetaData().getParameterCount(); i++) {
                    insert.setObject(i, day);
                }
                insert.executeUpdate();
            }
        }
    }

    /** Waits until the roll-up job has rolled up every closed day; false where there are no roll-ups. */
    private static boolean awaitRollups(Connection sql, LocalDate today) throws Exception {
        if (!exists(sql, "page_hit_changed")) {
            return false;
        }
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(60);
        while (System.nanoTime() < deadline) {
            try (var statement = sql.prepareStatement("SELECT COUNT(*) FROM page_hit_changed WHERE hit_day < ?")) {
                statement.setObject(1, today);
                try (ResultSet rows = statement.executeQuery()) {
                    rows.next();
                    if (rows.getLong(1) == 0) {
                        try (Statement vacuum = sql.createStatement()) {
                            vacuum.execute("VACUUM ANALYZE page_view_day");
                            vacuum.execute("VACUUM ANALYZE campaign_hit_day");
                            vacuum.execute("VACUUM ANALYZE page_hit_changed");
                        }
                        return true;
                    }
                }
            }
            Thread.sleep(1000);
        }
        throw new IllegalStateException("the roll-up job did not finish within an hour");
    }

    private static String loadAverage() throws IOException {
        Path proc = Path.of("/proc/loadavg");
        return Files.exists(proc) ? Files.readString(proc).strip() : "unknown";
    }

    private static boolean exists(Connection sql, String table) throws SQLException {
        try (var statement = sql.prepareStatement("SELECT to_regclass(?) IS NOT NULL")) {
            statement.setString(1, table);
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                return rows.getBoolean(1);
            }
        }
    }

    private static String explain(Connection sql, LocalDate from, LocalDate to) throws SQLException, IOException {
        StringBuilder plan = new StringBuilder();
        try (var statement = sql.prepareStatement("EXPLAIN (ANALYZE, BUFFERS) " + RAW_PAGEVIEWS)) {
            statement.setObject(1, from);
            statement.setObject(2, to);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    plan.append(rows.getString(1)).append('\n');
                }
            }
        }
        Path out = Path.of("target", "benchmark", "stats-raw-plan.txt");
        Files.createDirectories(out.getParent());
        Files.writeString(out, plan);
        return plan.toString().replaceAll("(?s).*Execution Time: ([0-9.]+ ms).*", "$1");
    }

    private static List<Long> read(Api api, String path, int n) {
        List<Long> nanos = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            long t = System.nanoTime();
            Api.Response response = api.get(path, Api.ADMIN_TOKEN);
            nanos.add(System.nanoTime() - t);
            if (response.status() != 200) {
                throw new IllegalStateException(path + " answered " + response.status() + ": " + response.body());
            }
        }
        return nanos;
    }

    private void latencies(String what, List<Long> nanos, String target) {
        List<Long> sorted = new ArrayList<>(nanos);
        Collections.sort(sorted);
        if (sorted.isEmpty()) {
            line("- %s: no requests", what);
            return;
        }
        line("- %s, %,d requests: p50 %.1f ms, **p99 %.1f ms**, max %.1f ms%s", what, sorted.size(),
                at(sorted, 0.50), at(sorted, 0.99), sorted.get(sorted.size() - 1) / 1e6,
                target.isEmpty() ? "" : " (" + target + ")");
    }

    private static double at(List<Long> sorted, double quantile) {
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(quantile * sorted.size()) - 1)) / 1e6;
    }

    /** A client reading the statistics one request after another while a wrk run lasts. */
    private static final class Reader {

        private final Api api;
        private final String path;
        private final List<Long> latencies = Collections.synchronizedList(new ArrayList<>());

        Reader(Api api, String path) {
            this.api = api;
            this.path = path;
        }

        interface Measured {
            double run() throws Exception;
        }

        double during(Measured measured) throws Exception {
            AtomicBoolean stop = new AtomicBoolean();
            Thread thread = new Thread(() -> {
                while (!stop.get()) {
                    latencies.addAll(read(api, path, 1));
                }
            }, "stats-reader");
            thread.start();
            try {
                return measured.run();
            } finally {
                stop.set(true);
                thread.join();
            }
        }
    }

    private double wrk(String what, String url, List<String> headers) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("wrk", "-t2", "-c" + CLIENTS, "-d" + DURATION, "--latency"));
        headers.forEach(header -> command.addAll(List.of("-H", header)));
        command.add(url);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(10, TimeUnit.MINUTES) || process.exitValue() != 0) {
            throw new IllegalStateException("wrk failed: " + output);
        }
        Matcher matcher = Pattern.compile("Requests/sec:\\s+([0-9.]+)").matcher(output);
        if (!matcher.find()) {
            throw new IllegalStateException("no rate in " + output);
        }
        double perSecond = Double.parseDouble(matcher.group(1));
        String p99 = output.replaceAll("(?s).*\\s99%\\s+(\\S+).*", "$1");
        line("- %s: **%,.0f requests/s**, p99 %s%s", what, perSecond, p99,
                output.contains("Non-2xx") ? " (" + output.replaceAll("(?s).*(Non-2xx[^\\n]*).*", "$1").strip() + ")" : "");
        return perSecond;
    }

    private void line(String format, Object... args) {
        report.append(String.format(format, args)).append('\n');
    }
}
