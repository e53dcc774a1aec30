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
import no.personvern.catalog.Catalog;
import no.personvern.catalog.IsoPeriod;
import no.personvern.catalog.Language;
import no.personvern.catalog.WebsiteTerms;
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

    @Autowired
    WebsiteTerms terms;

    @Autowired
    Catalog catalog;

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

    @Test
    void theRecordNamesTheDpoOrSaysNoneIsDesignatedAndKeepsProcessingForCustomersApart() {
        JsonNode ropa = api.get("/api/v1/ropa", Api.ADMIN_TOKEN).json();
        String dpo = ropa.get("controller").get("dpo").asString();
        if (roles.dpoEmail() != null) {
            assertThat(dpo).contains(roles.dpoEmail());
        } else {
            assertThat(dpo).startsWith("No data protection officer is designated");
            assertThat(api.get("/api/v1/ropa?lang=nb", Api.ADMIN_TOKEN).json().get("controller").get("dpo").asString())
                    .startsWith("Det er ikke utpekt noe personvernombud");
        }
        assertThat(ropa.get("activities").valueStream().map(a -> a.get("role").asString()))
                .as("the Art. 30(1) record is the controller's").containsOnly("controller");
        List<String> forCustomers = catalog.activities().stream()
                .filter(a -> a.role() == no.personvern.catalog.Role.PROCESSOR).map(a -> a.key()).toList();
        JsonNode processorRecord = ropa.get("processorRecord");
        assertThat(processorRecord.get("activities").valueStream().map(a -> a.get("key").asString()).toList())
                .isEqualTo(forCustomers);
        for (JsonNode activity : processorRecord.get("activities")) {
            assertThat(activity.propertyNames()).as("no basis or retention of our own for the customers' data")
                    .doesNotContain("legalBasis", "erasureTimeLimit")
                    .contains("controllers", "categoriesOfProcessing", "processors", "thirdCountryTransfers",
                            "securityMeasures");
            assertThat(activity.get("controllers").get(0).asString()).startsWith("The customers who use");
        }
        if (!forCustomers.isEmpty()) {
            assertThat(processorRecord.get("controllers").get(0).asString()).contains("each the controller of its own data");
        }
        String csv = api.get("/api/v1/ropa", Api.ADMIN_TOKEN, Map.of("Accept", "text/csv")).body();
        forCustomers.forEach(key -> assertThat(csv).contains("\"" + key + "\""));
        assertThat(csv).contains(roles.dpoEmail() != null ? roles.dpoEmail() : "No data protection officer is designated");
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
                {"purpose":"%s","granted":true,"method":"web-form","activity":"%s"}""".formatted(roles.consentPurpose(),
                roles.consentActivity()));
        assertThat(given.status()).as(given.body()).isEqualTo(201);
        JsonNode receipt = api.get("/api/v1/consents/" + given.json().get("receiptId").asString(), Api.ADMIN_TOKEN)
                .json();
        assertThat(receipt.get("processing").get("purposes").get(0).get("activities").toString())
                .isEqualTo("[\"" + roles.consentActivity() + "\"]");
        assertThat(receipt.get("processing").get("purposes").get(0).get("activityNames").get(0).asString())
                .isEqualTo(catalog.activity(roles.consentActivity()).orElseThrow().name().en());
        JsonNode byActivity = api.get("/api/v1/subjects/" + subject + "/consents", Api.ADMIN_TOKEN).json()
                .get("byActivity");
        assertThat(byActivity.get(roles.consentActivity()).get(roles.consentPurpose()).asBoolean()).isTrue();

        api.post("/api/v1/subjects/" + subject + "/consents", Api.ADMIN_TOKEN, """
                {"purpose":"%s","granted":false,"method":"web-form","activity":"%s"}""".formatted(roles.consentPurpose(),
                roles.consentActivity()));
        JsonNode consents = api.get("/api/v1/subjects/" + subject + "/consents", Api.ADMIN_TOKEN).json();
        assertThat(consents.get("current").get(roles.consentPurpose()).asBoolean()).isFalse();
        assertThat(consents.get("byActivity").get(roles.consentActivity()).get(roles.consentPurpose()).asBoolean())
                .isFalse();
        assertThat(consents.get("history")).hasSize(2);
        assertThat(consents.get("history").get(1).get("activity").asString()).isEqualTo(roles.consentActivity());
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
        // Every letter to a person is signed by the controller, and names the DPO when there is one.
        String letter = Mailbox.text(mailbox.lastTo(email));
        assertThat(letter).contains(catalog.controller().name() + " · " + catalog.controller().email());
        if (roles.dpoEmail() != null) {
            assertThat(letter).containsAnyOf("Personvernombud: ", "Data protection officer: ").contains(roles.dpoEmail());
        }
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
    void aRestrictionIsInForceOnVerificationAndEndsOnlyAfterThePersonIsToldWhy() throws Exception {
        String email = unique("begrensning");
        String subject = person(email);
        Api.Response consent = api.post("/api/v1/subjects/" + subject + "/consents", Api.ADMIN_TOKEN, """
                {"purpose":"%s","granted":true,"method":"web-form"}""".formatted(roles.consentPurpose()));
        assertThat(consent.status()).as(consent.body()).isEqualTo(201);

        String id = verifiedPublicRequest("restriction", email);

        assertThat(api.get("/api/v1/subjects/" + subject, Api.ADMIN_TOKEN).json().get("data"))
                .as("restricted from the verification on, whatever the connected system says").isEmpty();
        assertThat(api.get("/api/v1/subjects?email=" + email, Api.ADMIN_TOKEN).json().get("items"))
                .as("a restricted person is not found for new processing").isEmpty();
        await().atMost(Duration.ofSeconds(20)).until(() -> status(id).equals("completed"));
        assertThat(RECEIVED).as("the connected system still receives it").anyMatch(body -> body.contains(id));
        assertThat(api.get("/api/v1/subjects/" + subject + "/consents", Api.ADMIN_TOKEN).json().get("current")
                .get(roles.consentPurpose()).asBoolean()).as("restriction is not a withdrawal of consent").isTrue();
        JsonNode restricted = api.get("/api/v1/subjects/" + subject + "/restricted?reason=legal%20claim",
                Api.ADMIN_TOKEN).json();
        assertThat(restricted.get("items").toString()).contains("Pia Pakkesen", "\"kind\":\"restriction\"", id);

        Api.Response lift = api.post("/api/v1/subjects/" + subject + "/restriction/lift", Api.ADMIN_TOKEN,
                Json.object("reason", "The accuracy of your data has been verified."));
        assertThat(lift.status()).as(lift.body()).isEqualTo(200);

        await().atMost(Duration.ofSeconds(20)).until(() -> Mailbox.text(mailbox.lastTo(email))
                .contains("The accuracy of your data has been verified."));
        assertThat(Mailbox.text(mailbox.lastTo(email))).as("told why, in the request's language").contains("18 nr. 3");
        await().atMost(Duration.ofSeconds(20)).until(() -> !api.get("/api/v1/subjects/" + subject, Api.ADMIN_TOKEN)
                .json().get("data").isEmpty());
        assertThat(api.get("/api/v1/subjects?email=" + email, Api.ADMIN_TOKEN).json().get("items").toString())
                .contains(subject);
        assertThat(api.post("/api/v1/subjects/" + subject + "/restriction/lift", Api.ADMIN_TOKEN,
                Json.object("reason", "again")).status()).as("nothing is restricted any more").isEqualTo(409);
    }

    @Test
    void anAccessPackageShowsTheDataItselfAndCarriesTheUploadedFilesByteForByte() throws Exception {
        String email = unique("pakke");
        String subject = person(email);
        String kind = roles.documentCategories().keySet().iterator().next();
        byte[] content = new byte[300];
        for (int i = 0; i < content.length; i++) {
            content[i] = (byte) (i * 7);
        }
        String document = upload(subject, kind, content).json().get("id").asString();
        Api.Response consent = api.post("/api/v1/subjects/" + subject + "/consents", Api.ADMIN_TOKEN, """
                {"purpose":"%s","granted":true,"method":"web-form"}""".formatted(roles.consentPurpose()));
        assertThat(consent.status()).as(consent.body()).isEqualTo(201);
        String receipt = consent.json().get("receiptId").asString();
        assertThat(api.post("/api/v1/public/subscriptions", null, Json.object("email", email, "list", roles.list()))
                .status()).isEqualTo(202);
        assertThat(form(Mailbox.confirmLink(mailbox.lastTo(email))).status()).isEqualTo(200);
        Api.Response disclosed = api.post("/api/v1/disclosures", Api.ADMIN_TOKEN, """
                {"recipient":"%s","subjectId":"%s","dataCategories":["user.name"],"basis":"dpa"}"""
                .formatted(roles.processor(), subject));
        assertThat(disclosed.status()).as(disclosed.body()).isEqualTo(201);

        String id = verifiedPublicRequest("access", email);

        await().atMost(Duration.ofSeconds(20)).until(() -> status(id).equals("completed"));
        awaitPackageLink(email);
        HttpResponse<byte[]> zip = api.getBytes(Mailbox.packageLink(mailbox.lastTo(email)), null);
        Map<String, byte[]> files = Requests.unzipBytes(zip.body());
        assertThat(files.get("documents/" + document + ".pdf")).as("the uploaded file itself").isEqualTo(content);
        String report = new String(files.get("report.html"), StandardCharsets.UTF_8);
        assertThat(report).contains("Pia Pakkesen", email, "Navn", "documents/" + document + ".pdf");
        no.personvern.catalog.Language nb = no.personvern.catalog.Language.NB;
        assertThat(report).as("the consent with its receipt, the subscription and the disclosure (Art. 15(1)(c))")
                .contains(catalog.taxonomy().useName(roles.consentPurpose(), nb), receipt,
                        catalog.list(roles.list()).orElseThrow().title().in(nb),
                        catalog.processor(roles.processor()).orElseThrow().name() + " – "
                                + catalog.taxonomy().categoryName("user.name", nb));
        no.personvern.catalog.Activity held = catalog.activity(roles.person().activity()).orElseThrow();
        assertThat(report).as("retention in the words of the notice and the record, from the year's end where an"
                + " exception keeps data").contains(catalog.retentionText(held, nb));
        String group = group(report, held, nb);
        assertThat(group).as("the name under the activity that uses it, with its basis, retention and recipients")
                .contains("Pia Pakkesen", "art. 6 nr. 1 bokstav " + letter(held), catalog.retentionText(held, nb));
        recipientNames(held).forEach(name -> assertThat(group).contains(name));
        assertThat(report).as("the document listed and linked").contains("<a href=\"documents/" + document + ".pdf\">",
                "300 B").contains("<html lang=\"nb\">", "/privacy-center?lang=nb\">", "Slik leser du dette", "Innhold", "<style>", "--accent:")
                .doesNotContain("<link", "<script");
    }

    @Test
    void anEnglishPackageIsReadableFromDiskAtPhoneWidthAndShowsWhatThePersonWroteAsText() throws Exception {
        String email = unique("readable");
        String hostile = "<script>alert(1)</script> \"><img src=x onerror=alert(1)> Pia";
        String subject = People.in(roles.person().system(), roles.person().activity()).email(email).phone(phone())
                .data("user.name", hostile).create(api, Api.ADMIN_TOKEN);
        String kind = roles.documentCategories().keySet().iterator().next();
        String document = upload(subject, kind, new byte[] {1, 2, 3}).json().get("id").asString();
        Api.Response submitted = api.post("/api/v1/public/requests", null,
                Json.object("type", "access", "email", email, "lang", "en"));
        assertThat(submitted.status()).as(submitted.body()).isEqualTo(202);
        String id = submitted.json().get("id").asString();
        assertThat(requests.verify(id, requests.mailedCode(email)).status()).isEqualTo(200);

        await().atMost(Duration.ofSeconds(20)).until(() -> status(id).equals("completed"));
        awaitPackageLink(email);
        Map<String, byte[]> files = Requests.unzipBytes(api.getBytes(Mailbox.packageLink(mailbox.lastTo(email)), null)
                .body());
        assertThat(files.keySet()).as("only names the package chose").allMatch(name -> name.matches(
                "data\\.json|report\\.html|documents/[0-9a-f-]{36}\\.[a-z]+"));
        assertThat(files.get("documents/" + document + ".pdf")).isEqualTo(new byte[] {1, 2, 3});
        String report = new String(files.get("report.html"), StandardCharsets.UTF_8);
        Language en = Language.EN;
        no.personvern.catalog.Activity held = catalog.activity(roles.person().activity()).orElseThrow();
        String group = group(report, held, en);
        assertThat(group).contains("&lt;script&gt;alert(1)&lt;/script&gt; &quot;&gt;&lt;img src=x onerror=alert(1)&gt; Pia",
                "GDPR " + held.legalBasis().article(), catalog.retentionText(held, en));
        recipientNames(held).forEach(name -> assertThat(group).contains(name));
        assertThat(report).contains("<html lang=\"en\">", "/privacy-center?lang=en\">", "How to read this", "Your rights and how to use them",
                "<a href=\"documents/" + document + ".pdf\">", "<style>", catalog.controller().supervisoryAuthority()
                        .name()).doesNotContain("<script", "<img", "<link", "Slik leser du dette");

        java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("package");
        try {
            for (Map.Entry<String, byte[]> file : files.entrySet()) {
                java.nio.file.Path target = dir.resolve(file.getKey());
                java.nio.file.Files.createDirectories(target.getParent());
                java.nio.file.Files.write(target, file.getValue());
            }
            try (no.personvern.testing.PageBrowser browser = no.personvern.testing.PageBrowser
                    .open(no.personvern.testing.PageBrowser.Way.EN_PHONE, port)) {
                browser.driver.get(dir.resolve("report.html").toUri().toString());
                assertThat(browser.text()).contains(hostile.replace("  ", " ").trim().substring(0, 8));
                assertThat(browser.driver.findElements(org.openqa.selenium.By.cssSelector("img, script[src]")))
                        .isEmpty();
                browser.check("report");
            }
        } finally {
            org.springframework.util.FileSystemUtils.deleteRecursively(dir);
        }
    }

    /** The section of report.html for one activity: from its heading to the end of its section. */
    private static String group(String report, no.personvern.catalog.Activity activity, Language language) {
        String heading = ">" + org.springframework.web.util.HtmlUtils.htmlEscape(activity.name().in(language)) + "</h3>";
        int start = report.indexOf(heading);
        assertThat(start).as("a section for " + activity.key()).isPositive();
        return report.substring(start, report.indexOf("</section>", start));
    }

    private static String letter(no.personvern.catalog.Activity activity) {
        String article = activity.legalBasis().article();
        return article.substring(article.length() - 2, article.length() - 1);
    }

    private List<String> recipientNames(no.personvern.catalog.Activity activity) {
        return activity.recipients().stream().map(key -> catalog.processor(key).orElseThrow().name())
                .map(org.springframework.web.util.HtmlUtils::htmlEscape).toList();
    }

    @Test
    void aSubscriberKnownOnlyByTheirAddressIsToldTheListsPurposes() throws Exception {
        String email = unique("bare-abonnent");
        api.post("/api/v1/public/subscriptions", null, Json.object("email", email, "list", roles.list()));
        assertThat(form(Mailbox.confirmLink(mailbox.lastTo(email))).status()).isEqualTo(200);

        String id = verifiedPublicRequest("access", email);

        await().atMost(Duration.ofSeconds(20)).until(() -> status(id).equals("completed"));
        awaitPackageLink(email);
        String report = requests.mailedPackage(email).get("report.html");
        no.personvern.catalog.Activity list = catalog.activity(catalog.list(roles.list()).orElseThrow().activity())
                .orElseThrow();
        assertThat(report).contains(list.name().in(no.personvern.catalog.Language.NB),
                catalog.taxonomy().useName(list.purposes().get(0), no.personvern.catalog.Language.NB), email);
    }

    @Test
    void aPackageWithADisclosureToAnAuthorityWaitsForTheDposReviewWhileTheClockRuns() throws Exception {
        String email = unique("utlevert");
        String subject = person(email);
        Api.Response disclosed = api.post("/api/v1/disclosures", Api.ADMIN_TOKEN, Json.object("recipient",
                roles.authority(), "subjectId", subject, "dataCategories", List.of("user.name"), "basis", "law",
                "reference", "REF-2026-77"));
        assertThat(disclosed.status()).as(disclosed.body()).isEqualTo(201);
        String disclosure = disclosed.json().get("id").asString();
        List<String> more = new java.util.ArrayList<>();
        for (int i = 0; i < 8; i++) {
            more.add(api.post("/api/v1/disclosures", Api.ADMIN_TOKEN, Json.object("recipient", roles.authority(),
                    "subjectId", subject, "dataCategories", List.of("user.name"), "basis", "law", "reference",
                    "REF-2026-" + i)).json().get("id").asString());
        }

        String id = verifiedPublicRequest("access", email);

        await().atMost(Duration.ofSeconds(20)).until(() -> api.get("/api/v1/requests/" + id, Api.ADMIN_TOKEN).json()
                .has("review"));
        JsonNode held = api.get("/api/v1/requests/" + id, Api.ADMIN_TOKEN).json();
        assertThat(held.get("status").asString()).isEqualTo("in_progress");
        assertThat(held.get("review").get("state").asString()).isEqualTo("pending");
        assertThat(held.get("review").get("items").toString()).contains("disclosure:" + disclosure);
        assertThat(held.has("extendedUntil")).as("no extension is implied").isFalse();
        assertThat(Mailbox.text(mailbox.lastTo(email))).doesNotContain("/package?token=");

        Api.Response bogus = api.post("/api/v1/requests/" + id + "/package/release", Api.ADMIN_TOKEN,
                Json.object("withheld", List.of(Map.of("item", "disclosure:" + UUID.randomUUID()))));
        assertThat(bogus.status()).isEqualTo(422);
        assertThat(bogus.body()).contains("reason", "withheld[0].item", "withheld[0].reason");
        assertThat(api.post("/api/v1/requests/" + id + "/package/release", new no.personvern.testing.Tokens(api)
                .issue("saksbehandler", "requests:manage"), Json.object("reason", "x")).status()).isEqualTo(403);
        List<Map<String, String>> tooMany = java.util.stream.IntStream.range(0, 201)
                .mapToObj(i -> Map.of("item", "disclosure:" + disclosure, "reason", "r")).toList();
        Api.Response many = api.post("/api/v1/requests/" + id + "/package/release", Api.ADMIN_TOKEN,
                Json.object("reason", "Reviewed", "withheld", tooMany));
        assertThat(many.status()).as(many.body()).isEqualTo(422);
        assertThat(many.json().get("errors").get(0).get("field").asString()).isEqualTo("withheld");
        assertThat(status(id)).as("a refused release changes nothing").isEqualTo("in_progress");
        assertThat(api.get("/api/v1/requests/" + id, Api.ADMIN_TOKEN).json().get("review").get("state").asString())
                .isEqualTo("pending");
        List<Map<String, String>> withheld = new java.util.ArrayList<>(List.of(Map.of("item",
                "disclosure:" + disclosure, "reason", "An investigation is under way.")));
        more.forEach(other -> withheld.add(Map.of("item", "disclosure:" + other, "reason",
                "Etterforskning pågår. ".repeat(45))));

        Api.Response released = api.post("/api/v1/requests/" + id + "/package/release", Api.ADMIN_TOKEN,
                Json.object("reason", "Reviewed", "withheld", withheld));
        assertThat(released.status()).as("nine long reasons fit: " + released.body()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(20)).until(() -> jdbc.sql("SELECT COUNT(*) FROM audit_entry WHERE action ="
                + " 'request.package-released' AND details LIKE :id").param("id", "%" + id + "%")
                .query(Long.class).single() > 0);
        assertThat(jdbc.sql("SELECT details FROM audit_entry WHERE action = 'request.package-released' AND details"
                + " LIKE :id").param("id", "%" + id + "%").query(String.class).single())
                .as("ids only: the DPO's reasons stay with the review").contains("disclosure:" + disclosure)
                .doesNotContain("Reviewed", "An investigation is under way.");
        assertThat(released.json().get("status").asString()).isEqualTo("completed");
        awaitPackageLink(email);
        assertThat(Mailbox.text(mailbox.lastTo(email))).contains("An investigation is under way.", "Datatilsynet");
        Map<String, String> entries = requests.mailedPackage(email);
        assertThat(entries.get("report.html")).contains("An investigation is under way.").doesNotContain("REF-2026-77");
        assertThat(api.post("/api/v1/requests/" + id + "/package/release", Api.ADMIN_TOKEN,
                Json.object("reason", "again")).status()).isEqualTo(409);
    }

    @Test
    void aPackageHoldingTextOthersWroteAboutThePersonWaitsForTheDposReview() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(roles.othersWrite() != null, "the catalog has no such category");
        String email = unique("merknad");
        person(email);
        Api.Response noted = People.in(roles.othersWrite().system(), roles.othersWrite().activity()).email(email)
                .data("user.content.approval_note", "Leder: utlegget virker tvilsomt").write(api, Api.ADMIN_TOKEN);
        assertThat(noted.status()).as(noted.body()).isEqualTo(200);

        String id = verifiedPublicRequest("access", email);

        await().atMost(Duration.ofSeconds(20)).until(() -> api.get("/api/v1/requests/" + id, Api.ADMIN_TOKEN).json()
                .has("review"));
        assertThat(api.get("/api/v1/requests/" + id, Api.ADMIN_TOKEN).json().get("review").get("items").toString())
                .contains("category:user.content.approval_note");
        Api.Response released = api.post("/api/v1/requests/" + id + "/package/release", Api.ADMIN_TOKEN,
                Json.object("reason", "Reviewed with the manager"));
        assertThat(released.status()).as(released.body()).isEqualTo(200);
        awaitPackageLink(email);
        assertThat(requests.mailedPackage(email).get("report.html")).as("released whole when nothing is withheld")
                .contains("Leder: utlegget virker tvilsomt", "Lederens merknader til utlegg");
    }

    private void awaitPackageLink(String email) {
        await().atMost(Duration.ofSeconds(20)).until(() -> Mailbox.text(mailbox.lastTo(email)).contains("/package?token="));
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
        // The code mail may still be on its way behind an earlier mail to the same address.
        String[] code = new String[1];
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> code[0] = requests.mailedCode(email));
        Api.Response verified = requests.verify(id, code[0]);
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

    // ---- web data retention (Art. 5(1)(e)) -----------------------------------------------------

    @Test
    void pageViewsAndCampaignHitsGoWhenTheirActivitysPeriodEndsAndADryRunCountsTheSameWithoutDeleting() {
        jdbc.sql("DELETE FROM page_hit").update();
        Instant pageViewsGo = terms.hitsKeptFor(catalog, WebsiteTerms.Kind.PAGE_VIEWS).orElseThrow().addTo(START);
        Instant campaignsGo = terms.hitsKeptFor(catalog, WebsiteTerms.Kind.CAMPAIGN_HITS).orElseThrow().addTo(START);
        Instant later = (pageViewsGo.isAfter(campaignsGo) ? pageViewsGo : campaignsGo);
        String cookie = bannerChoice(null);
        api.get("/t.gif?e=pageview&p=/gammel", null, Map.of("Cookie", cookie));
        api.get("/t.gif?e=campaign&c=gammel&p=/", null, Map.of("Cookie", cookie));
        clock.set(later.minus(Duration.ofDays(10)));
        api.get("/t.gif?e=pageview&p=/ny", null, Map.of("Cookie", cookie));
        api.get("/t.gif?e=campaign&c=ny&p=/", null, Map.of("Cookie", cookie));
        String oldDay = START.toString().substring(0, 10);
        String newDay = clock.instant().toString().substring(0, 10);
        IsoPeriod views = terms.hitsKeptFor(catalog, WebsiteTerms.Kind.PAGE_VIEWS).orElseThrow();
        IsoPeriod campaigns = terms.hitsKeptFor(catalog, WebsiteTerms.Kind.CAMPAIGN_HITS).orElseThrow();
        assertThat(noticeText("en")).as("the notice states the periods the sweep keeps").contains(
                "page views are deleted " + views.describe(Language.EN) + " after they were recorded",
                "campaign hits are deleted " + campaigns.describe(Language.EN) + " after they were recorded");
        assertThat(noticeText("nb")).contains("sidevisninger slettes " + views.describe(Language.NB),
                "kampanjetreff slettes " + campaigns.describe(Language.NB));
        assertThat(pageViews(oldDay)).isEqualTo(1);

        clock.set(later.plus(Duration.ofDays(1)));
        JsonNode dry = retentionRun(true);
        assertThat(dry.get("deleted").get("page-hits:pageviews").asLong()).isEqualTo(1);
        assertThat(dry.get("deleted").get("page-hits:campaigns").asLong()).isEqualTo(1);
        assertThat(pageViews(oldDay)).as("a dry run deletes nothing").isEqualTo(1);

        JsonNode real = retentionRun(false);
        assertThat(real.get("deleted").get("page-hits:pageviews")).isEqualTo(dry.get("deleted").get("page-hits:pageviews"));
        assertThat(real.get("deleted").get("page-hits:campaigns")).isEqualTo(dry.get("deleted").get("page-hits:campaigns"));
        assertThat(pageViews(oldDay)).as("older than the period: gone").isZero();
        assertThat(campaignHits(oldDay)).isEmpty();
        assertThat(pageViews(newDay)).as("younger than the period: kept").isEqualTo(1);
        assertThat(campaignHits(newDay)).containsExactly("ny");
        assertThat(retentionRun(false).get("deleted").has("page-hits:pageviews")).as("nothing left to delete").isFalse();
    }

    @Test
    void anonymousConsentRecordsAreKeptWhileInForceAndForTheProofPeriodAfterTheChoiceEnds() {
        String person = person(unique("samtykke-bevis"));
        String personReceipt = api.post("/api/v1/subjects/" + person + "/consents", Api.ADMIN_TOKEN, """
                {"purpose":"%s","granted":true,"method":"web-form"}""".formatted(roles.consentPurpose())).json()
                .get("receiptId").asString();
        Api.Response first = chooseInBanner(null);
        List<String> superseded = receipts(first);
        String cookie = consentCookie(first);
        List<String> lapsing = receipts(chooseInBanner(null));
        clock.advance(Duration.ofDays(1));
        List<String> current = receipts(chooseInBanner(cookie));
        Instant supersededAt = clock.instant();
        Instant proofEnds = terms.proof().addTo(supersededAt);

        clock.set(proofEnds.minus(Duration.ofDays(1)));
        retentionRun(false);
        assertThat(held(superseded)).as("superseded, within the proof period").isEqualTo(superseded.size());

        clock.set(proofEnds.plus(Duration.ofDays(1)));
        JsonNode dry = retentionRun(true);
        assertThat(dry.get("deleted").get("consent-records:visitors").asLong()).isGreaterThanOrEqualTo(superseded.size());
        assertThat(held(superseded)).as("a dry run deletes nothing").isEqualTo(superseded.size());
        JsonNode real = retentionRun(false);
        assertThat(real.get("deleted").get("consent-records:visitors")).isEqualTo(dry.get("deleted")
                .get("consent-records:visitors"));
        assertThat(held(superseded)).as("superseded, proof period over: gone").isZero();
        assertThat(held(current)).as("the newer choice, whose proof period has not ended").isEqualTo(current.size());
        assertThat(held(lapsing)).as("run out after " + terms.choiceLifetime() + ", proof period not over")
                .isEqualTo(lapsing.size());

        clock.set(terms.proof().addTo(START.plus(terms.choiceLifetime())).plus(Duration.ofDays(2)));
        retentionRun(false);
        assertThat(held(lapsing)).as("run out, proof period over: gone").isZero();
        assertThat(held(current)).as("run out a day later, proof period over: gone").isZero();
        assertThat(held(List.of(personReceipt))).as("a person's consent record is not the website's").isEqualTo(1);
    }

    @Test
    void anUnconfirmedSignUpGoesAfterSevenDaysWithItsAddressUnlessThePersonHoldsMore() {
        String stranger = unique("ubekreftet");
        String customer = unique("kunde-ubekreftet");
        String customerId = person(customer);
        for (String email : List.of(stranger, customer)) {
            assertThat(api.post("/api/v1/public/subscriptions", null, Json.object("email", email, "list", roles.list()))
                    .status()).isEqualTo(202);
        }
        assertThat(found(stranger)).as("the sign-up brought the address in").hasSize(1);

        clock.advance(Duration.ofDays(6));
        retentionRun(false);
        assertThat(found(stranger)).as("within the week the link works").hasSize(1);

        clock.advance(Duration.ofDays(2));
        JsonNode dry = retentionRun(true);
        assertThat(dry.get("deleted").get("sign-ups:unconfirmed").asLong()).isGreaterThanOrEqualTo(2);
        assertThat(found(stranger)).as("a dry run deletes nothing").hasSize(1);
        JsonNode real = retentionRun(false);
        assertThat(real.get("deleted").get("sign-ups:unconfirmed")).isEqualTo(dry.get("deleted").get("sign-ups:unconfirmed"));
        assertThat(real.get("deleted").get("people:unconfirmed-sign-ups")).isEqualTo(dry.get("deleted")
                .get("people:unconfirmed-sign-ups"));
        assertThat(found(stranger)).as("the address only the sign-up held is gone").isEmpty();
        assertThat(found(customer)).as("a person with other data keeps the address").containsExactly(customerId);
        assertThat(api.get("/api/v1/subjects/" + customerId, Api.ADMIN_TOKEN).json().get("data").toString())
                .contains("Pia Pakkesen");
        assertThat(jdbc.sql("SELECT COUNT(*) FROM subscription WHERE subject_id = :id AND status = 'pending'")
                .param("id", UUID.fromString(customerId)).query(Long.class).single()).isZero();
    }

    @Test
    void aPersonWithoutActivityIsFlaggedToThePrivacyMailboxOncePerPeriodAndNotDeleted() throws Exception {
        Mailbox outbox = Mailbox.of(MAIL, jdbc);
        String quiet = person(unique("stille"));
        String consenting = person(unique("aktiv"));
        clock.advance(Duration.ofDays(800));
        api.post("/api/v1/subjects/" + consenting + "/consents", Api.ADMIN_TOKEN, """
                {"purpose":"%s","granted":true,"method":"web-form"}""".formatted(roles.consentPurpose()));
        clock.set(START.plus(Duration.ofDays(3 * 365 + 2)));

        JsonNode dry = retentionRun(true);
        assertThat(dry.get("kept").get("inactive:flagged").asLong()).isGreaterThanOrEqualTo(1);
        assertThat(flagMails(outbox, quiet)).as("a dry run mails nobody").isEmpty();
        JsonNode real = retentionRun(false);
        assertThat(real.get("kept").get("inactive:flagged")).isEqualTo(dry.get("kept").get("inactive:flagged"));
        List<String> mails = flagMails(outbox, quiet);
        assertThat(mails).as("the DPO is told, by subject id").hasSize(1);
        assertThat(mails.get(0)).doesNotContain(consenting).doesNotContain("@example.no");
        assertThat(api.get("/api/v1/subjects/" + quiet, Api.ADMIN_TOKEN).status()).as("flagged, not deleted")
                .isEqualTo(200);

        clock.advance(Duration.ofDays(30));
        JsonNode again = retentionRun(false);
        assertThat(again.get("kept").get("inactive").asLong()).as("still inactive").isGreaterThanOrEqualTo(1);
        assertThat(flagMails(outbox, quiet)).as("not flagged twice in one period").hasSize(1);
    }

    private List<String> flagMails(Mailbox outbox, String subjectId) throws Exception {
        List<String> texts = new java.util.ArrayList<>();
        for (jakarta.mail.internet.MimeMessage mail : outbox.all()) {
            String text = Mailbox.text(mail);
            if (Mailbox.recipients(mail).anyMatch(catalog.controller().privacyMailbox()::equals)
                    && text.contains(subjectId)) {
                texts.add(text);
            }
        }
        return texts;
    }

    private JsonNode retentionRun(boolean dryRun) {
        // A run shown finished has released its lease: the next one starts at once, never 409.
        Api.Response started = api.post("/api/v1/retention/runs", Api.ADMIN_TOKEN, Json.object("dryRun", dryRun));
        assertThat(started.status()).as(started.body()).isEqualTo(202);
        String runId = started.json().get("id").asString();
        await().atMost(Duration.ofSeconds(30)).until(() -> !api.get("/api/v1/retention/runs/" + runId,
                Api.ADMIN_TOKEN).json().get("status").asString().equals("running"));
        JsonNode run = api.get("/api/v1/retention/runs/" + runId, Api.ADMIN_TOKEN).json();
        assertThat(run.get("status").asString()).as(run.toString()).isEqualTo("completed");
        return run;
    }

    private Api.Response chooseInBanner(String cookie) {
        Api.Response chosen = api.send("POST", "/api/v1/public/cookie-consent", null, cookie == null
                ? Map.of("Content-Type", "application/json")
                : Map.of("Content-Type", "application/json", "Cookie", cookie),
                Json.object("choices", Json.fields("statistics", true, "marketing", true)));
        assertThat(chosen.status()).as(chosen.body()).isEqualTo(201);
        return chosen;
    }

    private String bannerChoice(String cookie) {
        return consentCookie(chooseInBanner(cookie));
    }

    private static String consentCookie(Api.Response chosen) {
        return chosen.raw().headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith("pv_consent="))
                .findFirst().orElseThrow().split(";")[0];
    }

    private static List<String> receipts(Api.Response chosen) {
        return chosen.json().get("receiptIds").valueStream().map(JsonNode::asString).toList();
    }

    private long held(List<String> receipts) {
        return receipts.stream().filter(receipt -> consents.byReceipt(UUID.fromString(receipt)).isPresent()).count();
    }

    private String noticeText(String lang) {
        return api.get("/api/v1/public/notice?lang=" + lang, null).json().get("sections").valueStream()
                .map(section -> section.get("text").asString()).reduce("", String::concat);
    }

    private long pageViews(String day) {
        return api.get("/api/v1/stats/pageviews?from=" + day + "&to=" + day, Api.ADMIN_TOKEN).json().get("total")
                .asLong();
    }

    private List<String> campaignHits(String day) {
        return api.get("/api/v1/stats/campaigns?from=" + day + "&to=" + day, Api.ADMIN_TOKEN).json().get("campaigns")
                .valueStream().map(c -> c.get("campaign").asString()).toList();
    }

    private List<String> found(String email) {
        return api.get("/api/v1/subjects?email=" + email, Api.ADMIN_TOKEN).json().get("items").valueStream()
                .map(item -> item.get("id").asString()).toList();
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

    @Test
    void aBreachCountsAndMailsBelowAParentCategoryTheRestrictedAndSubscribersKnownByAddressUpToItsDiscovery()
            throws Exception {
        String team = new Tokens(api).issue("breach-team", "breaches:manage");
        String system = roles.person().system();
        String activity = roles.person().activity();
        String listSystem = catalog.list(roles.list()).orElseThrow().system();
        Instant window = START.plus(Duration.ofDays(600));
        clock.set(window.plus(Duration.ofMinutes(5)));
        String plain = unique("konto");
        breachPerson(People.in(system, activity).email(plain).data("user.account.username", "konto-a"));
        String restricted = unique("begrenset");
        String restrictedId = breachPerson(People.in(system, activity).email(restricted)
                .data("user.account.username", "konto-b"));
        assertThat(vault.restrict(UUID.fromString(restrictedId),
                new no.personvern.subjects.Hold.Reason.Restriction(UUID.randomUUID()))).isPositive();
        String subscriber = subscribe(unique("bare-adresse"));
        Instant discovered = window.plus(Duration.ofHours(1));
        // Collected after the breach was discovered: not in it, though the breach names no end.
        clock.set(discovered.plus(Duration.ofMinutes(10)));
        breachPerson(People.in(system, activity).email(unique("etterpaa")).data("user.account.username", "etter"));
        subscribe(unique("etterpaa-abonnent"));

        clock.set(discovered.plus(Duration.ofHours(1)));
        String summary = "En eksport av kontoer og nyhetsbrevlisten lå åpent " + UUID.randomUUID();
        Api.Response recorded = api.post("/api/v1/breaches", team, Json.object("discoveredAt", discovered.toString(),
                "summary", summary, "dataCategories", List.of("user.account", "user.contact"),
                "systems", List.of(system, listSystem, roles.documentSystem()), "from", window.toString(),
                "measures", "Eksporten er slettet.", "likelyConsequences", "Adressene kan få svindelforsøk."));
        assertThat(recorded.status()).as(recorded.body()).isEqualTo(201);
        String id = recorded.json().get("id").asString();
        JsonNode affected = recorded.json().get("affected");
        assertThat(affected.get("people").asLong()).as(affected.toString()).isEqualTo(3);
        assertThat(affected.get("bySystem").get(system).asLong()).isEqualTo(2);
        assertThat(affected.get("bySystem").get(listSystem).asLong()).as("the subscriber known only by address")
                .isEqualTo(1);
        assertThat(affected.get("bySystem").has(roles.documentSystem())).as("named, none affected: " + affected)
                .isTrue();
        assertThat(affected.get("bySystem").get(roles.documentSystem()).asLong()).isZero();

        assertThat(api.post("/api/v1/breaches/" + id + "/assessment", team,
                Json.object("risk", "high", "reasons", "Adresser og brukernavn er ute.")).status()).isEqualTo(200);
        assertThat(api.post("/api/v1/breaches/" + id + "/people-notification", team, Json.object("lang", "nb"))
                .status()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(30)).until(() -> api.get("/api/v1/breaches/" + id, team).json()
                .get("peopleNotification").get("status").asString().equals("completed"));
        JsonNode progress = api.get("/api/v1/breaches/" + id, team).json().get("peopleNotification");
        assertThat(progress.get("sent").asLong()).as(progress.toString()).isEqualTo(3);
        await().atMost(Duration.ofSeconds(20)).until(() -> breachLetters(summary).size() == 3);
        assertThat(breachLetters(summary).stream().flatMap(Mailbox::recipients).toList())
                .as("below the parent categories, the restricted person too (Art. 34), and the subscriber")
                .containsExactlyInAnyOrder(plain, restricted, subscriber);
    }

    @Test
    void peopleAffectedOnlyInDataHeldForCustomersAreCountedForTheCustomerButNotMailedByUs() {
        String system = roles.person().system();
        String activity = roles.person().activity();
        no.personvern.catalog.Activity forCustomers = catalog.activities().stream()
                .filter(a -> a.role() == no.personvern.catalog.Role.PROCESSOR && a.usesSystem(system))
                .filter(a -> a.dataCategories().contains("user.name")).findFirst().orElse(null);
        org.junit.jupiter.api.Assumptions.assumeTrue(forCustomers != null,
                "the catalog processes no names for customers in " + system);
        Instant window = START.plus(Duration.ofDays(700));
        // Known to us by address and an account id since before the breach...
        clock.set(window.minus(Duration.ofDays(1)));
        String externalId = "kundens-" + UUID.randomUUID();
        breachPerson(People.in(system, activity).email(unique("kundens-kunde")).externalId(system, externalId)
                .data("user.account.username", "kk"));
        // ...but the breached names are held only for a customer.
        clock.set(window.plus(Duration.ofMinutes(5)));
        String ours = unique("vaar-kunde");
        breachPerson(People.in(system, activity).email(ours).data("user.name", "Vår Kunde"));
        breachPerson(People.in(system, forCustomers.key()).externalId(system, externalId)
                .data("user.name", "Kundens Kunde"));

        clock.set(window.plus(Duration.ofHours(3)));
        String summary = "Navn fra regnskapene lå i en logg " + UUID.randomUUID();
        Api.Response recorded = api.post("/api/v1/breaches", Api.ADMIN_TOKEN, Json.object(
                "discoveredAt", window.plus(Duration.ofHours(2)).toString(), "summary", summary,
                "dataCategories", List.of("user.name"), "systems", List.of(system), "from", window.toString(),
                "measures", "Loggen er slettet.", "likelyConsequences", "Navn kan misbrukes."));
        assertThat(recorded.status()).as(recorded.body()).isEqualTo(201);
        String id = recorded.json().get("id").asString();
        assertThat(recorded.json().get("affected").get("people").asLong()).isEqualTo(2);
        JsonNode report = api.get("/api/v1/breaches/" + id + "/report?lang=en", Api.ADMIN_TOKEN,
                Map.of("Accept", "application/json")).json();
        JsonNode customers = report.get("customersToInform").valueStream()
                .filter(a -> a.get("key").asString().equals(forCustomers.key())).findFirst().orElseThrow();
        assertThat(customers.get("people").asLong()).isEqualTo(1);
        List<String> controllers = no.personvern.catalog.RecordOfProcessing.of(catalog, Language.EN).processorRecord()
                .activities().stream().filter(entry -> entry.key().equals(forCustomers.key())).findFirst()
                .orElseThrow().controllers();
        assertThat(controllers).isNotEmpty();
        assertThat(customers.get("controllers").valueStream().map(JsonNode::asString).toList())
                .as("the customers, as the record of processing names them (Art. 30(2)(a))")
                .containsExactlyElementsOf(controllers);
        assertThat(api.get("/api/v1/breaches/" + id + "/report?lang=en", Api.ADMIN_TOKEN).body())
                .contains(controllers.get(0));

        assertThat(api.post("/api/v1/breaches/" + id + "/assessment", Api.ADMIN_TOKEN,
                Json.object("risk", "high", "reasons", "Navn.")).status()).isEqualTo(200);
        assertThat(api.post("/api/v1/breaches/" + id + "/people-notification", Api.ADMIN_TOKEN, Json.object())
                .status()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(30)).until(() -> api.get("/api/v1/breaches/" + id, Api.ADMIN_TOKEN).json()
                .get("peopleNotification").get("status").asString().equals("completed"));
        assertThat(api.get("/api/v1/breaches/" + id, Api.ADMIN_TOKEN).json().get("peopleNotification").get("total")
                .asLong()).as("the customer tells its own people (Art. 33(2))").isEqualTo(1);
        await().atMost(Duration.ofSeconds(20)).until(() -> breachLetters(summary).size() == 1);
        assertThat(breachLetters(summary).stream().flatMap(Mailbox::recipients).toList()).containsExactly(ours);
    }

    private String subscribe(String email) throws Exception {
        assertThat(api.post("/api/v1/public/subscriptions", null, Json.object("email", email, "list", roles.list()))
                .status()).isEqualTo(202);
        assertThat(form(Mailbox.confirmLink(mailbox.lastTo(email))).status()).isEqualTo(200);
        return email;
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
