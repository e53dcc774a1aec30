package no.personvern.benchmark;

import static no.personvern.testing.TestDatabases.arguments;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import no.personvern.Personvern;
import no.personvern.testing.Api;
import no.personvern.testing.TestDatabases;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Issue 12: a public request or a sign-up must not tell by its answer or its time whether the
 * address is known. Known addresses (people already held) and unknown ones are submitted
 * alternately, each address once (so that no limit on mail to one address changes the work), from
 * a different client each time; the medians are compared (target: within 10 % of each other, with
 * the spread of each shown beside). Writes {@code target/benchmark/enumeration.md}. Run with
 * {@code bench/enumeration.sh}.
 */
@Tag("benchmark")
class EnumerationTimingBenchmark {

    private static final int ROUNDS = Integer.getInteger("benchmark.rounds", 400);
    private static final int WARM_UP = 100;

    private final StringBuilder report = new StringBuilder();

    @Test
    void knownAndUnknownAddressesTakeTheSameTime() throws IOException {
        Map<String, Object> properties = new HashMap<>(TestDatabases.freshDatabase("benchmark-enumeration"));
        properties.put("server.port", "0");
        properties.put("personvern.public.rate-limit-per-minute", "100000000");
        properties.put("personvern.trusted-proxies", "127.0.0.1/32,::1/128");
        properties.put("personvern.retention.cron", "-");
        properties.put("logging.level.root", "WARN");
        try (ConfigurableApplicationContext context = new SpringApplicationBuilder(Personvern.class)
                .run(arguments(properties))) {
            Api api = new Api(Integer.parseInt(context.getEnvironment().getProperty("local.server.port")));
            line("# Known and unknown addresses — %s", Instant.now());
            line("");
            line("- %d rounds after %d to warm up; one known and one unknown address a round, alternating which"
                    + " goes first; each address used once, each call from a client of its own", ROUNDS, WARM_UP);
            line("");
            line("| endpoint | known: median (p10–p90) | unknown: median (p10–p90) | known / unknown |");
            line("|---|---|---|---|");
            compare(api, "`POST /api/v1/public/requests`", email -> "{\"type\":\"access\",\"email\":\"" + email + "\"}",
                    "/api/v1/public/requests");
            compare(api, "`POST /api/v1/public/subscriptions`", email -> "{\"list\":\"newsletter\",\"email\":\""
                    + email + "\"}", "/api/v1/public/subscriptions");
        }
        Path out = Path.of("target", "benchmark", "enumeration.md");
        Files.createDirectories(out.getParent());
        Files.writeString(out, report);
        System.out.println(report);
    }

    private void compare(Api api, String name, Function<String, String> body, String path) {
        int total = WARM_UP + ROUNDS;
        List<String> known = new ArrayList<>();
        for (int i = 0; i < total; i++) {
            String email = "kjent-" + UUID.randomUUID() + "@example.no";
            api.post("/api/v1/subjects", Api.ADMIN_TOKEN, "{\"system\":\"go\",\"activity\":\"service-delivery\","
                    + "\"identities\":{\"email\":\"" + email + "\"},\"data\":{\"user.name\":\"Kjent\"}}");
            known.add(email);
        }
        long[] knownNanos = new long[ROUNDS];
        long[] unknownNanos = new long[ROUNDS];
        for (int i = 0; i < total; i++) {
            String unknown = "ukjent-" + UUID.randomUUID() + "@example.no";
            boolean knownFirst = i % 2 == 0;
            long first = time(api, path, body.apply(knownFirst ? known.get(i) : unknown), 2 * i);
            long second = time(api, path, body.apply(knownFirst ? unknown : known.get(i)), 2 * i + 1);
            if (i >= WARM_UP) {
                knownNanos[i - WARM_UP] = knownFirst ? first : second;
                unknownNanos[i - WARM_UP] = knownFirst ? second : first;
            }
        }
        Arrays.sort(knownNanos);
        Arrays.sort(unknownNanos);
        line("| %s | %.2f ms (%.2f–%.2f) | %.2f ms (%.2f–%.2f) | **%.2f×** |", name, ms(knownNanos, 50),
                ms(knownNanos, 10), ms(knownNanos, 90), ms(unknownNanos, 50), ms(unknownNanos, 10),
                ms(unknownNanos, 90), ms(knownNanos, 50) / ms(unknownNanos, 50));
    }

    private static long time(Api api, String path, String body, int client) {
        String address = "10." + (client >> 16 & 255) + "." + (client >> 8 & 255) + "." + (client & 255);
        long start = System.nanoTime();
        Api.Response response = api.send("POST", path, null, Map.of("Content-Type", "application/json",
                "X-Forwarded-For", address), body);
        long elapsed = System.nanoTime() - start;
        if (response.status() != 202) {
            throw new IllegalStateException(path + " answered " + response.status() + ": " + response.body());
        }
        return elapsed;
    }

    private static double ms(long[] sorted, int percentile) {
        return sorted[Math.min(sorted.length - 1, sorted.length * percentile / 100)] / 1e6;
    }

    private void line(String format, Object... args) {
        report.append(String.format(format, args)).append('\n');
    }
}
