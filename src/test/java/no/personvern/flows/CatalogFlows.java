package no.personvern.flows;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import no.personvern.Personvern;
import no.personvern.breaches.Breaches;
import no.personvern.consent.ConsentRecord;
import no.personvern.consent.Consents;
import no.personvern.subjects.DocumentInfo;
import no.personvern.subjects.Vault;
import no.personvern.testing.Api;
import no.personvern.testing.Json;
import no.personvern.testing.Mailbox;
import no.personvern.testing.Multipart;
import no.personvern.testing.MutableClock;
import no.personvern.testing.People;
import no.personvern.testing.Requests;
import no.personvern.testing.Smtp;
import no.personvern.testing.Tokens;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import tools.jackson.databind.JsonNode;

/**
 * Every end-to-end flow family of the SPEC — subjects, documents, consent, subscriptions, banner
 * and pixel, requests with a connected system, retention, disclosures — and the record and notice
 * that describe them, through HTTP on whatever catalog a subclass names. The keys come from its
 * {@link CatalogRoles}, so nothing here assumes the bundled example.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, classes = {Personvern.class, CatalogFlows.Time.class},
        properties = {"personvern.retention.cron=-", "personvern.mail.from=post@example.no",
                "personvern.connectors.poll-interval=PT0.1S", "personvern.connectors.retry.initial-delay=PT0.2S",
                "personvern.requests.per-client-per-hour=1000"})
abstract class CatalogFlows {

    static final Instant START = Instant.parse("2026-01-10T09:00:00Z");

    @RegisterExtension
    static final GreenMailExtension MAIL = Smtp.server();

    /** The connected system: a real HTTP server that records each request and answers done. */
    static final List<String> RECEIVED = new CopyOnWriteArrayList<>();
    static final HttpServer SYSTEM = connectedSystem();

    @TestConfiguration
    static class Time {
        @Bean
        @Primary
        MutableClock testClock() {
            return new MutableClock(START);
        }
    }

    static void properties(DynamicPropertyRegistry registry, CatalogRoles roles) {
        Smtp.properties(registry);
        registry.add("personvern.catalog", roles::catalog);
        String url = "http://127.0.0.1:" + SYSTEM.getAddress().getPort() + "/hook";
        registry.add(roles.connectorUrlProperty(), () -> url);
        registry.add("TEST_WIN_URL", () -> url);
    }

    @LocalServerPort
    int port;

    @Autowired
    MutableClock clock;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    Vault vault;

    @Autowired
    Consents consents;

    @Autowired
    Breaches breaches;

    Api api;
    Mailbox mailbox;
    Requests requests;
    CatalogRoles roles;

    abstract CatalogRoles roles();

    @BeforeEach
    void setUp() {
        api = new Api(port);
        mailbox = Mailbox.of(MAIL);
        requests = new Requests(api, mailbox);
        roles = roles();
        clock.set(START);
    }

    // ---- catalog: the built-in activities beside the catalog's own ---------------------------------

    @Test
    void theRecordAndTheNoticeShowTheActivityThatHoldsRequestersAndTheBuiltInOnes() {
        JsonNode ropa = api.get("/api/v1/ropa", Api.ADMIN_TOKEN).json();
        List<String> keys = ropa.get("activities").valueStream().map(a -> a.get("key").asString()).toList();
        assertThat(keys).contains(roles.requestsActivity(), "personvern-consent-proof", "personvern-audit-trail");
        String csv = api.get("/api/v1/ropa", Api.ADMIN_TOKEN, Map.of("Accept", "text/csv")).body();
        assertThat(csv).contains(roles.requestsActivity(), "personvern-consent-proof", "personvern-audit-trail");
        JsonNode dpo = ropa.get("controller").get("dataProtectionOfficer");
        assertThat(dpo == null ? null : dpo.get("email").asString()).isEqualTo(roles.dpoEmail());
        for (String lang : new String[] {"nb", "en"}) {
            JsonNode notice = api.get("/api/v1/public/notice?lang=" + lang, null).json();
            String text = notice.get("sections").valueStream().map(s -> s.get("text").asString())
                    .reduce("", String::concat);
            ropaNames(lang).forEach(name -> assertThat(text).as(lang).contains(name));
            if (roles.dpoEmail() != null) {
                assertThat(text).contains(roles.dpoEmail());
            }
        }
    }

    private List<String> ropaNames(String lang) {
        JsonNode ropa = api.get("/api/v1/ropa?lang=" + lang, Api.ADMIN_TOKEN).json();
        return ropa.get("activities").valueStream().filter(a -> a.get("role").asString().equals("controller"))
                .map(a -> a.get("name").asString()).toList();
    }

    // ---- subjects ------------------------------------------------------------------------------

    @Test
    void aPersonIsWrittenFoundRectifiedAndKeptToTheActivitysCategories() {
        String email = unique("vault");
        Api.Response created = writePerson(email, "Vera Vault");
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        String id = created.json().get("id").asString();

        JsonNode found = api.get("/api/v1/subjects?email=" + email.toUpperCase(), Api.ADMIN_TOKEN).json();
        assertThat(found.get("items").get(0).get("id").asString()).isEqualTo(id);
        assertThat(api.send("PATCH", "/api/v1/subjects/" + id, Api.ADMIN_TOKEN, Map.of("Content-Type",
                "application/json"), Json.object("data", Map.of("user.name", "Vera Rettet"))).status()).isEqualTo(204);
        JsonNode person = api.get("/api/v1/subjects/" + id, Api.ADMIN_TOKEN).json();
        assertThat(person.get("data").get(0).get("value").asString()).isEqualTo("Vera Rettet");
        assertThat(person.get("data").get(0).get("system").asString()).isEqualTo(roles.person().system());

        Api.Response undeclared = People.in(roles.person().system(), roles.person().activity()).email(email)
                .data(roles.undeclaredCategory(), "x").write(api, Api.ADMIN_TOKEN);
        assertThat(undeclared.status()).isEqualTo(422);
        assertThat(undeclared.body()).contains("data." + roles.undeclaredCategory());
    }

    // ---- documents -----------------------------------------------------------------------------

    @Test
    void everyKindIsStoredUnderTheCategoryTheCatalogGivesItAndExpiresWithTheActivity() {
        String subject = person(unique("upload"));
        for (Map.Entry<String, String> kind : roles.documentCategories().entrySet()) {
            byte[] content = ("content of a " + kind.getKey()).getBytes(StandardCharsets.UTF_8);
            Api.Response stored = upload(subject, kind.getKey(), content);
            assertThat(stored.status()).as(kind.getKey() + ": " + stored.body()).isEqualTo(201);
            String id = stored.json().get("id").asString();
            assertThat(Instant.parse(stored.json().get("expiresAt").asString()))
                    .isEqualTo(START.atOffset(ZoneOffset.UTC).plusMonths(3).toInstant());
            assertThat(vault.readForAccess(UUID.fromString(subject)).documents()).filteredOn(document -> document.id()
                    .toString().equals(id)).singleElement().extracting(DocumentInfo::category).as(kind.getKey())
                    .isEqualTo(kind.getValue());
            HttpResponse<byte[]> download = api.getBytes("/api/v1/subjects/" + subject + "/documents/" + id,
                    Api.ADMIN_TOKEN);
            assertThat(download.body()).isEqualTo(content);
        }
        Api.Response wrongActivity = api.postMultipart("/api/v1/subjects/" + subject + "/documents", Api.ADMIN_TOKEN,
                new Multipart().field("kind", "voucher").field("system", roles.person().system())
                        .field("activity", roles.person().activity()).file("file", "x", "image/png", new byte[] {1}));
        assertThat(wrongActivity.status()).isEqualTo(422);
    }

    // ---- consent -------------------------------------------------------------------------------

    @Test
    void aConsentIsRecordedWithAReceiptNamingTheActivityAndCanBeWithdrawn() {
        String subject = person(unique("samtykke"));
        Api.Response given = api.post("/api/v1/subjects/" + subject + "/consents", Api.ADMIN_TOKEN, """
                {"purpose":"%s","granted":true,"method":"web-form"}""".formatted(roles.consentPurpose()));
        assertThat(given.status()).as(given.body()).isEqualTo(201);
        JsonNode receipt = api.get("/api/v1/consents/" + given.json().get("receiptId").asString(), Api.ADMIN_TOKEN)
                .json();
        assertThat(receipt.get("processing").get("purposes").get(0).get("activities").toString())
                .contains(roles.consentActivity());

        api.post("/api/v1/subjects/" + subject + "/consents", Api.ADMIN_TOKEN, """
                {"purpose":"%s","granted":false,"method":"web-form"}""".formatted(roles.consentPurpose()));
        JsonNode consents = api.get("/api/v1/subjects/" + subject + "/consents", Api.ADMIN_TOKEN).json();
        assertThat(consents.get("current").get(roles.consentPurpose()).asBoolean()).isFalse();
        assertThat(consents.get("history")).hasSize(2);
    }

    // ---- subscriptions -------------------------------------------------------------------------

    @Test
    void aSubscriptionIsConfirmedByMailListedForTheToolAndEndedWithOneClick() throws Exception {
        String email = unique("abonnent");
        assertThat(api.post("/api/v1/public/subscriptions", null, Json.object("email", email, "list", roles.list()))
                .status()).isEqualTo(202);
        assertThat(form(Mailbox.confirmLink(mailbox.lastTo(email))).status()).isEqualTo(200);

        JsonNode recipient = recipient(email);
        assertThat(recipient).as("confirmed subscribers are listed").isNotNull();
        String path = recipient.get("unsubscribeUrl").asString().replaceAll(".*(/u/)", "/u/");
        assertThat(api.send("POST", path, null, Map.of("Content-Type", "application/x-www-form-urlencoded"),
                "List-Unsubscribe=One-Click").status()).isEqualTo(200);
        assertThat(recipient(email)).isNull();
        assertThat(api.post("/api/v1/public/subscriptions", null, Json.object("email", email, "list", "no-such-list"))
                .status()).isEqualTo(422);
    }

    private JsonNode recipient(String email) {
        JsonNode items = api.get("/api/v1/subscriptions/" + roles.list() + "/recipients?limit=500", Api.ADMIN_TOKEN)
                .json().get("items");
        return items.valueStream().filter(item -> item.get("email").asString().equals(email)).findFirst().orElse(null);
    }

    // ---- banner and pixel ----------------------------------------------------------------------

    @Test
    void theBannerAsksForStatisticsAndMarketingAndThePixelCountsOnlyWithConsent() {
        jdbc.sql("DELETE FROM page_hit").update();
        assertThat(api.get("/consent.js", null).status()).isEqualTo(200);
        Api.Response chosen = api.send("POST", "/api/v1/public/cookie-consent", null,
                Map.of("Content-Type", "application/json"),
                Json.object("choices", Json.fields("statistics", true, "marketing", true)));
        assertThat(chosen.status()).as(chosen.body()).isEqualTo(201);
        assertThat(chosen.json().get("statistics").asBoolean()).isTrue();
        assertThat(chosen.json().get("marketing").asBoolean()).isTrue();
        String cookie = chosen.raw().headers().allValues("Set-Cookie").stream()
                .filter(c -> c.startsWith("pv_consent=")).findFirst().orElseThrow().split(";")[0];
        String visitor = cookie.split("\\.")[4];
        List<ConsentRecord> recorded = chosen.json().get("receiptIds").valueStream()
                .map(receipt -> consents.byReceipt(UUID.fromString(receipt.asString())).orElseThrow()).toList();
        assertThat(recorded).as("recorded for this visitor").allMatch(record -> record.visitorId().equals(visitor));
        List<String> purposes = recorded.stream().filter(ConsentRecord::granted).map(ConsentRecord::purpose).toList();
        assertThat(purposes).as("a statistics and a marketing purpose").hasSizeGreaterThanOrEqualTo(2)
                .contains("analytics.reporting");

        api.get("/t.gif?e=pageview&p=/pris", null);
        api.get("/t.gif?e=pageview&p=/pris", null, Map.of("Cookie", cookie));
        api.get("/t.gif?e=campaign&c=vinter&p=/", null, Map.of("Cookie", cookie));
        String day = START.toString().substring(0, 10);
        JsonNode views = api.get("/api/v1/stats/pageviews?from=" + day + "&to=" + day, Api.ADMIN_TOKEN).json();
        assertThat(views.get("total").asLong()).as("only the view with consent").isEqualTo(1);
        JsonNode campaigns = api.get("/api/v1/stats/campaigns?from=" + day + "&to=" + day, Api.ADMIN_TOKEN).json();
        assertThat(campaigns.get("campaigns").get(0).get("hits").asLong()).isEqualTo(1);
    }

    // ---- requests with a connected system ------------------------------------------------------

    @Test
    void aPublicAccessRequestReachesTheConnectedSystemAndMailsThePackage() throws Exception {
        String email = unique("innsyn");
        String subject = person(email);
        String id = verifiedPublicRequest("access", email);

        await().atMost(Duration.ofSeconds(20)).until(() -> RECEIVED.stream().anyMatch(body -> body.contains(id)));
        await().atMost(Duration.ofSeconds(20)).until(() -> status(id).equals("completed"));
        JsonNode request = api.get("/api/v1/requests/" + id, Api.ADMIN_TOKEN).json();
        assertThat(request.get("systems").toString()).contains("\"system\":\"" + roles.connectedSystem() + "\"");
        assertThat(requests.mailedPackage(email).get("data.json")).contains("Pia Pakkesen", roles.person().activity());
    }

    @Test
    void aPublicErasureReachesTheConnectedSystemAndKeepsOnlyWhatARetentionExceptionCovers() throws Exception {
        String email = unique("sletting");
        String subject = person(email);
        Map<String, String> documents = new HashMap<>();
        roles.documentCategories().keySet().forEach(kind -> documents.put(kind,
                upload(subject, kind, new byte[] {4, 5, 6}).json().get("id").asString()));
        String id = verifiedPublicRequest("erasure", email);

        await().atMost(Duration.ofSeconds(20)).until(() -> status(id).equals("completed"));
        assertThat(RECEIVED).anyMatch(body -> body.contains(id) && body.contains(email));
        assertThat(api.get("/api/v1/subjects/" + subject, Api.ADMIN_TOKEN).status()).isEqualTo(410);
        documents.forEach((kind, document) -> {
            List<String> kept = jdbc.sql("SELECT restricted_by FROM subject_document WHERE id = :id")
                    .param("id", UUID.fromString(document)).query(String.class).list();
            if (kind.equals(roles.keptKind())) {
                assertThat(kept).as(kind + " is kept, restricted, by the stored category's exception")
                        .singleElement().asString().startsWith("retention-exception:");
            } else {
                assertThat(kept).as(kind + " is erased").isEmpty();
            }
        });
    }

    private String verifiedPublicRequest(String type, String email) {
        Api.Response submitted = requests.file(type, email);
        assertThat(submitted.status()).as(submitted.body()).isEqualTo(202);
        String id = submitted.json().get("id").asString();
        Api.Response verified = requests.verify(id, requests.mailedCode(email));
        assertThat(verified.status()).as(verified.body()).isEqualTo(200);
        return id;
    }

    private String status(String requestId) {
        return api.get("/api/v1/requests/" + requestId, Api.ADMIN_TOKEN).json().get("status").asString();
    }

    // ---- retention -----------------------------------------------------------------------------

    @Test
    void uploadsGoWhenTheActivitysPeriodEndsUnlessARetentionExceptionKeepsTheirCategory() {
        String subject = person(unique("sveip"));
        Map<String, String> documents = new HashMap<>();
        roles.documentCategories().keySet().forEach(kind -> documents.put(kind,
                upload(subject, kind, new byte[] {1, 2, 3}).json().get("id").asString()));

        clock.advance(Duration.ofDays(95));
        JsonNode run = api.post("/api/v1/retention/runs", Api.ADMIN_TOKEN, Json.object("dryRun", false)).json();
        String runId = run.get("id").asString();
        await().atMost(Duration.ofSeconds(20)).until(() -> !api.get("/api/v1/retention/runs/" + runId,
                Api.ADMIN_TOKEN).json().get("status").asString().equals("running"));
        assertThat(api.get("/api/v1/retention/runs/" + runId, Api.ADMIN_TOKEN).json().get("status").asString())
                .isEqualTo("completed");

        documents.forEach((kind, id) -> {
            int status = api.getBytes("/api/v1/subjects/" + subject + "/documents/" + id, Api.ADMIN_TOKEN).statusCode();
            if (kind.equals(roles.keptKind())) {
                assertThat(jdbc.sql("SELECT restricted_by FROM subject_document WHERE id = :id")
                        .param("id", UUID.fromString(id)).query(String.class).single()).as(kind)
                        .startsWith("retention-exception:");
                assertThat(status).as(kind + " is kept, restricted").isNotIn(200, 404);
            } else {
                assertThat(status).as(kind + " is gone").isEqualTo(404);
            }
        });
    }

    // ---- disclosures ---------------------------------------------------------------------------

    @Test
    void disclosuresGoToAProcessorUnderItsAgreementOrToAnAuthorityWithAReference() {
        String subject = person(unique("utlevering"));
        Api.Response toProcessor = api.post("/api/v1/disclosures", Api.ADMIN_TOKEN, """
                {"recipient":"%s","subjectId":"%s","dataCategories":["user.name"],"basis":"dpa"}"""
                .formatted(roles.processor(), subject));
        assertThat(toProcessor.status()).as(toProcessor.body()).isEqualTo(201);
        Api.Response uncovered = api.post("/api/v1/disclosures", Api.ADMIN_TOKEN, """
                {"recipient":"%s","subjectId":"%s","dataCategories":["%s"],"basis":"dpa"}"""
                .formatted(roles.processor(), subject, roles.uncoveredCategory()));
        assertThat(uncovered.status()).isEqualTo(422);
        Api.Response toAuthority = api.post("/api/v1/disclosures", Api.ADMIN_TOKEN, """
                {"recipient":"%s","subjectId":"%s","dataCategories":["user.name"],"basis":"court-order",
                 "reference":"26-012345TVI-OTIR"}""".formatted(roles.authority(), subject));
        assertThat(toAuthority.status()).as(toAuthority.body()).isEqualTo(201);
        Api.Response withoutReference = api.post("/api/v1/disclosures", Api.ADMIN_TOKEN, """
                {"recipient":"%s","subjectId":"%s","dataCategories":["user.name"],"basis":"law"}"""
                .formatted(roles.authority(), subject));
        assertThat(withoutReference.status()).isEqualTo(422);
        Api.Response sale = api.post("/api/v1/disclosures", Api.ADMIN_TOKEN, """
                {"recipient":"%s","subjectId":"%s","dataCategories":["user.name"],"basis":"law","reference":"x",
                 "note":"sold to a data broker"}""".formatted(roles.authority(), subject));
        assertThat(sale.status()).isEqualTo(422);

        JsonNode log = api.get("/api/v1/disclosures?subjectId=" + subject, Api.ADMIN_TOKEN).json().get("disclosures");
        assertThat(log).hasSize(2);
    }

    // ---- breaches ------------------------------------------------------------------------------

    @Test
    void aBreachIsCountedFromTheVaultNotifiedLateAndEveryPersonAffectedIsMailedOnce() {
        String team = new Tokens(api).issue("breach-team", "breaches:manage");
        String system = roles.person().system();
        String activity = roles.person().activity();
        // A window of its own, so that the people of the other flows are outside it.
        Instant window = START.plus(Duration.ofDays(400));
        clock.set(window.minus(Duration.ofDays(2)));
        breachPerson(People.in(system, activity).email(unique("for-tidlig")).data("user.name", "Eva Tidlig"));
        clock.set(window.plus(Duration.ofMinutes(10)));
        List<String> affected = List.of(unique("rammet-a"), unique("rammet-b"), unique("rammet-c"));
        affected.forEach(email -> breachPerson(People.in(system, activity).email(email).data("user.name", "Rita Rammet")));
        // The same person also held in another system: one person, counted under the breached system only.
        breachPerson(People.in(roles.documentSystem(), activity).email(affected.get(0)).data("user.name", "Rita Rammet"));
        String withoutAddress = breachPerson(People.in(system, activity).phone(phone()).data("user.name", "Uten Adresse"));
        breachPerson(People.in(system, activity).email(unique("annen-kategori")).data("user.account.username", "ak"));
        breachPerson(People.in(roles.documentSystem(), activity).email(unique("annet-system")).data("user.name", "As"));
        String erased = breachPerson(People.in(system, activity).email(unique("slettet")).data("user.name", "Slettet"));
        vault.eraseSubject(UUID.fromString(erased));

        clock.set(window.plus(Duration.ofHours(2)));
        Instant discovered = window.plus(Duration.ofMinutes(90));
        String summary = "En kopi av kundedatabasen ble lagt ut på en åpen lagringsplass " + UUID.randomUUID();
        Api.Response recorded = api.post("/api/v1/breaches", team, Json.object("discoveredAt", discovered.toString(),
                "summary", summary, "dataCategories", List.of("user.name"), "systems", List.of(system),
                "activities", List.of(activity), "from", window.toString(),
                "to", window.plus(Duration.ofHours(1)).toString(), "measures", "Lagringsplassen er stengt.",
                "likelyConsequences", "Navn kan brukes i svindelforsøk."));
        assertThat(recorded.status()).as(recorded.body()).isEqualTo(201);
        String id = recorded.json().get("id").asString();
        assertThat(recorded.json().get("affected").get("people").asLong()).isEqualTo(4);
        assertThat(recorded.json().get("affected").get("bySystem").toString()).isEqualTo("{\"" + system + "\":4}");
        assertThat(Instant.parse(recorded.json().get("notifyAuthorityBy").asString()))
                .isEqualTo(discovered.plus(Duration.ofHours(72)));

        JsonNode open = api.get("/api/v1/breaches/" + id, team).json();
        assertThat(open.get("status").asString()).isEqualTo("open");
        assertThat(open.get("hoursLeft").asLong()).isEqualTo(71);
        assertThat(open.get("late").asBoolean()).isFalse();
        assertThat(open.get("history").get(0).get("actor").get("name").asString()).isEqualTo("breach-team");
        assertThat(api.get("/api/v1/breaches", team).body()).contains(id);

        assertThat(api.post("/api/v1/breaches/" + id + "/assessment", team,
                Json.object("risk", "high", "reasons", "Hele navnelisten er ute.")).status()).isEqualTo(200);
        clock.set(discovered.plus(Duration.ofHours(80)));
        Api.Response withoutReasons = api.post("/api/v1/breaches/" + id + "/authority-notification", team,
                Json.object("notifiedAt", clock.instant().toString(), "reference", "DT-2026-1"));
        assertThat(withoutReasons.status()).isEqualTo(422);
        assertThat(withoutReasons.errorFields()).containsExactly("lateReasons");
        Api.Response notified = api.post("/api/v1/breaches/" + id + "/authority-notification", team,
                Json.object("notifiedAt", clock.instant().toString(), "reference", "DT-2026-1",
                        "lateReasons", "Omfanget var uklart til i går."));
        assertThat(notified.status()).as(notified.body()).isEqualTo(200);
        assertThat(notified.json().get("status").asString()).isEqualTo("notified");
        assertThat(notified.json().get("late").asBoolean()).isTrue();

        assertThat(api.post("/api/v1/breaches/" + id + "/people-notification", team, Json.object("lang", "en"))
                .status()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(30)).until(() -> api.get("/api/v1/breaches/" + id, team).json()
                .get("peopleNotification").get("status").asString().equals("completed"));
        JsonNode progress = api.get("/api/v1/breaches/" + id, team).json().get("peopleNotification");
        assertThat(progress.get("sent").asLong()).isEqualTo(3);
        assertThat(progress.get("withoutAddress").asLong()).isEqualTo(1);
        assertThat(progress.get("total").asLong()).isEqualTo(4);
        await().atMost(Duration.ofSeconds(20)).until(() -> breachLetters(summary).size() == 3);
        assertThat(breachLetters(summary).stream().flatMap(Mailbox::recipients).toList())
                .containsExactlyInAnyOrderElementsOf(affected);
        String letter = Mailbox.text(breachLetters(summary).get(0));
        assertThat(letter).contains(summary, "Navn kan brukes i svindelforsøk.", "Lagringsplassen er stengt.",
                privacyMailbox(), "What you can do");

        // A mailing resumed from its start (as after a crash) tells nobody twice.
        jdbc.sql("UPDATE breach SET people_status = 'running', people_cursor = NULL WHERE id = :id")
                .param("id", UUID.fromString(id)).update();
        await().atMost(Duration.ofSeconds(30)).until(() -> api.get("/api/v1/breaches/" + id, team).json()
                .get("peopleNotification").get("status").asString().equals("completed"));
        assertThat(breachLetters(summary)).hasSize(3);

        for (String lang : new String[] {"nb", "en"}) {
            Api.Response html = api.get("/api/v1/breaches/" + id + "/report?lang=" + lang, team);
            assertThat(html.status()).isEqualTo(200);
            assertThat(html.contentType()).startsWith("text/html");
            assertThat(html.body()).as(lang).contains(summary, "Lagringsplassen er stengt.",
                    "Navn kan brukes i svindelforsøk.", privacyMailbox(), "Omfanget var uklart til i går.",
                    "<strong class=\"people\">4</strong>", lang.equals("nb") ? "Bruddets art" : "The nature of the breach");
        }
        JsonNode report = api.get("/api/v1/breaches/" + id + "/report?lang=en", team,
                Map.of("Accept", "application/json")).json();
        assertThat(report.get("nature").get("approximatePeople").asLong()).isEqualTo(4);
        assertThat(report.get("nature").get("approximateRecords").asLong()).isEqualTo(4);
        assertThat(report.get("contact").get("email").asString()).isEqualTo(privacyMailbox());
        assertThat(report.get("nature").get("dataCategories").get(0).get("key").asString()).isEqualTo("user.name");

        Api.Response closed = api.post("/api/v1/breaches/" + id + "/close", team,
                Json.object("outcome", "Varslet Datatilsynet og de berørte."));
        assertThat(closed.json().get("status").asString()).isEqualTo("closed");
        assertThat(closed.json().get("history").valueStream().map(step -> step.get("action").asString()).toList())
                .containsExactly("recorded", "assessed", "authority-notified", "people-notification-started",
                        "people-notified", "people-notified", "closed");
        assertThat(api.post("/api/v1/breaches/" + id + "/close", team, Json.object("outcome", "igjen")).status())
                .isEqualTo(409);
        List<String> audited = jdbc.sql("SELECT details FROM audit_pending WHERE action LIKE 'breach.%' UNION ALL"
                + " SELECT details FROM audit_entry WHERE action LIKE 'breach.%'").query(String.class).list();
        assertThat(audited).as("every step and every person told, by id").hasSizeGreaterThanOrEqualTo(11)
                .noneMatch(details -> details.contains(summary) || affected.stream().anyMatch(details::contains));
    }

    @Test
    void theDailyCheckMailsTheDpoOnceADayAboutAClockRunningOutAndTheReportNamesProcessorActivities() {
        String system = roles.person().system();
        clock.set(START.plus(Duration.ofDays(500)));
        String summary = "Et tapt nettbrett med innlogget konto " + UUID.randomUUID();
        Api.Response recorded = api.post("/api/v1/breaches", Api.ADMIN_TOKEN, Json.object(
                "discoveredAt", clock.instant().minus(Duration.ofHours(50)).toString(), "summary", summary,
                "dataCategories", List.of("user.name"), "systems", List.of(system),
                "measures", "Kontoen er sperret.", "likelyConsequences", "Lite sannsynlige."));
        assertThat(recorded.status()).as(recorded.body()).isEqualTo(201);
        String id = recorded.json().get("id").asString();

        assertThat(breaches.remindOfDeadlines()).isEqualTo(1);
        assertThat(breaches.remindOfDeadlines()).as("once a day").isZero();
        await().atMost(Duration.ofSeconds(20)).until(() -> reminders(id).size() == 1);
        assertThat(Mailbox.text(reminders(id).get(0))).contains(summary, "22 hours left");
        assertThat(Mailbox.recipients(reminders(id).get(0)).toList()).containsExactly(privacyMailbox());
        clock.advance(Duration.ofDays(1));
        assertThat(breaches.remindOfDeadlines()).as("the next day, now late").isEqualTo(1);
        await().atMost(Duration.ofSeconds(20)).until(() -> reminders(id).size() == 2);

        // Art. 33(2): the activities of the breached system that process data for customers, each to be told.
        JsonNode catalog = api.get("/api/v1/catalog", Api.ADMIN_TOKEN).json();
        List<String> processorActivities = catalog.get("activities").valueStream()
                .filter(a -> a.get("role").asString().equalsIgnoreCase("processor"))
                .filter(a -> a.get("systems").valueStream().anyMatch(s -> s.asString().equals(system)))
                .filter(a -> a.get("dataCategories").valueStream().anyMatch(c -> c.asString().equals("user.name")))
                .map(a -> a.get("key").asString()).toList();
        JsonNode report = api.get("/api/v1/breaches/" + id + "/report", Api.ADMIN_TOKEN,
                Map.of("Accept", "application/json")).json();
        assertThat(report.get("customersToInform").valueStream().map(a -> a.get("key").asString()).toList())
                .containsExactlyInAnyOrderElementsOf(processorActivities);
        assertThat(api.get("/api/v1/breaches/" + id + "/report?lang=en", Api.ADMIN_TOKEN).body()
                .contains("Data processed on behalf of customers")).isEqualTo(!processorActivities.isEmpty());
    }

    private List<jakarta.mail.internet.MimeMessage> breachLetters(String summary) {
        return mailbox.all().stream().filter(mail -> Mailbox.text(mail).contains(summary))
                .filter(mail -> !Mailbox.text(mail).contains("72-hour")).toList();
    }

    private List<jakarta.mail.internet.MimeMessage> reminders(String breachId) {
        return mailbox.all().stream().filter(mail -> Mailbox.text(mail).contains(breachId)).toList();
    }

    private String privacyMailbox() {
        JsonNode controller = api.get("/api/v1/catalog", Api.ADMIN_TOKEN).json().get("controller");
        JsonNode dpo = controller.get("dataProtectionOfficer");
        return dpo != null && !dpo.isNull() ? dpo.get("email").asString() : controller.get("email").asString();
    }

    private String breachPerson(People person) {
        Api.Response written = person.write(api, Api.ADMIN_TOKEN);
        assertThat(written.status()).as(written.body()).isIn(200, 201);
        return written.json().get("id").asString();
    }

    // ---- helpers -------------------------------------------------------------------------------

    private Api.Response writePerson(String email, String name) {
        return People.in(roles.person().system(), roles.person().activity()).email(email).phone(phone())
                .data("user.name", name).write(api, Api.ADMIN_TOKEN);
    }

    private String person(String email) {
        Api.Response written = writePerson(email, "Pia Pakkesen");
        assertThat(written.status()).as(written.body()).isIn(200, 201);
        return written.json().get("id").asString();
    }

    private Api.Response upload(String subject, String kind, byte[] content) {
        return api.postMultipart("/api/v1/subjects/" + subject + "/documents", Api.ADMIN_TOKEN, new Multipart()
                .field("kind", kind).field("system", roles.documentSystem())
                .file("file", kind + ".pdf", "application/pdf", content));
    }

    private Api.Response form(String path) {
        return api.send("POST", path, null, Map.of("Content-Type", "application/x-www-form-urlencoded"), "");
    }

    /** A Norwegian mobile number of its own, so that no two people of these tests merge. */
    private static String phone() {
        return "9" + String.format("%07d", java.util.concurrent.ThreadLocalRandom.current().nextInt(10_000_000));
    }

    private static String unique(String name) {
        return name + "-" + UUID.randomUUID().toString().substring(0, 8) + "@example.no";
    }

    private static HttpServer connectedSystem() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.createContext("/hook", exchange -> {
                RECEIVED.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
                byte[] answer = "{\"status\":\"done\"}".getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, answer.length);
                exchange.getResponseBody().write(answer);
                exchange.close();
            });
            server.start();
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
