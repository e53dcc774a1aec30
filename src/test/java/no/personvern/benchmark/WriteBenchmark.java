package no.personvern.benchmark;

import static no.personvern.testing.TestDatabases.arguments;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import jdk.jfr.Configuration;
import jdk.jfr.Recording;
import no.personvern.Personvern;
import no.personvern.testing.Api;
import no.personvern.testing.HeapPeak;
import no.personvern.testing.TestDatabases;
import no.personvern.testing.Tokens;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.servlet.function.RouterFunction;
import org.springframework.web.servlet.function.RouterFunctions;
import org.springframework.web.servlet.function.ServerResponse;

/**
 * Durable writes over HTTP on PostgreSQL (issue 17), in one run against the limit of a durable HTTP
 * write in the same process: a bare endpoint that inserts one {@code consent_record} row like a real
 * one in its own transaction and answers 201, behind the same filters as the public API (it lives
 * under {@code /api/v1/public/}). Then {@code POST /api/v1/public/cookie-consent} by returning
 * visitors (a signed cookie each) and {@code POST /api/v1/subjects} with a new person per request
 * (target each ≥ 0.5× the bare insert). With {@code -Dbenchmark.jfr=true} each endpoint's run is
 * recorded with the JDK's flight recorder into {@code target/benchmark/writes-<endpoint>.jfr}.
 * Writes {@code target/benchmark/writes.md}. Run with {@code bench/writes.sh}.
 */
@Tag("benchmark")
class WriteBenchmark {

    static final String BARE = "/api/v1/public/bench/bare-insert";
    private static final String DURATION = System.getProperty("benchmark.duration", "10s");
    private static final String WARM_UP = System.getProperty("benchmark.warm-up", "5s");
    private static final int VISITORS = Integer.getInteger("benchmark.visitors", 1000);
    private static final boolean JFR = Boolean.getBoolean("benchmark.jfr");
    private static final int ROUNDS = Integer.getInteger("benchmark.rounds", 3);
    private static final int CLIENTS = 16;

    private final StringBuilder report = new StringBuilder();

    /** The columns of a real banner choice's record, copied from one the API wrote. */
    private record Row(String visitor, String purpose, String method, String source, String version,
            String activity) {
    }

    @Test
    void durableWritesAgainstABareInsert() throws Exception {
        Map<String, Object> database = TestDatabases.freshDatabase("benchmark-writes");
        Map<String, Object> properties = new HashMap<>(database);
        properties.put("server.port", "0");
        properties.put("personvern.admin-token", Api.ADMIN_TOKEN);
        properties.put("personvern.public.rate-limit-per-minute", "100000000");
        properties.put("spring.datasource.hikari.maximum-pool-size", "20");
        properties.put("logging.level.root", "WARN");
        Row[] template = new Row[1];
        try (ConfigurableApplicationContext context = new SpringApplicationBuilder(Personvern.class)
                .initializers((GenericApplicationContext app) -> app.registerBean("bareInsert", RouterFunction.class,
                        () -> RouterFunctions.route().POST(BARE, request -> {
                            insertLikeARealRecord(app.getBean(JdbcTemplate.class),
                                    app.getBean(TransactionTemplate.class), template[0]);
                            return ServerResponse.status(HttpStatus.CREATED).contentType(MediaType.APPLICATION_JSON)
                                    .body("{\"inserted\":1}");
                        }).build()))
                .run(arguments(properties))) {
            int port = Integer.parseInt(context.getEnvironment().getProperty("local.server.port"));
            String base = "http://127.0.0.1:" + port;
            Path dir = Path.of("target", "benchmark").toAbsolutePath();
            Files.createDirectories(dir);
            Path cookies = dir.resolve("visitors.txt");
            Files.write(cookies, visitors(base), StandardCharsets.US_ASCII);
            template[0] = context.getBean(JdbcTemplate.class).queryForObject("""
                    SELECT visitor_id, purpose, method, source, notice_version, activity FROM consent_record
                    ORDER BY seq LIMIT 1""", (rs, n) -> new Row(rs.getString(1), rs.getString(2), rs.getString(3),
                    rs.getString(4), rs.getString(5), rs.getString(6)));
            String token = new Tokens(new Api(port)).issue("benchmark-product", "subjects:write");

            Path bare = dir.resolve("bare-insert.lua");
            Files.writeString(bare, """
                    wrk.method = "POST"
                    wrk.body = '{"choices":{"statistics":true,"marketing":false}}'
                    wrk.headers["Content-Type"] = "application/json"
                    """);
            Path consent = dir.resolve("cookie-consent.lua");
            Files.writeString(consent, """
                    math.randomseed(os.time())
                    local cookies = {}
                    for line in io.lines("%s") do cookies[#cookies + 1] = line end
                    local n = 0
                    request = function()
                      n = n + 1
                      local body = n %% 2 == 0 and '{"choices":{"statistics":true,"marketing":false}}'
                          or '{"choices":{"statistics":true,"marketing":true}}'
                      return wrk.format("POST", "/api/v1/public/cookie-consent", {["Content-Type"] = "application/json",
                          ["Cookie"] = cookies[math.random(#cookies)]}, body)
                    end
                    """.formatted(cookies));
            line("# Write benchmark — %s", Instant.now());
            line("");
            line("- machine: %d cores, Java %s; wrk 2 threads, %d connections, %s per run after %s of warm-up"
                    + " each; %d rounds; %,d returning visitors", Runtime.getRuntime().availableProcessors(),
                    System.getProperty("java.version"), CLIENTS, DURATION, WARM_UP, ROUNDS, VISITORS);
            wrk(base + BARE, bare, WARM_UP);
            wrk(base + "/api/v1/public/cookie-consent", consent, WARM_UP);
            wrk(base + "/api/v1/subjects", subjects(dir, token, 0), WARM_UP);
            if (ROUNDS > 8) {
                throw new IllegalArgumentException("at most 8 rounds: each has a million phone numbers of its own");
            }
            HeapPeak.reset();
            // Rounds of bare, consent, subjects, closed by a last bare run: each write is set against the
            // mean of the bare runs just before and after it, so that a change of the machine's load cancels.
            double[] bares = new double[ROUNDS + 1];
            double[] consents = new double[ROUNDS];
            double[] people = new double[ROUNDS];
            for (int round = 0; round < ROUNDS; round++) {
                line("- round %d:", round + 1);
                bares[round] = measure("bare insert: one `consent_record` row, its own transaction, 201 + JSON",
                        "bare", round, base + BARE, bare);
                consents[round] = measure("`POST /api/v1/public/cookie-consent`, returning visitor (signed cookie),"
                        + " 3 consent records", "consent", round, base + "/api/v1/public/cookie-consent", consent);
                people[round] = measure("`POST /api/v1/subjects`, a new person each (3 identities, 2 values)",
                        "subjects", round, base + "/api/v1/subjects", subjects(dir, token, round + 1));
            }
            line("- closing run:");
            bares[ROUNDS] = measure("bare insert", "bare", ROUNDS, base + BARE, bare);
            double[] consentRatios = new double[ROUNDS];
            double[] subjectRatios = new double[ROUNDS];
            for (int round = 0; round < ROUNDS; round++) {
                double limit = (bares[round] + bares[round + 1]) / 2;
                consentRatios[round] = consents[round] / limit;
                subjectRatios[round] = people[round] / limit;
            }
            line("- cookie consent ÷ bare insert (each round against the bare runs around it): %s, median **%.2f×**"
                    + " (target ≥ 0.5×)", ratios(consentRatios), median(consentRatios));
            line("- subjects ÷ bare insert: %s, median **%.2f×** (target ≥ 0.5×)", ratios(subjectRatios),
                    median(subjectRatios));
            line("- medians of the rates: bare %,.0f/s, consent %,.0f/s, subjects %,.0f/s", median(bares),
                    median(consents), median(people));
            line("- %s", HeapPeak.line());
            JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
            line("- rows written: %,d consent records, %,d subjects",
                    jdbc.queryForObject("SELECT COUNT(*) FROM consent_record", Long.class),
                    jdbc.queryForObject("SELECT COUNT(*) FROM subject", Long.class));
        }
        Path out = Path.of("target", "benchmark", "writes.md");
        Files.writeString(out, report);
        System.out.println(report);
        assertThat(report).contains("target ≥ 0.5×");
    }

    /**
     * New people, 3 identities and 2 values each: e-mail, phone and the product's id are unique per
     * request across wrk's threads and across the runs of one benchmark ({@code run} 0 to 9).
     */
    private static Path subjects(Path dir, String token, int run) throws IOException {
        Path script = dir.resolve("subjects-" + run + ".lua");
        Files.writeString(script, """
                local counter = 1
                function setup(thread)
                  thread:set("id", counter)
                  counter = counter + 1
                end
                local n = 0
                request = function()
                  n = n + 1
                  local who = string.format("%d-%%d-%%d", id, n)
                  local body = string.format('{"system":"go","activity":"service-delivery","identities":'
                      .. '{"email":"p%%s@example.org","phone":"+47 4%%07d","externalIds":{"go":"go-%%s"}},'
                      .. '"data":{"user.name":"Person %%s","user.contact.address":"Gate %%d, 8006 Bodø"}}',
                      who, %d + id * 400000 + n, who, who, n %% 200 + 1)
                  return wrk.format("POST", "/api/v1/subjects", {["Content-Type"] = "application/json",
                      ["Authorization"] = "Bearer %s"}, body)
                end
                """.formatted(run, run * 1_000_000, token));
        return script;
    }

    /** The bare endpoint's only work: one row like a real record, in its own transaction. */
    private static void insertLikeARealRecord(JdbcTemplate jdbc, TransactionTemplate transactions, Row row) {
        byte[] hash = new byte[32];
        SecureRandom random = new SecureRandom();
        random.nextBytes(hash);
        String prev = HexFormat.of().formatHex(hash);
        random.nextBytes(hash);
        String next = HexFormat.of().formatHex(hash);
        transactions.executeWithoutResult(status -> jdbc.update("""
                INSERT INTO consent_record (id, subject_id, visitor_id, purpose, granted, method, source, notice_version,
                                            recorded_at, prev_hash, hash, activity)
                VALUES (?, NULL, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""", UUID.randomUUID(), row.visitor(), row.purpose(), true,
                row.method(), row.source(), row.version(), Timestamp.from(Instant.now()), prev, next, row.activity()));
    }

    /** Visitors who chose once: the {@code Cookie} header each will send when they choose again. */
    private static List<String> visitors(String base) throws IOException, InterruptedException {
        HttpClient client = HttpClient.newHttpClient();
        List<String> cookies = new ArrayList<>();
        for (int i = 0; i < VISITORS; i++) {
            HttpResponse<String> chosen = client.send(HttpRequest.newBuilder(URI.create(base
                    + "/api/v1/public/cookie-consent")).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"choices\":{\"statistics\":true,\"marketing\":"
                            + (i % 2 == 0) + "}}")).build(), HttpResponse.BodyHandlers.ofString());
            if (chosen.statusCode() != 201) {
                throw new IllegalStateException("the banner's choice was refused: " + chosen.body());
            }
            cookies.add(chosen.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith("pv_consent="))
                    .findFirst().orElseThrow().split(";")[0]);
        }
        return cookies;
    }

    private static String ratios(double[] ratios) {
        return java.util.Arrays.stream(ratios).mapToObj(r -> String.format("%.2f×", r))
                .collect(java.util.stream.Collectors.joining(", "));
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        java.util.Arrays.sort(sorted);
        return sorted.length % 2 == 1 ? sorted[sorted.length / 2]
                : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
    }

    private double measure(String what, String name, int round, String url, Path script) throws Exception {
        Recording recording = null;
        if (JFR && round == 0) {
            recording = new Recording(Configuration.getConfiguration("profile"));
            recording.start();
        }
        String output = wrk(url, script, DURATION);
        if (recording != null) {
            recording.dump(Path.of("target", "benchmark", "writes-" + name + ".jfr"));
            recording.close();
        }
        double perSecond = number(output, "Requests/sec:\\s+([0-9.]+)");
        String p50 = output.replaceAll("(?s).*\\s50%\\s+(\\S+).*", "$1");
        String p99 = output.replaceAll("(?s).*\\s99%\\s+(\\S+).*", "$1");
        line("  - %s: **%,.0f requests/s**, p50 %s, p99 %s%s%s", what, perSecond, p50, p99,
                output.contains("Non-2xx") ? " (" + output.replaceAll("(?s).*(Non-2xx[^\\n]*).*", "$1").strip() + ")" : "",
                output.contains("Socket errors") ? " (" + output.replaceAll("(?s).*(Socket errors[^\\n]*).*", "$1").strip()
                        + ")" : "");
        return perSecond;
    }

    private static String wrk(String url, Path script, String duration) throws IOException, InterruptedException {
        List<String> command = List.of("wrk", "-t2", "-c" + CLIENTS, "-d" + duration, "--latency", "-s",
                script.toString(), url);
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(10, TimeUnit.MINUTES) || process.exitValue() != 0) {
            throw new IllegalStateException("wrk failed: " + output);
        }
        return output;
    }

    private static double number(String output, String regex) {
        Matcher matcher = Pattern.compile(regex).matcher(output);
        if (!matcher.find()) {
            throw new IllegalStateException("no " + regex + " in " + output);
        }
        return Double.parseDouble(matcher.group(1));
    }

    private void line(String format, Object... args) {
        report.append(String.format(format, args)).append('\n');
    }
}
