package no.personvern.benchmark;

import static no.personvern.testing.TestDatabases.arguments;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import no.personvern.Personvern;
import no.personvern.testing.Api;
import no.personvern.testing.ConsoleSession;
import no.personvern.testing.People;
import no.personvern.testing.Requests;
import no.personvern.testing.TestDatabases;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The staff console at scale (issue 16), on PostgreSQL: 1,000,000 people, 100,000 requests and
 * 10,000,000 audit entries seeded by SQL (plus a few hundred people written through the API, whose
 * pages decrypt real values), then 8 staff sessions, each on a thread of its own, open the
 * dashboard, the request queue (first page, a status filter, the next page) and a person's page
 * in turn for a fixed time. Each view is a real HTTP request with the session's cookie, and each
 * person page writes its audit entry. Not a test: it writes its figures to
 * {@code target/benchmark/console.md}. Run with {@code bench/console.sh}.
 */
@Tag("benchmark")
class ConsoleBenchmark {

    private static final int PEOPLE = Integer.getInteger("benchmark.people", 1_000_000);
    private static final int REQUESTS = Integer.getInteger("benchmark.requests", 100_000);
    private static final long AUDIT = Long.getLong("benchmark.audit", 10_000_000L);
    private static final int REAL_PEOPLE = Integer.getInteger("benchmark.real-people", 200);
    private static final int SESSIONS = Integer.getInteger("benchmark.sessions", 8);
    private static final Duration DURATION = Duration.ofSeconds(Long.getLong("benchmark.seconds", 60L));
    private static final String PASSWORD = "benchmark console passphrase";

    private final StringBuilder report = new StringBuilder();

    @Test
    void theConsoleAtScale() throws Exception {
        Map<String, Object> properties = new HashMap<>(TestDatabases.freshDatabase("benchmark-console"));
        properties.put("server.port", "0");
        properties.put("personvern.admin-token", Api.ADMIN_TOKEN);
        properties.put("personvern.admin-user", "bench.dpo");
        properties.put("personvern.admin-password", PASSWORD);
        properties.put("personvern.staff.client-attempts", "1000");
        properties.put("personvern.public.rate-limit-per-minute", "1000000");
        properties.put("personvern.retention.cron", "-");
        properties.put("spring.datasource.hikari.maximum-pool-size", "16");
        properties.put("logging.level.root", "WARN");
        try (ConfigurableApplicationContext context = new SpringApplicationBuilder(Personvern.class)
                .run(arguments(properties))) {
            JdbcClient jdbc = context.getBean(JdbcClient.class);
            int port = Integer.parseInt(context.getEnvironment().getProperty("local.server.port"));
            Api api = new Api(port);
            line("# Console benchmark — %s", Instant.now());
            line("");
            line("- machine: %d cores, JVM max heap %,d MiB, %s", Runtime.getRuntime().availableProcessors(),
                    Runtime.getRuntime().maxMemory() >> 20, System.getProperty("java.version"));

            // People written through the API: their pages decrypt real values. Each files one request.
            List<String> real = new ArrayList<>();
            for (int i = 0; i < REAL_PEOPLE; i++) {
                String email = "bench-" + i + "@example.no";
                Api.Response written = api.post("/api/v1/subjects", Api.ADMIN_TOKEN, People.in("go", "service-delivery")
                        .email(email).phone("+479" + String.format("%07d", i)).data("user.name", "Person " + i).json());
                assertThat(written.status()).as(written.body()).isIn(200, 201);
                real.add(written.json().get("id").asString());
                if (i < 50) {
                    Api.Response filed = api.post("/api/v1/requests", Api.ADMIN_TOKEN,
                            Requests.staffBody(i % 2 == 0 ? "access" : "rectification", email));
                    assertThat(filed.status()).as(filed.body()).isEqualTo(201);
                }
            }
            await(jdbc);

            long seeded = System.nanoTime();
            jdbc.sql("""
                    INSERT INTO subject (id, key_id, created_at, updated_at)
                    SELECT gen_random_uuid(), gen_random_uuid(), now() - random() * interval '700 days', now()
                    FROM generate_series(1, :people) n""").param("people", PEOPLE).update();
            jdbc.sql("""
                    INSERT INTO subject_identity (id, blind_index, subject_id, kind, ciphertext, key_id, verified,
                                                  created_at)
                    SELECT gen_random_uuid(), md5(id::text) || md5(key_id::text), id, 'email',
                           decode(md5(id::text), 'hex'), key_id, TRUE, now()
                    FROM subject WHERE id NOT IN (SELECT subject_id FROM subject_identity)""").update();
            long identities = jdbc.sql("SELECT COUNT(*) FROM subject_identity").query(Long.class).single();

            // Requests: copies of the real ones (every column as the application writes it) for random
            // seeded people, spread over two years, most of them closed.
            List<String> columns = jdbc.sql("""
                    SELECT column_name FROM information_schema.columns
                    WHERE table_schema = current_schema() AND table_name = 'data_request' ORDER BY ordinal_position""")
                    .query(String.class).list();
            Map<String, String> replaced = Map.of(
                    "id", "gen_random_uuid()",
                    "subject_id", "(SELECT id FROM subject OFFSET floor(random() * :people) LIMIT 1)",
                    "status", "(ARRAY['completed','completed','completed','completed','completed','completed',"
                            + "'rejected','expired','open','in_progress'])[1 + floor(random() * 10)::int]",
                    "received_at", "now() - (n % 730) * interval '1 day'",
                    "due_at", "now() - (n % 730) * interval '1 day' + interval '30 days'",
                    "due_by", "now() - (n % 730) * interval '1 day' + interval '30 days'");
            String select = columns.stream().map(column -> replaced.getOrDefault(column, "r." + column))
                    .collect(Collectors.joining(", "));
            long template = jdbc.sql("SELECT COUNT(*) FROM data_request").query(Long.class).single();
            int perTemplate = (int) Math.ceil((REQUESTS - template) / (double) template);
            // A random seeded person per row, without a sub-select per row: people by row number.
            jdbc.sql("CREATE TEMPORARY TABLE bench_people AS SELECT id, row_number() OVER () AS k FROM subject").update();
            jdbc.sql("CREATE INDEX ON bench_people (k)").update();
            select = select.replace("(SELECT id FROM subject OFFSET floor(random() * :people) LIMIT 1)", "p.id");
            jdbc.sql("INSERT INTO data_request (" + String.join(", ", columns) + ") SELECT " + select
                    + " FROM data_request r CROSS JOIN generate_series(1, :copies) n"
                    + " JOIN bench_people p ON p.k = 1 + ((n::bigint * 7919 + abs(hashtext(r.id::text)::bigint)) % :people)")
                    .param("copies", perTemplate).param("people", PEOPLE).update();
            long requests = jdbc.sql("SELECT COUNT(*) FROM data_request").query(Long.class).single();

            // The audit trail: 10,000,000 entries over two years, for pseudonyms of a million people.
            long head = jdbc.sql("SELECT seq FROM audit_head WHERE id = 1").query(Long.class).single();
            jdbc.sql("""
                    INSERT INTO audit_entry (seq, at, actor, action, subject_ref, details, prev_hash, hash)
                    SELECT :head + n, now() - interval '730 days' + make_interval(secs => n::float8 * 63072000 / :audit),
                           (ARRAY['system', 'token:00000000-0000-0000-0000-000000000001', 'scheduler'])[1 + n % 3],
                           (ARRAY['subject.read', 'subject.written', 'consent.recorded', 'request.opened',
                                  'retention.swept', 'pixel.flushed'])[1 + n % 6],
                           's_' || substr(md5((n % 1000000)::text), 1, 32), '{}', md5(n::text) || md5(n::text),
                           md5((n + 1)::text) || md5((n + 1)::text)
                    FROM generate_series(1, :audit) n""").param("head", head).param("audit", AUDIT).update();
            jdbc.sql("UPDATE audit_head SET seq = :seq, hash = md5(:last) || md5(:last) WHERE id = 1")
                    .param("seq", head + AUDIT).param("last", String.valueOf(AUDIT + 1)).update();
            jdbc.sql("VACUUM ANALYZE").update();
            long audit = jdbc.sql("SELECT seq FROM audit_head WHERE id = 1").query(Long.class).single();
            line("- seeded in %.0f s: %,d people (%,d identities), %,d requests, %,d audit entries; %d of the people"
                    + " written through the API (their pages decrypt real values)", (System.nanoTime() - seeded) / 1e9,
                    jdbc.sql("SELECT COUNT(*) FROM subject").query(Long.class).single(), identities, requests, audit,
                    REAL_PEOPLE);
            line("- %d staff sessions (the first DPO, signed in %d times), each on its own thread, for %d s; each"
                    + " session opens in turn the dashboard, the queue's first page, the queue filtered by status"
                    + " `open`, the queue's next page, and the page of one of the people written through the API",
                    SESSIONS, SESSIONS, DURATION.toSeconds());
            line("");

            List<ConsoleSession> sessions = new ArrayList<>();
            for (int i = 0; i < SESSIONS; i++) {
                sessions.add(ConsoleSession.signedIn(port, "bench.dpo", PASSWORD));
            }
            String next = nextPageLink(sessions.get(0).get("/admin/requests").body());
            List<String> pages = List.of("/admin", "/admin/requests", "/admin/requests?status=open", next, "person");
            // Warm-up: each page a few times, so the figures are of a warm process.
            for (int i = 0; i < 5; i++) {
                for (String page : pages) {
                    sessions.get(0).get(page.equals("person") ? "/admin/subjects/" + real.get(i) : page);
                }
            }

            Map<String, ConcurrentLinkedQueue<Long>> nanos = new ConcurrentHashMap<>();
            pages.forEach(page -> nanos.put(label(page), new ConcurrentLinkedQueue<>()));
            AtomicInteger failures = new AtomicInteger();
            long until = System.nanoTime() + DURATION.toNanos();
            ExecutorService threads = Executors.newFixedThreadPool(SESSIONS);
            List<Future<?>> running = new ArrayList<>();
            for (int s = 0; s < SESSIONS; s++) {
                ConsoleSession session = sessions.get(s);
                int offset = s;
                running.add(threads.submit(() -> {
                    for (int n = offset; System.nanoTime() < until; n++) {
                        String page = pages.get(n % pages.size());
                        String path = page.equals("person") ? "/admin/subjects/" + real.get(n % real.size()) : page;
                        long started = System.nanoTime();
                        ConsoleSession.Page answer = session.get(path);
                        long took = System.nanoTime() - started;
                        if (answer.status() != 200) {
                            failures.incrementAndGet();
                        }
                        nanos.get(label(page)).add(took);
                    }
                }));
            }
            for (Future<?> thread : running) {
                thread.get();
            }
            threads.shutdown();

            line("| page | views | p50 | p95 | p99 | max | target p95 < 300 ms |");
            line("|---|---|---|---|---|---|---|");
            long all = 0;
            for (String page : pages) {
                List<Long> sorted = new ArrayList<>(nanos.get(label(page)));
                Collections.sort(sorted);
                all += sorted.size();
                double p95 = ms(sorted, 0.95);
                line("| %s | %,d | %.1f ms | **%.1f ms** | %.1f ms | %.1f ms | %s |", label(page), sorted.size(),
                        ms(sorted, 0.50), p95, ms(sorted, 0.99), sorted.get(sorted.size() - 1) / 1e6,
                        p95 < 300 ? "met" : "**missed**");
            }
            line("");
            line("- %,d views in %d s (%.0f views/s), %d answers other than 200", all, DURATION.toSeconds(),
                    all / (double) DURATION.toSeconds(), failures.get());
            assertThat(failures.get()).as("every view answered 200").isZero();
        }
        Path out = Path.of("target", "benchmark", "console.md");
        Files.createDirectories(out.getParent());
        Files.writeString(out, report);
        System.out.println(report);
    }

    /** Waits until the work set off by the API writes (fan-outs, mails, the audit chainer) is done. */
    private static void await(JdbcClient jdbc) throws InterruptedException {
        for (int i = 0; i < 120; i++) {
            long pending = jdbc.sql("SELECT COUNT(*) FROM audit_pending").query(Long.class).single();
            if (pending == 0) {
                return;
            }
            Thread.sleep(500);
        }
    }

    private static String nextPageLink(String queue) {
        var matcher = java.util.regex.Pattern.compile("href=\"(/admin/requests\\?[^\"]*after[^\"]*)\"").matcher(queue);
        assertThat(matcher.find()).as("the queue links its next page").isTrue();
        return matcher.group(1).replace("&amp;", "&");
    }

    private static String label(String page) {
        if (page.equals("person")) {
            return "a person's page `/admin/subjects/{id}`";
        }
        if (page.contains("after")) {
            return "the queue's next page (keyset)";
        }
        return "`" + page + "`";
    }

    private static double ms(List<Long> sorted, double quantile) {
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(quantile * sorted.size()) - 1)) / 1e6;
    }

    private void line(String format, Object... args) {
        report.append(String.format(format, args)).append('\n');
    }
}
