package no.personvern.web.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import no.personvern.audit.AuditEntry;
import no.personvern.audit.AuditTrail;
import no.personvern.disclosures.Disclosure;
import no.personvern.disclosures.DisclosureLog;
import no.personvern.security.Staff;
import no.personvern.security.StaffRole;
import no.personvern.testing.Api;
import no.personvern.testing.ConsoleSession;
import no.personvern.testing.ConsoleSession.Page;
import no.personvern.testing.DatabaseTest;
import no.personvern.testing.Json;
import no.personvern.testing.MutableClock;
import no.personvern.testing.People;
import no.personvern.testing.Requests;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * The dashboard, the record of processing and the processors page through HTTP as a browser uses
 * them, with data filed through the REST API: the figures shown are the ones filed; agents see no
 * DPO box and are refused the DPO's pages; hostile query parameters get a 4xx page.
 */
@DatabaseTest
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = {ConsoleSession.FIRST_DPO,
    ConsoleSession.FIRST_DPO_PASSWORD, "personvern.breaches.deadline-check-cron=-"})
class ConsoleDashboardTests {

    /** Sunday 6 December 2026, 11:00 in Oslo. */
    static final Instant NOW = Instant.parse("2026-12-06T10:00:00Z");

    @TestConfiguration
    static class FixedClock {
        @Bean
        @Primary
        MutableClock testClock() {
            return new MutableClock(NOW);
        }
    }

    @LocalServerPort
    int port;

    @Autowired
    MutableClock clock;

    @Autowired
    Staff staff;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    DisclosureLog disclosureLog;

    @Autowired
    DashboardFigures figures;

    @Autowired
    AuditTrail audit;

    Api api;

    @BeforeEach
    void setUp() {
        api = new Api(port);
        clock.set(NOW);
        figures.forget();
    }

    private static String unique(String name) {
        return name + "-" + UUID.randomUUID() + "@example.no";
    }

    private String person(String email) {
        return People.in("go", "service-delivery").email(email).data("user.name", "Dag Board").create(api,
                Api.ADMIN_TOKEN);
    }

    /** A rectification filed by staff at {@code at}: due a month later. */
    private String rectificationAt(Instant at) {
        clock.set(at);
        try {
            String email = unique("frist");
            person(email);
            Api.Response filed = api.post("/api/v1/requests", Api.ADMIN_TOKEN, Json.object("type", "rectification",
                    "email", email, "channel", "phone", "verifiedBy", "agent 7: BankID", "message", "Feil navn"));
            assertThat(filed.status()).as(filed.body()).isEqualTo(201);
            return filed.json().get("id").asString();
        } finally {
            clock.set(NOW);
        }
    }

    private static String figure(String body, String id) {
        Matcher matcher = Pattern.compile("id=\"" + Pattern.quote(id) + "\"[^>]*>\\s*([0-9]+)\\s*<").matcher(body);
        assertThat(matcher.find()).as("figure " + id).isTrue();
        return matcher.group(1);
    }

    private static String element(String body, String id, String end) {
        int start = body.indexOf("id=\"" + id + "\"");
        assertThat(start).as("element " + id).isNotNegative();
        return body.substring(start, body.indexOf(end, start));
    }

    private ConsoleSession agent() {
        String name = "agent." + UUID.randomUUID().toString().substring(0, 8);
        var invitation = staff.invite(name, "Agent Dash", name + "@example.test", StaffRole.AGENT);
        staff.acceptInvitation(invitation.secret(), "a long password for the agent");
        return ConsoleSession.signedIn(port, name, "a long password for the agent");
    }

    @Test
    void theDashboardShowsTheFiguresFiledThroughTheApi() {
        // Requests: one overdue (filed 36 days ago), one due within 7 days (filed 28 days ago), two on track,
        // one public request never verified.
        rectificationAt(NOW.minus(Duration.ofDays(36)));
        rectificationAt(NOW.minus(Duration.ofDays(28)));
        rectificationAt(NOW);
        rectificationAt(NOW.minus(Duration.ofDays(2)));
        Api.Response unverified = new Requests(api).file("access", unique("uverifisert"));
        assertThat(unverified.status()).as(unverified.body()).isEqualTo(202);

        // Consents this week: three accepted and one rejected of e-mail marketing.
        for (boolean granted : new boolean[] {true, true, true, false}) {
            String subject = api.post("/api/v1/subjects", Api.ADMIN_TOKEN, Json.object("system", "newsletter",
                    "activity", "newsletter", "identities", Map.of("email", unique("samtykke")), "data", Map.of()))
                    .json().get("id").asString();
            Api.Response consent = api.post("/api/v1/subjects/" + subject + "/consents", Api.ADMIN_TOKEN,
                    Json.object("purpose", "marketing.communications.email", "granted", granted, "method", "web-form",
                            "activity", "newsletter"));
            assertThat(consent.status()).as(consent.body()).isEqualTo(201);
        }

        // Page views: three today.
        for (int i = 0; i < 3; i++) {
            jdbc.sql("INSERT INTO page_hit (at, hit_day, event, path) VALUES (:at, :day, 'pageview', '/')")
                    .param("at", OffsetDateTime.ofInstant(NOW, ZoneOffset.UTC)).param("day", LocalDate.of(2026, 12, 6))
                    .update();
        }

        // Breaches: one aware for 80 hours (overdue), one for 10 hours (62 hours left).
        String late = breach(NOW.minus(Duration.ofHours(80)), "Et gammelt avvik");
        String fresh = breach(NOW.minus(Duration.ofHours(10)), "Et nytt avvik");

        // The audit chain verified through the API.
        assertThat(api.get("/api/v1/audit/verify", Api.ADMIN_TOKEN).status()).isEqualTo(200);

        Map<String, Long> statuses = new HashMap<>();
        for (JsonNode request : api.get("/api/v1/requests?limit=100", Api.ADMIN_TOKEN).json().get("items")) {
            statuses.merge(request.get("status").asString(), 1L, Long::sum);
        }

        Page page = ConsoleSession.dpo(port).get("/admin");
        assertThat(page.status()).isEqualTo(200);
        String body = page.body();
        assertThat(figure(body, "due-overdue")).isEqualTo("1");
        assertThat(figure(body, "due-soon")).isEqualTo("1");
        assertThat(figure(body, "due-on-track")).isEqualTo("2");
        assertThat(statuses.getOrDefault("open", 0L) + statuses.getOrDefault("in_progress", 0L)).isEqualTo(4);
        for (String status : List.of("unverified", "open", "in_progress", "completed", "rejected")) {
            String row = element(body, "status-" + status, "</tr>");
            assertThat(row).as(status).contains("<td class=\"num\">" + statuses.getOrDefault(status, 0L) + "</td>");
        }
        assertThat(element(body, "status-unverified", "</tr>")).contains(">1<");

        String rate = element(body, "rate-marketing.communications.email", "</tr>");
        assertThat(rate).contains(">3<").contains(">1<").contains("75 %");
        assertThat(body).contains("id=\"consent-marketing.communications.email\"").contains("<svg")
                .contains("id=\"consent-marketing.communications.email-figures\"");
        String views = element(body, "page-views-chart-figures", "</table>");
        assertThat(views).contains("<th scope=\"row\">2026-12-06</th>").contains("<td>3</td>");
        assertThat(Pattern.compile("<th scope=\"row\">").matcher(views).results().count()).isEqualTo(30);

        String lateBreach = element(body, "breach-" + late, "</li>");
        assertThat(lateBreach).contains("late").contains("Over fristen").contains("8 t 0 min");
        String freshBreach = element(body, "breach-" + fresh, "</li>");
        assertThat(freshBreach).doesNotContain("late").contains("62 t 0 min igjen");

        String dpas = element(body, "dpas", "</section>");
        assertThat(dpas).contains("Eksempel Drift AS").contains("2027-01-15").contains("40 dager igjen")
                .doesNotContain("Example Mail Delivery AB");

        String chain = element(body, "audit-chain", "</section>");
        assertThat(chain).contains("Hel").doesNotContain("aldri");
        assertThat(body).contains("id=\"retention-runs\"");

        assertThat(body).contains("id=\"figures-age\"").contains("opptil ett minutt gamle");

        // Today and this week are kept for a minute per instance, then counted again.
        jdbc.sql("INSERT INTO page_hit (at, hit_day, event, path) VALUES (:at, :day, 'pageview', '/')")
                .param("at", OffsetDateTime.ofInstant(NOW, ZoneOffset.UTC)).param("day", LocalDate.of(2026, 12, 6))
                .update();
        String subject = person(unique("senere"));
        assertThat(api.post("/api/v1/subjects/" + subject + "/consents", Api.ADMIN_TOKEN,
                Json.object("purpose", "marketing.communications.email", "granted", false, "method", "web-form",
                        "activity", "newsletter")).status()).isEqualTo(201);
        String kept = ConsoleSession.dpo(port).get("/admin").body();
        assertThat(element(kept, "page-views-chart-figures", "</table>")).as("within the minute")
                .contains("<td>3</td>").doesNotContain("<td>4</td>");
        assertThat(element(kept, "rate-marketing.communications.email", "</tr>")).contains("75 %");
        clock.advance(Duration.ofSeconds(61));
        String again = ConsoleSession.dpo(port).get("/admin").body();
        assertThat(element(again, "page-views-chart-figures", "</table>")).contains("<td>4</td>");
        assertThat(element(again, "rate-marketing.communications.email", "</tr>")).contains(">2<").contains("60 %");
    }

    @Test
    void closedRequestsAreCountedAgainAfterFiveMinutesTheOthersAfterOne() {
        String id = rectificationAt(NOW);
        ConsoleSession dpo = ConsoleSession.dpo(port);
        String before = dpo.get("/admin").body();
        long open = status(before, "open");
        long rejected = status(before, "rejected");
        Api.Response closed = api.post("/api/v1/requests/" + id + "/reject", Api.ADMIN_TOKEN,
                Json.object("reason", "Ikke identifisert"));
        assertThat(closed.status()).as(closed.body()).isEqualTo(200);

        clock.advance(Duration.ofSeconds(61));
        String minute = dpo.get("/admin").body();
        assertThat(status(minute, "open")).as("a moving status after a minute").isEqualTo(open - 1);
        assertThat(status(minute, "rejected")).as("a closed status is kept five minutes").isEqualTo(rejected);
        clock.advance(Duration.ofMinutes(4));
        assertThat(status(dpo.get("/admin").body(), "rejected")).isEqualTo(rejected + 1);
    }

    private static long status(String body, String status) {
        Matcher matcher = Pattern.compile("<td class=\"num\">([0-9]+)</td>").matcher(element(body, "status-" + status,
                "</tr>"));
        assertThat(matcher.find()).isTrue();
        return Long.parseLong(matcher.group(1));
    }

    @Test
    void aBreachAssessedUnlikelyToResultInARiskIsNotOverdue() {
        String unlikely = breach(NOW.minus(Duration.ofHours(100)), "Et ufarlig avvik");
        Api.Response assessed = api.post("/api/v1/breaches/" + unlikely + "/assessment", Api.ADMIN_TOKEN,
                Json.object("risk", "unlikely", "reasons", "Krypterte data."));
        assertThat(assessed.status()).as(assessed.body()).isEqualTo(200);
        String late = breach(NOW.minus(Duration.ofHours(100)), "Et alvorlig avvik");
        assertThat(api.post("/api/v1/breaches/" + late + "/assessment", Api.ADMIN_TOKEN,
                Json.object("risk", "risk", "reasons", "Navn.")).status()).isEqualTo(200);

        String body = ConsoleSession.dpo(port).get("/admin").body();
        assertThat(element(body, "breach-" + unlikely, "</li>")).doesNotContain("late").doesNotContain("Over fristen")
                .contains("trenger ikke varsles");
        assertThat(element(body, "breach-" + late, "</li>")).contains("late").contains("Over fristen");
        assertThat(api.get("/api/v1/breaches/" + unlikely, Api.ADMIN_TOKEN).json().get("late").asBoolean()).isFalse();
    }

    @Test
    void theRecordNamesTheControllerItsContactAndTheSecurityMeasures() {
        ConsoleSession dpo = ConsoleSession.dpo(port);
        JsonNode ropa = api.get("/api/v1/ropa?lang=nb", Api.ADMIN_TOKEN).json();
        String body = dpo.get("/admin/record").body();
        String controller = element(body, "controller", "</section>");
        assertThat(controller).contains(ropa.get("controller").get("name").asString())
                .contains(ropa.get("controller").get("email").asString()).contains("id=\"controller-dpo\"");
        String security = element(body, "security", "</section>");
        JsonNode measures = ropa.get("activities").get(0).get("securityMeasures");
        assertThat(measures.size()).isPositive();
        for (JsonNode measure : measures) {
            assertThat(security).contains(measure.asString().replace("'", "&#39;"));
        }
        assertThat(body).contains("CSV-filen er hele protokollen");
        assertThat(dpo.get("/admin/record?basis=consent").body()).contains("filtrene gjelder bare tabellen");
    }

    @Test
    void aFormWithoutARequiredFieldIsABadRequestPageAndAMalformedIdStaysNotFound() {
        ConsoleSession dpo = ConsoleSession.dpo(port);
        Page missing = dpo.post("/admin/staff", "/admin/staff/invite", Map.of("username", "nobody"));
        assertThat(missing.status()).isEqualTo(400);
        assertThat(missing.header("Content-Type")).startsWith("text/html");
        assertThat(missing.body()).contains("<h1").doesNotContain("Exception");
        assertThat(dpo.get("/admin/breaches/not-an-id").status()).isEqualTo(404);
    }

    @Test
    void everyPageReadsInEnglishToo() {
        ConsoleSession dpo = ConsoleSession.dpo(port);
        assertThat(dpo.get("/admin?lang=en").body()).contains("Requests by status").contains("Page views, last 30 days")
                .doesNotContain("??");
        assertThat(dpo.get("/admin/record").body()).contains("Record of processing").contains("Warnings from the catalog")
                .doesNotContain("??");
        assertThat(dpo.get("/admin/processors").body()).contains("The disclosure log").doesNotContain("??");
    }

    private String breach(Instant discovered, String summary) {
        Api.Response recorded = api.post("/api/v1/breaches", Api.ADMIN_TOKEN, Json.write(Map.of(
                "discoveredAt", discovered.toString(), "summary", summary, "dataCategories", List.of("user.name"),
                "systems", List.of("go"), "measures", "Kontoene er låst.", "likelyConsequences", "Phishing.")));
        assertThat(recorded.status()).as(recorded.body()).isEqualTo(201);
        return recorded.json().get("id").asString();
    }

    @Test
    void anAgentSeesTheDashboardWithoutTheDposBoxesAndIsRefusedTheDposPages() {
        ConsoleSession agent = agent();
        Page dashboard = agent.get("/admin");
        assertThat(dashboard.status()).isEqualTo(200);
        assertThat(dashboard.body()).contains("id=\"requests-by-status\"").contains("id=\"deadlines\"")
                .contains("id=\"consent-rates\"").contains("id=\"page-views\"")
                .doesNotContain("id=\"breaches\"").doesNotContain("id=\"dpas\"")
                .doesNotContain("id=\"audit-chain\"").doesNotContain("id=\"retention-runs\"");
        for (String path : List.of("/admin/record", "/admin/processors", "/admin/record/csv",
                "/admin/processors?after=x")) {
            Page refused = agent.get(path);
            assertThat(refused.status()).as(path).isEqualTo(403);
            assertThat(refused.body()).as(path).doesNotContain("record-table").doesNotContain("disclosure-log");
        }
    }

    @Test
    void theRecordIsFilteredAndItsCsvIsTheApis() {
        ConsoleSession dpo = ConsoleSession.dpo(port);
        Page all = dpo.get("/admin/record");
        assertThat(all.status()).isEqualTo(200);
        JsonNode ropa = api.get("/api/v1/ropa?lang=nb", Api.ADMIN_TOKEN).json();
        int controller = ropa.get("activities").size();
        int processor = ropa.get("processorRecord").get("activities").size();
        assertThat(all.body()).contains(controller + processor + " av " + (controller + processor) + " aktiviteter");
        for (JsonNode activity : ropa.get("activities")) {
            assertThat(all.body()).contains("id=\"activity-" + activity.get("key").asString() + "\"");
        }

        long consentBased = 0;
        for (JsonNode activity : ropa.get("activities")) {
            if (activity.get("legalBasis").get("key").asString().equals("consent")) {
                consentBased++;
            }
        }
        assertThat(consentBased).isPositive();
        Page consent = dpo.get("/admin/record?basis=consent");
        assertThat(consent.body()).contains(consentBased + " av " + (controller + processor) + " aktiviteter");
        Page processors = dpo.get("/admin/record?role=processor");
        assertThat(processors.body()).contains(processor + " av " + (controller + processor) + " aktiviteter");
        String first = ropa.get("activities").get(0).get("name").asString();
        Page text = dpo.get("/admin/record?q=" + java.net.URLEncoder.encode(first, java.nio.charset.StandardCharsets.UTF_8));
        assertThat(text.body()).contains("id=\"activity-" + ropa.get("activities").get(0).get("key").asString() + "\"");
        Page nothing = dpo.get("/admin/record?q=zzzz-no-such-activity");
        assertThat(nothing.body()).contains("0 av ").doesNotContain("id=\"record-table\"");

        String version = api.get("/api/v1/public/notice?lang=en", null).json().get("version").asString();
        Page english = dpo.get("/admin/record?notice=en");
        assertThat(english.body()).contains("Versjon " + version).contains("lang=\"en\"");
        JsonNode sections = api.get("/api/v1/public/notice?lang=en", null).json().get("sections");
        assertThat(english.body()).contains(sections.get(0).get("title").asString().replace("'", "&#39;"));

        Page csv = dpo.get("/admin/record/csv?in=en");
        assertThat(csv.status()).isEqualTo(200);
        assertThat(csv.header("Content-Type")).startsWith("text/csv");
        assertThat(csv.header("Content-Disposition")).contains("attachment").contains(".csv");
        String apiCsv = api.get("/api/v1/ropa?lang=en", Api.ADMIN_TOKEN, Map.of("Accept", "text/csv")).body();
        assertThat(csv.body()).isEqualTo(apiCsv).startsWith("\"key\",\"name\"");
    }

    @Test
    void theProcessorsPageShowsDpasTheLogAndTheRefusalsWithWhy() {
        String subject = person(unique("utlevert"));
        Api.Response given = api.post("/api/v1/disclosures", Api.ADMIN_TOKEN, """
                {"recipient":"mail-delivery","subjectId":"%s","dataCategories":["user.contact.email"],
                 "basis":"dpa","reference":"EX-DPA-2024-002","note":"Utsending"}""".formatted(subject));
        assertThat(given.status()).as(given.body()).isEqualTo(201);
        Api.Response sold = api.post("/api/v1/disclosures", Api.ADMIN_TOKEN, """
                {"recipient":"Kari Kjøper","subjectId":"%s","dataCategories":["user.name"],
                 "basis":"sale"}""".formatted(subject));
        assertThat(sold.status()).isEqualTo(422);
        Api.Response uncovered = api.post("/api/v1/disclosures", Api.ADMIN_TOKEN, """
                {"recipient":"mail-delivery","subjectId":"%s","dataCategories":["user.financial.bank_account"],
                 "basis":"dpa"}""".formatted(subject));
        assertThat(uncovered.status()).isEqualTo(422);

        Page page = ConsoleSession.dpo(port).get("/admin/processors");
        assertThat(page.status()).isEqualTo(200);
        String body = page.body();
        assertThat(element(body, "processor-hosting-provider", "</tr>")).contains("Utløper snart").contains("2027-01-15");
        assertThat(element(body, "processor-mail-delivery", "</tr>")).contains("Gyldig").contains("2027-03-01");
        String ref = audit.subjectRef(UUID.fromString(subject));
        List<AuditEntry> viewed = await().atMost(Duration.ofSeconds(10)).until(() -> audit.newestFirst(
                new AuditTrail.Filter(ref, null, "console.viewed", null, null), null, 10).stream()
                .filter(entry -> "disclosure-log".equals(entry.details().get("page"))).toList(), found -> !found.isEmpty());
        assertThat(viewed).hasSize(1);
        String log = element(body, "disclosure-log", "</section>");
        assertThat(log).contains("Example Mail Delivery AB").contains("EX-DPA-2024-002")
                .contains("/admin/subjects/" + subject).doesNotContain("Utsending");
        String refused = element(body, "disclosures-refused", "</section>");
        assertThat(refused).contains("data-reason=\"sale\"").contains("data-reason=\"categories-uncovered\"")
                .contains("<td>Example Mail Delivery AB</td>")
                .contains("en annen mottaker").doesNotContain("Kari Kjøper");
        assertThat(jdbc.sql("SELECT COUNT(*) FROM disclosure_refusal").query(Long.class).single()).isEqualTo(2);
        assertThat(jdbc.sql("SELECT COUNT(*) FROM disclosure").query(Long.class).single()).isEqualTo(1);
    }

    @Test
    void theDisclosureLogIsKeysetPagedNewestFirst() {
        String subject = person(unique("logg"));
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            clock.set(NOW.plusSeconds(i));
            Api.Response given = api.post("/api/v1/disclosures", Api.ADMIN_TOKEN, """
                    {"recipient":"mail-delivery","subjectId":"%s","dataCategories":["user.name"],
                     "basis":"dpa"}""".formatted(subject));
            assertThat(given.status()).as(given.body()).isEqualTo(201);
            ids.add(0, given.json().get("id").asString());
        }
        clock.set(NOW);
        List<String> seen = new ArrayList<>();
        DisclosureLog.Cursor cursor = null;
        do {
            List<Disclosure> page = disclosureLog.page(cursor, 2);
            page.forEach(d -> seen.add(d.id().toString()));
            cursor = page.size() < 2 ? null
                    : new DisclosureLog.Cursor(page.get(1).disclosedAt(), page.get(1).id());
            if (cursor != null) {
                assertThat(DisclosureLog.Cursor.parse(cursor.toString())).contains(cursor);
            }
        } while (cursor != null);
        assertThat(seen.stream().filter(ids::contains).toList()).isEqualTo(ids);
    }

    @Test
    void hostileQueryParametersGetAPageWithTheErrorNeverA500() {
        ConsoleSession dpo = ConsoleSession.dpo(port);
        for (String path : List.of("/admin/processors?after=x", "/admin/processors?after=%3Cscript%3E",
                "/admin/processors?refusedAfter=1_nope", "/admin/processors?after=99999999999999999999_"
                        + UUID.randomUUID(), "/admin/record?role=admin", "/admin/record?basis=%00",
                "/admin/record?notice=xx", "/admin/record?q=" + "a".repeat(201), "/admin/record/csv?in=zz",
                "/admin/record?basis=consent%27%20OR%201=1")) {
            Page answer = dpo.get(path);
            assertThat(answer.status()).as(path).isBetween(400, 499);
            assertThat(answer.header("Content-Type")).as(path).startsWith("text/html");
            assertThat(answer.body()).as(path).contains("<h1").doesNotContain("Exception").doesNotContain("<script>");
        }
        assertThat(dpo.get("/admin?lang=en&x=%00").status()).isEqualTo(200);
        assertThat(dpo.get("/admin/processors?after=&refusedAfter=").status()).isEqualTo(200);
    }
}
