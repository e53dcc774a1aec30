package no.personvern.web.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import no.personvern.audit.AuditEntry;
import no.personvern.audit.AuditTrail;
import no.personvern.security.Staff;
import no.personvern.security.StaffMember;
import no.personvern.testing.Api;
import no.personvern.testing.ConsoleSession;
import no.personvern.testing.ConsoleSession.Page;
import no.personvern.testing.DatabaseTest;
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
 * The breach register's pages through HTTP: a breach recorded from the form, its 72-hour clock
 * running and then overdue (the test's clock moved past it), the reasons for a late notification
 * required and shown, the report to copy, the letters to the people affected with their progress,
 * and bad input answered with a page that stores nothing. Each step names the member of staff.
 */
@DatabaseTest
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = {ConsoleSession.FIRST_DPO,
    ConsoleSession.FIRST_DPO_PASSWORD, "personvern.retention.batch-size=1", "personvern.retention.batch-pause=PT0.15S",
    "personvern.retention.cron=-", "personvern.breaches.deadline-check-cron=-"})
@Import(RetentionConsoleSetup.class)
class BreachPagesTests {

    /** 11:00 in Norway: people written now fall in the breach's window of 10:55 to 11:05. */
    private static final Instant COLLECTED = Instant.parse("2032-03-01T10:00:00Z");

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
    StaffMember member;

    @BeforeEach
    void setUp() {
        clock.set(COLLECTED);
        api = new Api(port);
        RetentionPagesTests.clean(jdbc);
        dpo = ConsoleSession.dpo(port);
        assertThat(dpo.get("/admin/breaches?lang=en").status()).isEqualTo(200);
        member = staff.list().stream().filter(m -> m.username().equals(ConsoleSession.DPO)).findFirst().orElseThrow();
    }

    private Map<String, String> breach(String summary) {
        return RetentionPagesTests.form("discoveredAt", "2032-03-01T11:30", "summary", summary,
                "dataCategories", "user.name", "systems", "go", "from", "2032-03-01T10:55", "to", "2032-03-01T11:05",
                "measures", "The export's accounts are locked.", "likelyConsequences", "Names may be used for phishing.");
    }

    @Test
    void aRecordedBreachShowsItsClockGoesOverdueIsNotifiedLateAndItsPeopleAreToldWithProgress() {
        for (int i = 0; i < 3; i++) {
            People.in("go", "service-delivery").email("brudd-" + i + "-" + UUID.randomUUID() + "@example.no")
                    .verified("email").data("user.name", "Berørt " + i).create(api, Api.ADMIN_TOKEN);
        }
        clock.set(COLLECTED.plus(Duration.ofHours(1)));
        String summary = "A laptop with an export was stolen " + UUID.randomUUID();

        Page recorded = dpo.post("/admin/breaches", "/admin/breaches", breach(summary));
        assertThat(recorded.status()).as(recorded.body()).isEqualTo(302);
        String location = recorded.location();
        assertThat(location).matches("/admin/breaches/[0-9a-f-]{36}");
        UUID id = UUID.fromString(location.substring("/admin/breaches/".length()));

        Page page = dpo.get(location);
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.body()).as("discovered 10:30 UTC, now 11:00: 71.5 hours left").contains("71 h left")
                .contains(summary).doesNotContain("overdue");
        String report = between(page.body(), "<textarea id=\"report\"", "</textarea>");
        assertThat(report).contains(summary).contains("People affected (approx.): 3")
                .contains("(d) Measures taken or proposed: The export's accounts are locked.".replace("'", "&#39;"));
        assertThat(dpo.get(location + "?report=nb").body()).contains("Berørte personer (omtrent): 3");

        clock.advance(Duration.ofHours(72));
        Page list = dpo.get("/admin/breaches");
        String row = between(list.body(), "id=\"breach-" + id + "\"", "</tr>");
        assertThat(row).as("72.5 hours after discovery, half an hour ago").contains("Overdue by 1 h")
                .contains("clock overdue");

        assertThat(dpo.post(location, location + "/assessment", Map.of("risk", "high", "reasons", "Names and addresses"))
                .status()).isEqualTo(302);
        assertThat(dpo.get(location).body()).contains("A high risk").contains("Names and addresses");

        Page late = dpo.post(location, location + "/authority", Map.of("notifiedAt", "2032-03-04T11:50",
                "reference", "DT-2032-1"));
        assertThat(late.status()).as("late without reasons").isEqualTo(400);
        assertThat(late.body()).contains("Reasons for the delay").contains("lateReasons");
        assertThat(jdbc.sql("SELECT status FROM breach WHERE id = :id").param("id", id).query(String.class).single())
                .isEqualTo("assessed");
        Page notified = dpo.post(location, location + "/authority", Map.of("notifiedAt", "2032-03-04T11:50",
                "reference", "DT-2032-1", "lateReasons", "The extent was known only after the weekend"));
        assertThat(notified.status()).as(notified.body()).isEqualTo(302);
        Page after = dpo.get(location);
        assertThat(after.body()).contains("Notified late, 2032-03-04 11:50:00").contains("DT-2032-1")
                .contains("The extent was known only after the weekend");

        assertThat(dpo.post(location, location + "/people", Map.of("letterLang", "nb")).status()).isEqualTo(302);
        Page mailing = dpo.get(location);
        assertThat(mailing.body()).contains("id=\"mailing-status\"");
        Page done = await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> dpo.get(location + "/mailing"), fragment -> fragment.body().contains("Done"));
        assertThat(done.body()).doesNotContain("hx-trigger").contains("id=\"mailing-sent\">3<")
                .contains("id=\"mailing-pending\">0<").doesNotContain("<html");

        Page closed = dpo.post(location, location + "/close", Map.of("outcome", "Accounts locked, people told."));
        assertThat(closed.status()).isEqualTo(302);
        Page end = dpo.get(location);
        assertThat(end.body()).contains("Closed").doesNotContain("id=\"close\"");
        assertThat(between(end.body(), "id=\"history\"", "</table>")).contains(member.displayName())
                .contains("recorded").contains("authority-notified").contains("closed");

        assertThat(jdbc.sql("SELECT DISTINCT actor_name FROM breach_transition WHERE breach_id = :id AND action <> "
                + "'people-notified'").param("id", id).query(String.class).list()).containsExactly("staff:" + member.id());
        List<AuditEntry> entries = await().atMost(Duration.ofSeconds(10)).until(
                () -> RetentionPagesTests.entries(audit, "breach\\.(recorded|assessed|authority-notified|closed)").stream()
                        .filter(entry -> id.toString().equals(String.valueOf(entry.details().get("breach")))).toList(),
                found -> found.size() == 4);
        assertThat(entries).extracting(AuditEntry::actor).containsOnly("staff:" + member.id());
    }

    @Test
    void aBreachAssessedUnlikelyToResultInARiskIsNeverOverdue() {
        clock.set(COLLECTED.plus(Duration.ofHours(1)));
        String location = dpo.post("/admin/breaches", "/admin/breaches", breach("An encrypted disk was lost"))
                .location();
        UUID id = UUID.fromString(location.substring("/admin/breaches/".length()));
        assertThat(dpo.post(location, location + "/assessment", Map.of("risk", "unlikely", "reasons",
                "The disk was encrypted")).status()).isEqualTo(302);
        clock.advance(Duration.ofHours(100));

        String row = between(dpo.get("/admin/breaches").body(), "id=\"breach-" + id + "\"", "</tr>");
        assertThat(row).doesNotContain("Overdue").doesNotContain("clock overdue").contains("No notification needed");
        assertThat(dpo.get(location).body()).doesNotContain("Overdue").contains("No notification needed");
    }

    @Test
    void aBreachAssessedAsRiskCannotTellThePeopleAndNothingIsClosedOutOfOrder() {
        clock.set(COLLECTED.plus(Duration.ofHours(1)));
        Page recorded = dpo.post("/admin/breaches", "/admin/breaches", breach("A misdirected mail"));
        String location = recorded.location();
        Page early = dpo.post(location, location + "/close", Map.of("outcome", "Nothing"));
        assertThat(early.status()).isEqualTo(409);
        assertThat(early.body()).contains("That cannot be done now").contains("Assess the risk first");
        assertThat(dpo.post(location, location + "/assessment", Map.of("risk", "risk", "reasons", "Names")).status())
                .isEqualTo(302);
        Page people = dpo.post(location, location + "/people", Map.of("letterLang", "nb"));
        assertThat(people.status()).isEqualTo(409);
        assertThat(people.body()).contains("Art. 34(1)");
    }

    @Test
    void hostileInputOnTheBreachPagesGetsAPageAndStoresNothing() {
        clock.set(COLLECTED.plus(Duration.ofHours(1)));
        long before = breaches();
        List<Map<String, String>> forms = List.of(
                with("discoveredAt", "2026-13-45T25:61"),
                with("discoveredAt", ""),
                with("discoveredAt", "2099-01-01T00:00"),
                with("from", "yesterday"),
                with("summary", "x".repeat(100_000)),
                with("summary", ""),
                with("dataCategories", "user.no_such_thing"),
                with("systems", "no-such-system"),
                with("measures", "m".repeat(4001)));
        for (Map<String, String> form : forms) {
            Page answer = dpo.post("/admin/breaches", "/admin/breaches", form);
            assertThat(answer.status()).as(form.keySet() + ": " + answer.body()).isBetween(400, 499);
            assertThat(answer.body()).contains("id=\"error\"").doesNotContain("Exception");
        }
        assertThat(dpo.post("/admin/breaches", "/admin/breaches", with("discoveredAt", "2026-13-45T25:61")).body())
                .as("the form keeps what was typed").contains("A laptop").contains("Discovered at");
        assertThat(breaches()).as("nothing stored").isEqualTo(before);

        assertThat(dpo.get("/admin/breaches/not-a-breach").status()).isEqualTo(404);
        assertThat(dpo.get("/admin/breaches/" + UUID.randomUUID()).status()).isEqualTo(404);
        assertThat(dpo.get("/admin/breaches/" + UUID.randomUUID() + "/mailing").status()).isEqualTo(404);
        assertThat(dpo.post("/admin/breaches", "/admin/breaches/" + UUID.randomUUID() + "/assessment",
                Map.of("risk", "high", "reasons", "r")).status()).isEqualTo(404);

        String location = dpo.post("/admin/breaches", "/admin/breaches", breach("A lost phone")).location();
        assertThat(dpo.post(location, location + "/assessment", Map.of("risk", "extreme", "reasons", "r")).status())
                .isEqualTo(400);
        assertThat(dpo.post(location, location + "/assessment", Map.of("risk", "high", "reasons", "r".repeat(5000)))
                .status()).isEqualTo(400);
        assertThat(dpo.post(location, location + "/authority", Map.of("notifiedAt", "2032-02-31T10:00",
                "reference", "x")).status()).isEqualTo(400);
        assertThat(dpo.post(location, location + "/people", Map.of("letterLang", "de")).status()).isBetween(400, 409);
        assertThat(jdbc.sql("SELECT status FROM breach WHERE id = :id")
                .param("id", UUID.fromString(location.substring("/admin/breaches/".length()))).query(String.class)
                .single()).isEqualTo("open");
    }

    private Map<String, String> with(String field, String value) {
        Map<String, String> form = breach("A laptop was stolen");
        form.put(field, value);
        return form;
    }

    private long breaches() {
        return jdbc.sql("SELECT COUNT(*) FROM breach").query(Long.class).single();
    }

    private static String between(String html, String from, String to) {
        int start = html.indexOf(from);
        assertThat(start).as("the page holds " + from).isNotNegative();
        return html.substring(start, html.indexOf(to, start));
    }
}
