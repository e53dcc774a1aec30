package no.personvern.benchmark;

import static no.personvern.testing.TestDatabases.arguments;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import no.personvern.Personvern;
import no.personvern.testing.Api;
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
 * The website endpoints on PostgreSQL (issue 4), in one run: pixel hits with consent against a
 * bare endpoint of the same process returning the same GIF with no logic (target ≥ 0.8×), and
 * durable consent writes over HTTP against PostgreSQL's own insert+commit rate for the same row
 * measured with pgbench (target ≥ 0.5×). Writes {@code target/benchmark/tracking.md}. Run with
 * {@code bench/tracking.sh}.
 */
@Tag("benchmark")
class TrackingBenchmark {

    private static final String DURATION = System.getProperty("benchmark.duration", "20s");
    private static final int CLIENTS = 16;
    private static final byte[] GIF = Base64.getDecoder().decode("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7");

    private final StringBuilder report = new StringBuilder();

    @Test
    void websiteEndpointsAgainstTheirFloors() throws Exception {
        Map<String, Object> database = TestDatabases.freshDatabase("benchmark-tracking");
        Map<String, Object> properties = new HashMap<>(database);
        properties.put("server.port", "0");
        properties.put("personvern.public.rate-limit-per-minute", "100000000");
        properties.put("spring.datasource.hikari.maximum-pool-size", "20");
        properties.put("logging.level.root", "WARN");
        try (ConfigurableApplicationContext context = new SpringApplicationBuilder(Personvern.class)
                .initializers((GenericApplicationContext app) -> app.registerBean("bareGif", RouterFunction.class,
                        () -> RouterFunctions.route().GET("/bench/bare.gif", request -> ServerResponse.ok()
                                .contentType(MediaType.IMAGE_GIF).header("Cache-Control", "no-store").body(GIF)).build()))
                .run(arguments(properties))) {
            int port = Integer.parseInt(context.getEnvironment().getProperty("local.server.port"));
            String base = "http://127.0.0.1:" + port;
            Api api = new Api(port);
            Api.Response chosen = api.send("POST", "/api/v1/public/cookie-consent", null,
                    Map.of("Content-Type", "application/json"), "{\"choices\":{\"statistics\":true,\"marketing\":true}}");
            String cookie = chosen.raw().headers().allValues("Set-Cookie").get(0).split(";")[0];

            line("# Tracking benchmark — %s", Instant.now());
            line("");
            line("- machine: %d cores, JVM max heap %,d MiB, Java %s; wrk %d connections, %s per run",
                    Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() >> 20,
                    System.getProperty("java.version"), CLIENTS, DURATION);
            double bare = wrk("bare GIF endpoint (no logic)", base + "/bench/bare.gif", List.of("Cookie: " + cookie), null);
            double pixel = wrk("`/t.gif` page view with statistics consent", base + "/t.gif?e=pageview&p=/pris",
                    List.of("Cookie: " + cookie, "User-Agent: Mozilla/5.0 (X11; Linux x86_64) Chrome/156.0"), null);
            line("- pixel / bare: **%.2f×** (target ≥ 0.8×)", pixel / bare);

            Path script = Path.of("target", "benchmark", "consent.lua").toAbsolutePath();
            Files.createDirectories(script.getParent());
            Files.writeString(script, """
                    wrk.method = "POST"
                    wrk.body = '{"choices":{"statistics":true,"marketing":false}}'
                    wrk.headers["Content-Type"] = "application/json"
                    """);
            double consents = wrk("`POST /api/v1/public/cookie-consent` (3 consent records, 1 commit per request)",
                    base + "/api/v1/public/cookie-consent", List.of(), script);
            double floor = pgbench((String) database.get("spring.datasource.url"));
            line("- consent requests / pgbench insert+commit: **%.2f×** (target ≥ 0.5×); consent records written: %,.0f/s",
                    consents / floor, consents * 3);
        }
        Path out = Path.of("target", "benchmark", "tracking.md");
        Files.writeString(out, report);
        System.out.println(report);
        assertThat(report).contains("pgbench");
    }

    private double wrk(String what, String url, List<String> headers, Path script) throws IOException,
            InterruptedException {
        List<String> command = new ArrayList<>(List.of("wrk", "-t2", "-c" + CLIENTS, "-d" + DURATION, "--latency"));
        headers.forEach(header -> command.addAll(List.of("-H", header)));
        if (script != null) {
            command.addAll(List.of("-s", script.toString()));
        }
        command.add(url);
        String output = run(command, Map.of());
        double perSecond = number(output, "Requests/sec:\\s+([0-9.]+)");
        String p99 = output.replaceAll("(?s).*\\s99%\\s+(\\S+).*", "$1");
        line("- %s: **%,.0f requests/s**, p99 %s%s", what, perSecond, p99,
                output.contains("Non-2xx") ? " (" + output.replaceAll("(?s).*(Non-2xx[^\\n]*).*", "$1").strip() + ")" : "");
        return perSecond;
    }

    /** PostgreSQL's own rate for the same row: one INSERT and its COMMIT per transaction, 16 clients. */
    private double pgbench(String jdbcUrl) throws IOException, InterruptedException {
        String schema = jdbcUrl.replaceAll(".*currentSchema=([a-z0-9_]+).*", "$1");
        Path script = Path.of("target", "benchmark", "consent-insert.sql").toAbsolutePath();
        Files.writeString(script, """
                INSERT INTO consent_record (id, subject_id, visitor_id, purpose, granted, method, source, notice_version,
                    recorded_at, prev_hash, hash)
                VALUES (gen_random_uuid(), NULL, 'pgbench-visitor-0001', 'analytics.reporting', true, 'cookie-banner',
                    'website', '0123456789abcdef', now(), repeat('0', 64), md5(random()::text) || md5(random()::text));
                """);
        String database = jdbcUrl.replaceAll("jdbc:postgresql://[^/]+/([^?]+).*", "$1");
        String output = run(List.of("pgbench", "-n", "-h", "127.0.0.1", "-U", TestDatabases.postgresUser(), "-c",
                String.valueOf(CLIENTS), "-j", "2", "-T", DURATION.replace("s", ""), "-f", script.toString(), database),
                Map.of("PGOPTIONS", "-c search_path=" + schema));
        double tps = number(output, "tps = ([0-9.]+)");
        line("- pgbench, the same consent row, INSERT + COMMIT per transaction, %d clients: **%,.0f tps**", CLIENTS, tps);
        return tps;
    }

    private static String run(List<String> command, Map<String, String> environment) throws IOException,
            InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(environment);
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(10, TimeUnit.MINUTES) || process.exitValue() != 0) {
            throw new IllegalStateException(command.get(0) + " failed: " + output);
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
