package no.personvern.web.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import no.personvern.audit.AuditEntry;
import no.personvern.audit.AuditTrail;
import no.personvern.security.Staff;
import no.personvern.security.StaffMember;
import no.personvern.security.StaffRole;
import no.personvern.testing.Api;
import no.personvern.testing.ConsoleSession;
import no.personvern.testing.ConsoleSession.Page;
import no.personvern.testing.DatabaseTest;
import no.personvern.testing.Multipart;
import no.personvern.testing.MutableClock;
import no.personvern.testing.People;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The DPO's retention and breach pages through HTTP, as a browser without JavaScript uses them:
 * dry and real runs with their counts, one run at a time, legal holds placed and ended, the breach
 * register with its 72-hour clock, the report and the letters' progress, and hostile input answered
 * with a page (4xx) that stores nothing. Every step is audited with the member of staff as actor.
 */
@DatabaseTest
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = {ConsoleSession.FIRST_DPO,
    ConsoleSession.FIRST_DPO_PASSWORD, "personvern.retention.batch-size=1", "personvern.retention.batch-pause=PT0.15S",
    "personvern.retention.cron=-", "personvern.breaches.deadline-check-cron=-"})
@Import(RetentionConsoleSetup.class)
class RetentionPagesTests {

    static final Instant START = Instant.parse("2031-01-10T09:00:00Z");
    private static final Pattern RUN = Pattern.compile("/admin/retention/runs/([0-9a-f-]{36})");

    @LocalServerPort
    int port;

    @Autowired
    MutableClock clock;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    Staff staff;

    @Autowired
    AuditTrail audit;

    Api api;
    ConsoleSession dpo;
    String actor;

    @BeforeEach
    void setUp() {
        clock.set(START);
        api = new Api(port);
        clean(jdbc);
        dpo = ConsoleSession.dpo(port);
        assertThat(dpo.get("/admin/retention?lang=en").status()).isEqualTo(200);
        StaffMember first = staff.list().stream().filter(member -> member.username().equals(ConsoleSession.DPO))
                .findFirst().orElseThrow();
        actor = "staff:" + first.id();
    }

    /** An empty vault and no run going, so that a run's counts are the test's alone. */
    static void clean(JdbcClient jdbc) {
        jdbc.sql("DELETE FROM subject_document").update();
        jdbc.sql("DELETE FROM subject_value").update();
        jdbc.sql("DELETE FROM retention_trigger").update();
        jdbc.sql("DELETE FROM legal_hold").update();
        jdbc.sql("DELETE FROM data_request").update();
    }

    @Test
    void aDryRunCountsWhatWouldGoThenARealRunDeletesItAndASecondRunIsRefusedWhileOneGoes() {
        String person = withUploads(api, 3);

        Page dry = dpo.post("/admin/retention", "/admin/retention/runs", Map.of("dryRun", "true", "asOf", "2031-04-12"));
        assertThat(dry.status()).as(dry.body()).isEqualTo(302);
        Page dryRun = finished(dry.location());
        assertThat(dryRun.body()).contains("Dry run").contains("Completed");
        assertThat(row(dryRun.body(), "mobile-uploads")).as("documents that would go").containsSequence("0", "3");
        assertThat(documents(person)).as("a dry run deletes nothing").isEqualTo(3);

        Page early = finished(start("false").location());
        assertThat(early.body()).contains("Retention run").contains("Completed").doesNotContain("activity-mobile-uploads");
        assertThat(documents(person)).as("not yet three months").isEqualTo(3);

        clock.set(Instant.parse("2031-04-12T09:00:00Z"));
        Page started = start("false");
        String location = started.location();
        Page going = dpo.get(location);
        assertThat(going.body()).as("the page of a run that goes polls for its counts, and links to itself")
                .contains("hx-trigger=\"every 1s\"").contains("hx-get=\"" + location + "/progress\"")
                .contains("id=\"refresh\"");
        Page refused = dpo.post("/admin/retention", "/admin/retention/runs", Map.of("dryRun", "false"));
        assertThat(refused.status()).as("one run at a time").isEqualTo(409);
        assertThat(refused.body()).contains("A retention run is going already");
        assertThat(jdbc.sql("SELECT COUNT(*) FROM retention_run WHERE status = 'running'").query(Long.class).single())
                .isEqualTo(1);

        Page done = finished(location);
        assertThat(row(done.body(), "mobile-uploads")).containsSequence("0", "3");
        assertThat(documents(person)).isZero();
        Page progress = dpo.get(location + "/progress");
        assertThat(progress.status()).isEqualTo(200);
        assertThat(progress.body()).as("a finished run's counts poll no more").doesNotContain("hx-trigger")
                .contains("id=\"run-status\"").doesNotContain("<html");

        Page list = dpo.get("/admin/retention");
        assertThat(list.body()).contains(location).contains("Dry run").contains("Real run");
        String run = id(location).toString();
        List<String> swept = await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
                .until(() -> entries(audit, "retention\\.swept").stream()
                        .filter(entry -> run.equals(String.valueOf(entry.details().get("run")))).map(AuditEntry::actor)
                        .toList(), found -> !found.isEmpty());
        assertThat(swept).as("the run's deletions are audited as the DPO's").containsOnly(actor);
        assertThat(jdbc.sql("SELECT started_by FROM retention_run WHERE id = :id").param("id", id(location))
                .query(String.class).single()).startsWith(actor + " @ ");
    }

    @Test
    void aRunOfAnotherInstanceHoldingTheLeaseRefusesTheButton() {
        UUID other = UUID.randomUUID();
        jdbc.sql("""
                INSERT INTO retention_run (id, status, dry_run, as_of, started_by, started_at, deleted, kept)
                VALUES (:id, 'running', FALSE, :at, 'other-instance', :at, '{}', '{}')""")
                .param("id", other).param("at", START.atOffset(ZoneOffset.UTC)).update();
        jdbc.sql("DELETE FROM shedlock WHERE name = 'retention-sweep'").update();
        jdbc.sql("INSERT INTO shedlock (name, lock_until, locked_at, locked_by) VALUES ('retention-sweep',"
                + " TIMESTAMP '2999-01-01 00:00:00', TIMESTAMP '2000-01-01 00:00:00', 'other-instance')").update();
        try {
            Page page = dpo.get("/admin/retention");
            assertThat(page.body()).as("the page says a run goes, and links to it")
                    .contains("/admin/retention/runs/" + other);
            Page refused = dpo.post("/admin/retention", "/admin/retention/runs", Map.of("dryRun", "true"));
            assertThat(refused.status()).isEqualTo(409);
            assertThat(refused.body()).contains("A retention run is going already").contains(other.toString());
        } finally {
            jdbc.sql("UPDATE shedlock SET lock_until = TIMESTAMP '2000-01-01 00:02:00' WHERE name = 'retention-sweep'")
                    .update();
            jdbc.sql("UPDATE retention_run SET status = 'abandoned' WHERE status = 'running'").update();
        }
    }

    @Test
    void aHoldIsPlacedListedKeepsDataWhoseTimeRanOutAndEndsWithAReason() {
        String person = withUploads(api, 2);
        String reason = "Tvist om faktura " + UUID.randomUUID();
        Page placed = dpo.post("/admin/retention", "/admin/retention/holds",
                Map.of("subjectId", person, "reason", reason, "until", ""));
        assertThat(placed.status()).as(placed.body()).isEqualTo(302);
        Page page = dpo.get("/admin/retention?placed");
        assertThat(page.body()).contains("/admin/subjects/" + person).contains(reason)
                .contains(staff.find(UUID.fromString(actor.substring(6))).orElseThrow().displayName());
        UUID hold = jdbc.sql("SELECT id FROM legal_hold WHERE subject_id = :s").param("s", UUID.fromString(person))
                .query(UUID.class).single();
        assertThat(jdbc.sql("SELECT placed_by FROM legal_hold WHERE id = :id").param("id", hold).query(String.class)
                .single()).isEqualTo(actor);
        assertThat(actors("legal-hold\\.placed")).contains(actor);

        // Later than the other tests' runs: the page counts from the latest run.
        clock.set(Instant.parse("2031-04-13T09:00:00Z"));
        Page run = finished(start("false").location());
        assertThat(run.body()).contains("legal-hold");
        assertThat(documents(person)).as("the hold keeps them").isEqualTo(2);
        assertThat(dpo.get("/admin/retention").body()).as("data waiting for the hold to end")
                .contains("id=\"waiting-legal-hold\">2<");

        Page blank = dpo.post("/admin/retention", "/admin/retention/holds/" + hold + "/end", Map.of("reason", " "));
        assertThat(blank.status()).isEqualTo(400);
        assertThat(blank.body()).contains("Give the reason the hold ends");
        Page ended = dpo.post("/admin/retention", "/admin/retention/holds/" + hold + "/end",
                Map.of("reason", "The claim was settled"));
        assertThat(ended.status()).isEqualTo(302);
        assertThat(dpo.get("/admin/retention?ended").body()).doesNotContain(reason).contains("The legal hold has ended.");
        Map<String, Object> stored = jdbc.sql("SELECT released_by, release_reason FROM legal_hold WHERE id = :id")
                .param("id", hold).query().singleRow();
        assertThat(stored.values()).containsExactly(actor, "The claim was settled");
        assertThat(actors("legal-hold\\.released")).contains(actor);
        Page again = dpo.post("/admin/retention", "/admin/retention/holds/" + hold + "/end", Map.of("reason", "again"));
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.body()).contains("The legal hold has ended already");
    }

    @Test
    void theHoldListIsAViewOfEachPersonListedAndAnExtremePagePositionIsABadRequest() {
        String first = People.in("go", "service-delivery").email("h1-" + UUID.randomUUID() + "@example.no")
                .data("user.name", "Holdt En").create(api, Api.ADMIN_TOKEN);
        String second = People.in("go", "service-delivery").email("h2-" + UUID.randomUUID() + "@example.no")
                .data("user.name", "Holdt To").create(api, Api.ADMIN_TOKEN);
        for (String person : List.of(first, second)) {
            Page placed = dpo.post("/admin/retention", "/admin/retention/holds",
                    Map.of("subjectId", person, "reason", "Tvist " + UUID.randomUUID(), "until", ""));
            assertThat(placed.status()).as(placed.body()).isEqualTo(302);
        }
        // Each page is one view of every person it lists: the second form's page listed the first hold.
        await().atMost(Duration.ofSeconds(10)).until(() -> holdViews(first).size() == 1);
        Map<String, Integer> before = Map.of(first, 1, second, 0);
        assertThat(holdViews(second)).isEmpty();
        Page page = dpo.get("/admin/retention");
        assertThat(page.body()).contains("/admin/subjects/" + first).contains("/admin/subjects/" + second);
        for (String person : List.of(first, second)) {
            List<AuditEntry> viewed = await().atMost(Duration.ofSeconds(10)).until(() -> holdViews(person),
                    found -> found.size() > before.get(person));
            assertThat(viewed).as(person).hasSize(before.get(person) + 1);
            assertThat(String.valueOf(viewed.get(0).details().get("holds"))).isEqualTo("1");
            assertThat(viewed.get(0).actor()).isEqualTo(actor);
        }

        for (String after : List.of("%2B1000000000-12-31T23:59:59Z_", "-1000000000-01-01T00:00:00Z_",
                "9999-01-01T00:00:00Z_", "1969-12-31T23:59:59Z_")) {
            Page answer = dpo.get("/admin/retention?after=" + after + UUID.randomUUID());
            assertThat(answer.status()).as(after).isEqualTo(400);
            assertThat(answer.header("Content-Type")).as(after).startsWith("text/html");
            assertThat(answer.body()).as(after).contains("<main").doesNotContain("Exception");
        }
        assertThat(dpo.get("/admin/retention?after=2030-01-01T00:00:00Z_" + UUID.randomUUID()).status())
                .isEqualTo(200);
    }

    private List<AuditEntry> holdViews(String person) {
        String ref = audit.subjectRef(UUID.fromString(person));
        return audit.newestFirst(new AuditTrail.Filter(ref, null, "console.viewed", null, null), null, 50).stream()
                .filter(entry -> "legal-holds".equals(entry.details().get("page"))).toList();
    }

    @Test
    void hostileInputOnTheRetentionPageGetsAPageAndStoresNothing() {
        String person = People.in("go", "service-delivery").email("p-" + UUID.randomUUID() + "@example.no")
                .data("user.name", "Hold Fast").create(api, Api.ADMIN_TOKEN);
        long runs = count("retention_run");
        for (Map<String, String> form : List.of(Map.of("dryRun", "true", "asOf", "2026-13-45"),
                Map.of("dryRun", "true", "asOf", "x".repeat(20_000)), Map.of("dryRun", "maybe"), Map.<String, String>of(),
                Map.of("dryRun", "true", "asOf", "10000-01-01"))) {
            Page answer = dpo.post("/admin/retention", "/admin/retention/runs", form);
            assertThat(answer.status()).as(form.toString()).isBetween(400, 499);
            assertThat(answer.body()).as(form.toString()).contains("<main").doesNotContain("Exception");
        }
        assertThat(dpo.post("/admin/retention", "/admin/retention/runs", Map.of("dryRun", "true", "asOf", "2026-13-45"))
                .body()).contains("The date is not a valid date");
        assertThat(count("retention_run")).as("no run started").isEqualTo(runs);

        List<Map<String, String>> holds = new ArrayList<>();
        holds.add(Map.of("subjectId", "not-an-id", "reason", "r"));
        holds.add(Map.of("subjectId", UUID.randomUUID().toString(), "reason", "r"));
        holds.add(Map.of("subjectId", person, "reason", "r".repeat(501)));
        holds.add(Map.of("subjectId", person, "reason", ""));
        holds.add(Map.of("subjectId", person, "reason", "r", "until", "2031-02-30"));
        holds.add(Map.of("subjectId", person, "reason", "r", "until", "2030-01-01"));
        holds.add(Map.of("subjectId", person, "reason", "r".repeat(100_000)));
        for (Map<String, String> form : holds) {
            Page answer = dpo.post("/admin/retention", "/admin/retention/holds", form);
            assertThat(answer.status()).as(form.keySet() + " " + answer.body()).isBetween(400, 499);
        }
        assertThat(count("legal_hold")).isZero();

        assertThat(dpo.get("/admin/retention/runs/not-a-run").status()).isEqualTo(404);
        assertThat(dpo.get("/admin/retention/runs/" + UUID.randomUUID()).status()).isEqualTo(404);
        assertThat(dpo.get("/admin/retention/runs/" + UUID.randomUUID() + "/progress").status()).isEqualTo(404);
        assertThat(dpo.get("/admin/retention?after=garbage").status()).isEqualTo(400);
        assertThat(dpo.post("/admin/retention", "/admin/retention/holds/xyz/end", Map.of("reason", "r")).status())
                .isEqualTo(404);
        assertThat(dpo.post("/admin/retention", "/admin/retention/holds/" + UUID.randomUUID() + "/end",
                Map.of("reason", "r")).status()).isEqualTo(404);

        var invitation = staff.invite("agent.ret" + System.nanoTime() % 100000, "Agent R", "r@example.test",
                StaffRole.AGENT);
        staff.acceptInvitation(invitation.secret(), "a long password for the agent");
        ConsoleSession agent = ConsoleSession.signedIn(port, invitation.member().username(),
                "a long password for the agent");
        assertThat(agent.get("/admin/retention").status()).isEqualTo(403);
        assertThat(agent.get("/admin/breaches").status()).isEqualTo(403);
    }

    // ---- helpers ---------------------------------------------------------------------------

    private Page start(String dryRun) {
        Page started = dpo.post("/admin/retention", "/admin/retention/runs", Map.of("dryRun", dryRun));
        assertThat(started.status()).as(started.body()).isEqualTo(302);
        assertThat(started.location()).matches(RUN.pattern());
        return started;
    }

    /** The run's page once the run has finished (completed: anything else fails). */
    private Page finished(String location) {
        Page page = await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                .until(() -> dpo.get(location), answer -> !answer.body().contains("hx-trigger"));
        assertThat(page.body()).contains("Completed");
        return page;
    }

    /** The cells of an activity's row in a run's table, as text. */
    static List<String> row(String html, String activity) {
        Matcher row = Pattern.compile("id=\"activity-" + activity + "\">(.*?)</tr>", Pattern.DOTALL).matcher(html);
        assertThat(row.find()).as("a row for " + activity).isTrue();
        List<String> cells = new ArrayList<>();
        Matcher cell = Pattern.compile("<td[^>]*>([^<]*)</td>").matcher(row.group(1));
        while (cell.find()) {
            cells.add(cell.group(1).strip());
        }
        return cells;
    }

    private static UUID id(String location) {
        Matcher matcher = RUN.matcher(location);
        assertThat(matcher.find()).isTrue();
        return UUID.fromString(matcher.group(1));
    }

    private long documents(String person) {
        return jdbc.sql("SELECT COUNT(*) FROM subject_document WHERE subject_id = :s").param("s", UUID.fromString(person))
                .query(Long.class).single();
    }

    private long count(String table) {
        return jdbc.sql("SELECT COUNT(*) FROM " + table).query(Long.class).single();
    }

    /** The actors of the audit entries of these actions (the trail is written after the commit). */
    List<String> actors(String actions) {
        return await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
                .until(() -> entries(audit, actions).stream().map(AuditEntry::actor).toList(), found -> !found.isEmpty());
    }

    static List<AuditEntry> entries(AuditTrail audit, String actions) {
        List<AuditEntry> entries = new ArrayList<>();
        long after = 0;
        for (List<AuditEntry> page = audit.entries(null, null, null, after, 500); !page.isEmpty();
                page = audit.entries(null, null, null, after, 500)) {
            page.stream().filter(entry -> entry.action().matches(actions)).forEach(entries::add);
            after = page.get(page.size() - 1).seq();
        }
        return entries;
    }

    /** A person of the mobile app with {@code n} uploads, which go three months after they came. */
    static String withUploads(Api api, int n) {
        Api.Response created = People.in("go-mobile", "service-delivery").email("p-" + UUID.randomUUID() + "@example.no")
                .data("user.name", "Mobil Bruker").write(api, Api.ADMIN_TOKEN);
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        String subject = created.json().get("id").asString();
        for (int i = 0; i < n; i++) {
            Api.Response stored = api.postMultipart("/api/v1/subjects/" + subject + "/documents", Api.ADMIN_TOKEN,
                    new Multipart().field("kind", "voucher").field("system", "go-mobile")
                            .file("file", "bilag.jpg", "image/jpeg", new byte[] {1, 2, 3, 4}));
            assertThat(stored.status()).as(stored.body()).isEqualTo(201);
        }
        return subject;
    }

    static Map<String, String> form(String... pairs) {
        Map<String, String> form = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            form.put(pairs[i], pairs[i + 1]);
        }
        return form;
    }
}
