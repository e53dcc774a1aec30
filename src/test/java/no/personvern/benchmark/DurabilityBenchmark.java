package no.personvern.benchmark;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import no.personvern.testing.Api;
import no.personvern.testing.AppProcess;
import no.personvern.testing.TestDatabases;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * What durable commits cost: consents recorded per second over HTTP by 16 clients against the
 * packaged application on H2 with the default URL, on H2 with {@code WRITE_DELAY=0} (H2 writes
 * each commit itself, but no longer compacts its file), and on PostgreSQL for reference, with the
 * size of the H2 file. Run it before and after a change to compare. Writes
 * {@code target/benchmark/durability.md}. Run with {@code bench/durability.sh}.
 */
@Tag("benchmark")
class DurabilityBenchmark {

    private static final int SECONDS = Integer.getInteger("benchmark.seconds", 10);
    private static final int ROUNDS = Integer.getInteger("benchmark.rounds", 3);
    private static final int WARM_UP_SECONDS = 5;
    private static final int CLIENTS = 16;
    private static final int PEOPLE = 50;
    private static final String H2_WRITE_DELAY_0 = "jdbc:h2:file:${personvern.data-dir}/db/personvern;MODE=PostgreSQL;"
            + "DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;WRITE_DELAY=0";

    private final StringBuilder report = new StringBuilder();

    /** One configuration: its process, a token, the people it records consents for, and every round's figures. */
    private record Target(String label, AppProcess app, String token, List<String> people, List<Round> rounds) {
    }

    private record Round(double perSecond, double p50, double p99) {
    }

    @Test
    void consentsPerSecondWithAndWithoutDurableCommits() throws Exception {
        List<Target> targets = new ArrayList<>();
        try {
            targets.add(start("H2, default URL", TestDatabases.Kind.H2, Map.of()));
            targets.add(start("H2, WRITE_DELAY=0", TestDatabases.Kind.H2, Map.of("spring.datasource.url", H2_WRITE_DELAY_0)));
            targets.add(start("PostgreSQL", TestDatabases.Kind.POSTGRES, Map.of()));
            for (Target target : targets) {
                load(target, WARM_UP_SECONDS);
            }
            // Rounds in turn, so that other load on the machine falls on every configuration alike.
            for (int round = 0; round < ROUNDS; round++) {
                for (Target target : targets) {
                    target.rounds().add(load(target, SECONDS));
                }
            }
            line("# Durability benchmark — %s, commit %s", Instant.now(), System.getProperty("benchmark.commit", "?"));
            line("");
            line("- machine: %d cores, Java %s; the packaged jar as a process each (-Xmx1g); %d clients; %d s warm-up;"
                    + " %d rounds of %d s per configuration, in turn; figures are the median round",
                    Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"), CLIENTS,
                    WARM_UP_SECONDS, ROUNDS, SECONDS);
            line("");
            line("| database | consents/s (each round) | p50 | p99 | H2 files: running / after shutdown |");
            line("|---|---|---|---|---|");
            for (Target target : targets) {
                String running = fileSize(target);
                target.app().stop();
                List<Round> rounds = new ArrayList<>(target.rounds());
                rounds.sort(java.util.Comparator.comparingDouble(Round::perSecond));
                Round median = rounds.get(rounds.size() / 2);
                line("| %s | **%,.0f** (%s) | %.1f ms | %.1f ms | %s / %s |", target.label(), median.perSecond(),
                        String.join(", ", target.rounds().stream().map(r -> "%,.0f".formatted(r.perSecond())).toList()),
                        median.p50(), median.p99(), running, fileSize(target));
            }
        } finally {
            targets.forEach(target -> target.app().stop());
        }
        Path file = Path.of("target", "benchmark", "durability.md");
        Files.createDirectories(file.getParent());
        Files.writeString(file, report, StandardCharsets.UTF_8);
        System.out.println(report);
    }

    private static Target start(String label, TestDatabases.Kind kind, Map<String, String> properties) {
        AppProcess app = AppProcess.onFreshDatabase("DurabilityBenchmark-" + kind + "-" + properties.size(), kind);
        properties.forEach(app::property);
        app.jvmOptions("-Xmx1g").property("logging.level.root", "WARN").start();
        Api api = app.api();
        String token = api.post("/api/v1/tokens", Api.ADMIN_TOKEN,
                "{\"name\":\"bench\",\"scopes\":[\"subjects:write\",\"consent:write\"]}").json().get("token").asString();
        List<String> people = new ArrayList<>();
        for (int i = 0; i < PEOPLE; i++) {
            people.add(api.post("/api/v1/subjects", token, """
                    {"system":"newsletter","activity":"newsletter","identities":{"email":"bench-%s@example.no"},"data":{}}"""
                    .formatted(UUID.randomUUID())).json().get("id").asString());
        }
        return new Target(label, app, token, people, new ArrayList<>());
    }

    private static String fileSize(Target target) throws IOException {
        Path db = target.app().dataDir().resolve("db");
        return Files.isDirectory(db) && target.label().startsWith("H2") ? "%,d KiB".formatted(size(db) >> 10) : "—";
    }

    /** Consents from {@link #CLIENTS} clients for the given time: the rate and the latencies of the 201s. */
    private static Round load(Target target, int seconds) throws Exception {
        Api api = target.app().api();
        String token = target.token();
        List<String> people = target.people();
        AtomicBoolean done = new AtomicBoolean();
        List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
        ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
        List<Future<?>> running = new ArrayList<>();
        for (int c = 0; c < CLIENTS; c++) {
            int client = c;
            running.add(clients.submit(() -> {
                for (int n = 0; !done.get(); n++) {
                    long start = System.nanoTime();
                    Api.Response answer = api.post("/api/v1/subjects/" + people.get((client + n) % PEOPLE) + "/consents",
                            token, "{\"purpose\":\"marketing.communications.email\",\"granted\":" + (n % 2 == 0)
                                    + ",\"method\":\"web-form\"}");
                    if (answer.status() != 201) {
                        throw new IllegalStateException(answer.status() + ": " + answer.body());
                    }
                    latencies.add(System.nanoTime() - start);
                }
                return null;
            }));
        }
        Thread.sleep(seconds * 1000L);
        done.set(true);
        for (Future<?> each : running) {
            each.get();
        }
        clients.shutdown();
        List<Long> sorted = new ArrayList<>(latencies);
        Collections.sort(sorted);
        return new Round(sorted.size() / (double) seconds, sorted.get(sorted.size() / 2) / 1e6,
                sorted.get((int) (sorted.size() * 0.99)) / 1e6);
    }

    private static long size(Path directory) throws IOException {
        try (Stream<Path> files = Files.walk(directory)) {
            return files.filter(Files::isRegularFile).mapToLong(file -> file.toFile().length()).sum();
        }
    }

    private void line(String format, Object... args) {
        report.append(format.formatted(args)).append('\n');
    }
}
