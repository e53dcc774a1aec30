package no.personvern.benchmark;

import static no.personvern.testing.TestDatabases.arguments;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import no.personvern.Personvern;
import no.personvern.subjects.AffectedPeople;
import no.personvern.testing.Api;
import no.personvern.testing.Json;
import no.personvern.testing.TestDatabases;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * Issue 14 on PostgreSQL, among N (default 1,000,000) people: how long {@code POST /api/v1/breaches}
 * takes to count the people a breach affects, for a whole system, a 30-day window, and several
 * categories, systems and documents at once; and how long paging through the affected people for
 * the letters takes. The people are seeded by SQL with values and documents whose "ciphertext" is
 * not AES-GCM and whose key ids name no key: any decryption would fail. On top, the key table is
 * renamed away while the breaches are recorded, and its scan counters are read before and after.
 * Not a test: it asserts only that the work was done and nothing touched the keys. Run with
 * {@code bench/breaches.sh}.
 */
@Tag("benchmark")
class BreachBenchmark {

    private static final int PEOPLE = Integer.getInteger("benchmark.people", 1_000_000);
    private static final int ROUNDS = 3;

    private final StringBuilder report = new StringBuilder();

    @Test
    void countingTheAffectedPeopleOfABreach() throws Exception {
        Map<String, Object> properties = new HashMap<>(TestDatabases.freshDatabase("benchmark-breaches"));
        properties.put("server.port", "0");
        properties.put("personvern.admin-token", Api.ADMIN_TOKEN);
        properties.put("personvern.retention.cron", "-");
        properties.put("personvern.breaches.deadline-check-cron", "-");
        properties.put("logging.level.root", "WARN");
        try (ConfigurableApplicationContext context = new SpringApplicationBuilder(Personvern.class)
                .run(arguments(properties))) {
            JdbcClient jdbc = context.getBean(JdbcClient.class);
            Api api = new Api(Integer.parseInt(context.getEnvironment().getProperty("local.server.port")));
            line("# Breach benchmark — %s", Instant.now());
            line("");
            line("- machine: %d cores, JVM max heap %,d MiB, %s", Runtime.getRuntime().availableProcessors(),
                    Runtime.getRuntime().maxMemory() >> 20, System.getProperty("java.version"));
            long seeded = System.nanoTime();
            // 1 % erased; a name in Go for everyone, collected over the past year; an address in WIN for every
            // second person; an uploaded image in Go Mobile for every tenth.
            jdbc.sql("""
                    INSERT INTO subject (id, key_id, created_at, updated_at, erased_at)
                    SELECT gen_random_uuid(), gen_random_uuid(), now(), now(),
                           CASE WHEN n % 100 = 0 THEN now() END
                    FROM generate_series(1, :people) n""").param("people", PEOPLE).update();
            jdbc.sql("""
                    INSERT INTO subject_value (id, subject_id, category, system_key, activity_key, purposes,
                                               collected_at, key_id, ciphertext)
                    SELECT gen_random_uuid(), id, 'user.name', 'go', 'service-delivery', 'essential.service',
                           now() - random() * interval '365 days', key_id, decode(md5(id::text), 'hex')
                    FROM subject""").update();
            jdbc.sql("""
                    INSERT INTO subject_value (id, subject_id, category, system_key, activity_key, purposes,
                                               collected_at, key_id, ciphertext)
                    SELECT gen_random_uuid(), id, 'user.contact.address', 'win', 'service-delivery',
                           'essential.service', now() - random() * interval '365 days', key_id,
                           decode(md5(id::text), 'hex')
                    FROM subject WHERE get_byte(uuid_send(id), 15) % 2 = 0""").update();
            jdbc.sql("""
                    INSERT INTO subject_document (id, subject_id, kind, system_key, activity_key, content_type,
                                                  size_bytes, key_id, uploaded_at, expires_at, category)
                    SELECT gen_random_uuid(), id, 'image', 'go-mobile', 'mobile-uploads', 'image/jpeg', 20000,
                           key_id, now() - random() * interval '90 days', now() + interval '1 day',
                           'user.content.image'
                    FROM subject WHERE get_byte(uuid_send(id), 15) % 10 = 0""").update();
            jdbc.sql("VACUUM ANALYZE").update();
            long values = jdbc.sql("SELECT COUNT(*) FROM subject_value").query(Long.class).single();
            long documents = jdbc.sql("SELECT COUNT(*) FROM subject_document").query(Long.class).single();
            long keys = jdbc.sql("SELECT COUNT(*) FROM data_key").query(Long.class).single();
            line("- seeded by SQL in %.0f s: %,d people (1 %% erased), %,d values, %,d documents; %,d data keys"
                    + " in the key store (none for the seeded people)", (System.nanoTime() - seeded) / 1e9, PEOPLE,
                    values, documents, keys);
            line("");

            Instant now = Instant.now();
            List<Scenario> scenarios = List.of(
                    new Scenario("a whole system: `user.name` in `go`, any time",
                            Map.of("dataCategories", List.of("user.name"), "systems", List.of("go"))),
                    new Scenario("a 30-day window: `user.name` in `go`",
                            Map.of("dataCategories", List.of("user.name"), "systems", List.of("go"), "from",
                                    now.minus(Duration.ofDays(30)).toString(), "to", now.toString())),
                    new Scenario("three categories (one of documents), three systems, two activities, a 90-day window",
                            Map.of("dataCategories", List.of("user.name", "user.contact.address", "user.content"),
                                    "systems", List.of("go", "win", "go-mobile"),
                                    "activities", List.of("service-delivery", "mobile-uploads"),
                                    "from", now.minus(Duration.ofDays(90)).toString())));

            jdbc.sql("ALTER TABLE data_key RENAME TO data_key_away").update();
            long keyScansBefore = keyTableScans(jdbc);
            List<String> ids = new ArrayList<>();
            long keyScansAfter;
            line("| breach | people | records | `POST /api/v1/breaches`, %d rounds | median |", ROUNDS);
            line("|---|---|---|---|---|");
            try {
                for (Scenario scenario : scenarios) {
                    List<Long> nanos = new ArrayList<>();
                    JsonNode answer = null;
                    for (int round = 0; round < ROUNDS; round++) {
                        Map<String, Object> body = new HashMap<>(scenario.body());
                        body.put("discoveredAt", Instant.now().minusSeconds(60).toString());
                        body.put("summary", "Benchmark: " + scenario.name());
                        body.put("measures", "None: a benchmark.");
                        body.put("likelyConsequences", "None: a benchmark.");
                        long started = System.nanoTime();
                        Api.Response recorded = api.post("/api/v1/breaches", Api.ADMIN_TOKEN, Json.write(body));
                        nanos.add(System.nanoTime() - started);
                        assertThat(recorded.status()).as(recorded.body()).isEqualTo(201);
                        answer = recorded.json();
                    }
                    ids.add(answer.get("id").asString());
                    JsonNode breach = api.get("/api/v1/breaches/" + answer.get("id").asString(), Api.ADMIN_TOKEN)
                            .json();
                    line("| %s | %,d | %,d | %s | **%s** |", scenario.name(), breach.get("affected").get("people")
                            .asLong(), breach.get("affected").get("records").asLong(),
                            nanos.stream().map(BreachBenchmark::ms).toList(), ms(median(nanos)));
                }
                keyScansAfter = keyTableScans(jdbc);
            } finally {
                jdbc.sql("ALTER TABLE data_key_away RENAME TO data_key").update();
            }
            line("");
            line("- the key table (`data_key`) was renamed away while the breaches were recorded, and was scanned"
                    + " %d times in between (sequential and index scans, `pg_stat_user_tables`)",
                    keyScansAfter - keyScansBefore);
            assertThat(keyScansAfter).isEqualTo(keyScansBefore);

            // The letters (Art. 34) start by listing everyone affected: one streamed pass, 500 ids at a time.
            AffectedPeople affected = context.getBean(AffectedPeople.class);
            org.springframework.transaction.support.TransactionTemplate transactions = context
                    .getBean(org.springframework.transaction.support.TransactionTemplate.class);
            for (AffectedPeople.Scope scope : List.of(
                    new AffectedPeople.Scope(Set.of("user.name"), Set.of("go"), Set.of(), now.minus(Duration.ofDays(30)),
                            now),
                    new AffectedPeople.Scope(Set.of("user.name"), Set.of("go"), Set.of(), null, null))) {
                long streamed = System.nanoTime();
                long[] people = {0, 0};
                transactions.executeWithoutResult(status -> affected.forEach(scope, 500, chunk -> {
                    people[0] += chunk.size();
                    people[1]++;
                }));
                long nanos = System.nanoTime() - streamed;
                line("- listing the %,d people of %s for the letters (`AffectedPeople.forEach`, one streamed pass,"
                        + " %,d chunks of up to 500 ids): %s", people[0], scope.from() == null ? "the whole system"
                                : "the 30-day window", people[1], ms(nanos));
                assertThat(people[0]).isEqualTo(affected.count(scope).people());
            }
        }
        Path out = Path.of("target", "benchmark", "breaches.md");
        Files.createDirectories(out.getParent());
        Files.writeString(out, report);
        System.out.println(report);
    }

    private record Scenario(String name, Map<String, Object> body) {
    }

    /** Scans of the key table, once every backend has reported what it did (statistics lag up to a second). */
    private static long keyTableScans(JdbcClient jdbc) throws InterruptedException {
        Thread.sleep(2000);
        jdbc.sql("SELECT pg_stat_clear_snapshot()").query().singleRow();
        return jdbc.sql("""
                SELECT COALESCE(seq_scan, 0) + COALESCE(idx_scan, 0) FROM pg_stat_user_tables
                WHERE relname IN ('data_key', 'data_key_away') AND schemaname = current_schema()""")
                .query(Long.class).single();
    }

    private static long median(List<Long> values) {
        long[] sorted = values.stream().mapToLong(Long::longValue).sorted().toArray();
        return sorted[sorted.length / 2];
    }

    private static String ms(long nanos) {
        return String.format("%.0f ms", nanos / 1e6);
    }

    private void line(String format, Object... args) {
        String line = String.format(format, args);
        System.out.println("bench| " + line);
        report.append(line).append('\n');
    }
}
