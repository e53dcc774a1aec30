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
    /** Run with each body the connected system receives, before it answers (null: nothing). */
    static volatile java.util.function.Consumer<String> onReceive;
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

    @Test
    void aRectificationCarriesWhatThePersonWroteToTheConnectedSystemAndToStaff() {
        String email = unique("retting");
        person(email);
        String correction = "Adressen min er Nygata 5, ikke Gamlegata 5 (" + UUID.randomUUID() + ")";
        Api.Response submitted = api.post("/api/v1/public/requests", null,
                Json.object("type", "rectification", "email", email, "message", correction));
        assertThat(submitted.status()).as(submitted.body()).isEqualTo(202);
        String id = submitted.json().get("id").asString();
        assertThat(requests.verify(id, requests.mailedCode(email)).status()).isEqualTo(200);

        await().atMost(Duration.ofSeconds(20)).until(() -> RECEIVED.stream().anyMatch(body -> body.contains(id)));
        String body = RECEIVED.stream().filter(received -> received.contains(id)).findFirst().orElseThrow();
        assertThat(tools.jackson.databind.json.JsonMapper.builder().build().readTree(body).get("message").asString())
                .as("the proposed correction, in the signed body").isEqualTo(correction);
        assertThat(api.get("/api/v1/requests/" + id, Api.ADMIN_TOKEN).json().get("message").asString())
                .isEqualTo(correction);
        assertThat(jdbc.sql("SELECT category, activity_key FROM subject_note n JOIN data_request r"
                + " ON r.message_note = n.id WHERE r.id = :id").param("id", UUID.fromString(id)).query().singleRow()
                .get("activity_key")).isEqualTo(roles.requestsActivity());
    }

    @Test
    void anObjectionStopsMarketingAndEndsTheSubscriptionBeforeTheConnectedSystemAnswers() throws Exception {
        String email = unique("protest");
        assertThat(api.post("/api/v1/public/subscriptions", null, Json.object("email", email, "list", roles.list()))
                .status()).isEqualTo(202);
        assertThat(form(Mailbox.confirmLink(mailbox.lastTo(email))).status()).isEqualTo(200);
        assertThat(recipient(email)).isNotNull();
        String subject = api.get("/api/v1/subjects?email=" + email, Api.ADMIN_TOKEN).json().get("items").get(0)
                .get("id").asString();
        java.util.concurrent.atomic.AtomicReference<String> seenBySystem = new java.util.concurrent.atomic
                .AtomicReference<>();
        onReceive = body -> {
            if (body.contains("\"type\":\"objection\"")) {
                seenBySystem.compareAndSet(null, (recipient(email) == null ? "unsubscribed" : "still subscribed")
                        + ", consents " + api.get("/api/v1/subjects/" + subject + "/consents", Api.ADMIN_TOKEN)
                                .json().get("current"));
            }
        };
        try {
            Api.Response filed = api.post("/api/v1/requests", Api.ADMIN_TOKEN, Requests.staffBody("objection", email));
            assertThat(filed.status()).as(filed.body()).isEqualTo(201);

            await().atMost(Duration.ofSeconds(20)).until(() -> seenBySystem.get() != null);
        } finally {
            onReceive = null;
        }
        assertThat(seenBySystem.get()).as("Art. 21(3): stopped when the request opened, before the system answered")
                .startsWith("unsubscribed").doesNotContain("true");
        assertThat(seenBySystem.get()).contains("marketing");
    }

    @Test
    void theDpoDecidesAnObjectionOnlyForActivitiesOnLegitimateInterestsOrAPublicTask() {
        String email = unique("innsigelse");
        person(email);
        String id = api.post("/api/v1/requests", Api.ADMIN_TOKEN, Requests.staffBody("objection", email)).json()
                .get("id").asString();

        for (String activity : List.of(roles.person().activity(), roles.consentActivity(), "no-such-activity")) {
            Api.Response refused = api.post("/api/v1/requests/" + id + "/objection-decisions", Api.ADMIN_TOKEN,
                    Json.object("activity", activity, "decision", "upheld", "reasons", "Grunner"));
            assertThat(refused.status()).as(activity + ": " + refused.body()).isEqualTo(422);
            assertThat(refused.json().get("errors").findValuesAsString("field")).containsExactly("activity");
        }
        assertThat(api.get("/api/v1/requests/" + id, Api.ADMIN_TOKEN).json().get("objections")).isEmpty();
        Api.Response overdue = api.get("/api/v1/requests?overdue=true&limit=1000", Api.ADMIN_TOKEN);
        assertThat(overdue.status()).isEqualTo(200);
        assertThat(overdue.json().get("items").findValuesAsString("id")).as("due in a month").doesNotContain(id);
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
                String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
                RECEIVED.add(body);
                java.util.function.Consumer<String> hook = onReceive;
                if (hook != null) {
                    hook.accept(body);
                }
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
