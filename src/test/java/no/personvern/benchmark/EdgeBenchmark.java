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
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.web.servlet.function.RouterFunction;
import org.springframework.web.servlet.function.RouterFunctions;
import org.springframework.web.servlet.function.ServerResponse;

/**
 * The cost of the public rate limit on the two busiest public endpoints, {@code /t.gif} and
 * {@code /consent.js}, on PostgreSQL (issue 12). wrk sends each request as if through a trusted
 * proxy with a random client in {@code X-Forwarded-For} (65,536 clients), so the limiter keeps many
 * keys as in production; the limit itself is set too high to refuse anything. The mode is
 * {@code -Dbenchmark.flush-interval}: {@code PT1S} (counted locally, flushed every second, the
 * default) or {@code PT0S} (every request asks the database). Writes
 * {@code target/benchmark/edge-<label>.md} ({@code -Dbenchmark.label}, default "flush <interval>"). Run with
 * {@code bench/edge.sh}.
 */
@Tag("benchmark")
class EdgeBenchmark {

    private static final String DURATION = System.getProperty("benchmark.duration", "20s");
    private static final String FLUSH = System.getProperty("benchmark.flush-interval", "PT1S");
    private static final String LABEL = System.getProperty("benchmark.label", "flush " + FLUSH);
    private static final int CLIENTS = 16;
    private static final byte[] GIF = Base64.getDecoder().decode("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7");

    private final StringBuilder report = new StringBuilder();

    @Test
    void publicEndpointsUnderTheSharedRateLimit() throws Exception {
        Map<String, Object> properties = new HashMap<>(TestDatabases.freshDatabase("benchmark-edge"));
        properties.put("server.port", "0");
        properties.put("personvern.public.rate-limit-per-minute", "100000000");
        properties.put("personvern.rate-limits.flush-interval", FLUSH);
        properties.put("personvern.trusted-proxies", "127.0.0.1/32");
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
            String cookie = api.send("POST", "/api/v1/public/cookie-consent", null,
                    Map.of("Content-Type", "application/json"), "{\"choices\":{\"statistics\":true,\"marketing\":true}}")
                    .raw().headers().allValues("Set-Cookie").get(0).split(";")[0];
            Path script = Path.of("target", "benchmark", "random-client.lua").toAbsolutePath();
            Files.createDirectories(script.getParent());
            Files.writeString(script, """
                    request = function()
                      wrk.headers["X-Forwarded-For"] = "10.77." .. math.random(0, 255) .. "." .. math.random(0, 255)
                      return wrk.format(nil)
                    end
                    """);

            line("# Edge benchmark (%s) — %s", LABEL, Instant.now());
            line("");
            line("- machine: %d cores, JVM max heap %,d MiB, Java %s; wrk %d connections, %s per run",
                    Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() >> 20,
                    System.getProperty("java.version"), CLIENTS, DURATION);
            double bare = wrk("bare GIF endpoint (no logic, not rate-limited)", base + "/bench/bare.gif", List.of(), script);
            double pixel = wrk("`/t.gif` page view with statistics consent, random client", base + "/t.gif?e=pageview&p=/pris",
                    List.of("Cookie: " + cookie, "User-Agent: Mozilla/5.0 (X11; Linux x86_64) Chrome/156.0"), script);
            double banner = wrk("`/consent.js`, random client", base + "/consent.js", List.of(), script);
            line("- pixel / bare: **%.2f×**; banner script / bare: **%.2f×**", pixel / bare, banner / bare);
            JdbcClient jdbc = context.getBean(JdbcClient.class);
            line("- shared counter rows written: %,d (only clients past a tenth of the limit are written)",
                    jdbc.sql("SELECT COUNT(*) FROM rate_limit_counter").query(Long.class).single());
        }
        Path out = Path.of("target", "benchmark", "edge-" + LABEL.toLowerCase().replaceAll("[^a-z0-9]+", "-") + ".md");
        Files.writeString(out, report);
        System.out.println(report);
        assertThat(report).contains("requests/s");
    }

    private double wrk(String what, String url, List<String> headers, Path script) throws IOException,
            InterruptedException {
        List<String> command = new ArrayList<>(List.of("wrk", "-t2", "-c" + CLIENTS, "-d" + DURATION, "--latency"));
        headers.forEach(header -> command.addAll(List.of("-H", header)));
        command.addAll(List.of("-s", script.toString(), url));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(10, TimeUnit.MINUTES) || process.exitValue() != 0) {
            throw new IllegalStateException("wrk failed: " + output);
        }
        Matcher perSecond = Pattern.compile("Requests/sec:\\s+([0-9.]+)").matcher(output);
        if (!perSecond.find()) {
            throw new IllegalStateException("no figure in " + output);
        }
        String p99 = output.replaceAll("(?s).*\\s99%\\s+(\\S+).*", "$1");
        double rate = Double.parseDouble(perSecond.group(1));
        line("- %s: **%,.0f requests/s**, p99 %s%s", what, rate, p99,
                output.contains("Non-2xx") ? " (" + output.replaceAll("(?s).*(Non-2xx[^\\n]*).*", "$1").strip() + ")" : "");
        return rate;
    }

    private void line(String format, Object... args) {
        report.append(String.format(format, args)).append('\n');
    }
}
