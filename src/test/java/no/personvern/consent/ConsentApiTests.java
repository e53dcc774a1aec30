package no.personvern.consent;

import static org.assertj.core.api.Assertions.assertThat;

import no.personvern.catalog.PrivacyNotices;
import no.personvern.testing.Api;
import no.personvern.testing.DatabaseTest;
import no.personvern.testing.Json;
import no.personvern.testing.People;
import no.personvern.testing.Tokens;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/** Consent with proof (Art. 7(1)), withdrawn as easily as given (Art. 7(3)). */
@DatabaseTest
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
class ConsentApiTests {

    @LocalServerPort
    int port;

    @Autowired
    PrivacyNotices notices;

    @Autowired
    JdbcClient jdbc;

    Api api;
    String staff;
    String subject;

    @BeforeEach
    void setUp() {
        api = new Api(port);
        staff = new Tokens(api).issue("crm", "consent:write", "subjects:read", "subjects:write");
        subject = People.in("newsletter", "newsletter").email("samtykke-" + java.util.UUID.randomUUID() + "@example.no")
                .create(api, staff);
    }

    @Test
    void aConsentIsRecordedWithItsNoticeVersionAndCanBeWithdrawnAsEasily() {
        Api.Response given = consent("marketing.communications.email", true);
        assertThat(given.status()).as(given.body()).isEqualTo(201);
        assertThat(given.json().get("noticeVersion").asString()).isEqualTo(notices.currentVersion());

        Api.Response withdrawn = consent("marketing.communications.email", false);
        assertThat(withdrawn.status()).isEqualTo(201);

        JsonNode state = api.get("/api/v1/subjects/" + subject + "/consents", staff).json();
        assertThat(state.get("current").get("marketing.communications.email").asBoolean()).isFalse();
        JsonNode history = state.get("history");
        assertThat(history).as("no activity named: one record per activity of the purpose (newsletter, course"
                + " invitations), given and then withdrawn").hasSize(4);
        assertThat(history.get(0).get("granted").asBoolean()).isTrue();
        assertThat(history.get(0).get("method").asString()).isEqualTo("web-form");
        assertThat(history.get(0).get("source").asString()).isEqualTo("signup page");
        assertThat(history.get(1).get("prevHash").asString()).isEqualTo(history.get(0).get("hash").asString());
        assertThat(history.get(0).get("prevHash").asString()).isEqualTo("0".repeat(64));
    }

    @Test
    void theReceiptFollowsIsoTs27560() {
        String receiptId = consent("marketing.communications.email", true).json().get("receiptId").asString();

        JsonNode receipt = api.get("/api/v1/consents/" + receiptId, staff).json();

        assertThat(receipt.propertyNames()).containsExactly("header", "processing", "parties", "events");
        assertThat(receipt.get("header").get("recordId").asString()).isEqualTo(receiptId);
        assertThat(receipt.get("header").get("piiPrincipalId").asString()).isEqualTo(subject);
        JsonNode processing = receipt.get("processing");
        assertThat(processing.get("noticeVersion").asString()).isEqualTo(notices.currentVersion());
        assertThat(processing.get("purposes").get(0).get("lawfulBasis").asString()).contains("Art. 6(1)(a)");
        assertThat(processing.get("purposes").get(0).get("activities").toString()).contains("newsletter");
        assertThat(processing.get("piiCategories").toString()).contains("user.contact.email");
        assertThat(processing.get("withdrawalMethod").asString()).contains("as easily as given");
        assertThat(receipt.get("parties").get(0).get("type").asString()).isEqualTo("PII controller");
        JsonNode event = receipt.get("events").get(0);
        assertThat(event.get("type").asString()).isEqualTo("given");
        assertThat(event.get("state").asString()).isEqualTo("active");

        consent("marketing.communications.email", false);
        assertThat(api.get("/api/v1/consents/" + receiptId, staff).json().get("events").get(0).get("state").asString())
                .isEqualTo("superseded");
    }

    @Test
    void consentForAPurposeTheCatalogDoesNotBaseOnConsentIsRefused() {
        long before = records();

        Api.Response contract = consent("essential.service", true);
        assertThat(contract.status()).isEqualTo(422);
        assertThat(contract.json().get("errors").get(0).get("field").asString()).isEqualTo("purpose");
        assertThat(consent("selling.everything", true).status()).isEqualTo(422);
        String marketing = "marketing.communications.email";
        assertThat(api.post("/api/v1/subjects/" + subject + "/consents", staff,
                Json.object("purpose", marketing, "method", "web-form")).status()).isEqualTo(422);
        assertThat(api.post("/api/v1/subjects/" + subject + "/consents", staff,
                Json.object("purpose", marketing, "granted", true, "method", "Hand Shake!")).status()).isEqualTo(422);
        assertThat(api.post("/api/v1/subjects/8d3a4a3e-0000-4000-8000-000000000000/consents", staff,
                Json.object("purpose", marketing, "granted", true, "method", "web-form")).status()).isEqualTo(404);
        assertThat(api.get("/api/v1/consents/8d3a4a3e-0000-4000-8000-000000000000", staff).status()).isEqualTo(404);
        Api.Response everything = api.post("/api/v1/subjects/" + subject + "/consents", staff,
                Json.object("purpose", "essential.service", "method", "Hand Shake!", "source", "x".repeat(101)));
        assertThat(everything.errorFields()).as("every invalid field at once")
                .containsExactly("purpose", "granted", "method", "source");
        assertThat(records()).isEqualTo(before);
    }

    @Test
    void aConsentIsGivenToOneActivitysPurposeAndShownPerActivity() {
        String marketing = "marketing.communications.email";
        Api.Response courses = api.post("/api/v1/subjects/" + subject + "/consents", staff, Json.object("purpose",
                marketing, "granted", true, "method", "web-form", "activity", "course-invitations"));
        assertThat(courses.status()).as(courses.body()).isEqualTo(201);
        assertThat(courses.json().get("activity").asString()).isEqualTo("course-invitations");
        api.post("/api/v1/subjects/" + subject + "/consents", staff, Json.object("purpose", marketing, "granted", true,
                "method", "web-form", "activity", "newsletter"));
        api.post("/api/v1/subjects/" + subject + "/consents", staff, Json.object("purpose", marketing, "granted", false,
                "method", "web-form", "activity", "newsletter"));

        JsonNode state = api.get("/api/v1/subjects/" + subject + "/consents", staff).json();
        assertThat(state.get("byActivity").get("newsletter").get(marketing).asBoolean()).isFalse();
        assertThat(state.get("byActivity").get("course-invitations").get(marketing).asBoolean())
                .as("withdrawing the newsletter leaves the course invitations' consent").isTrue();
        assertThat(state.get("current").get(marketing).asBoolean()).as("in force for one activity").isTrue();
        assertThat(state.get("history")).hasSize(3);

        JsonNode receipt = api.get("/api/v1/consents/" + courses.json().get("receiptId").asString(), staff).json();
        JsonNode purpose = receipt.get("processing").get("purposes").get(0);
        assertThat(purpose.get("activities").toString()).isEqualTo("[\"course-invitations\"]");
        assertThat(purpose.get("activityNames").get(0).asString()).isEqualTo("Course invitations");
        assertThat(receipt.get("events").get(0).get("state").asString())
                .as("the newsletter's withdrawal does not supersede it").isEqualTo("active");
    }

    @Test
    void aConsentToAnActivityThatDoesNotBaseThePurposeOnConsentIsRefusedAndNothingIsStored() {
        long before = records();
        for (String activity : new String[] {"website-statistics", "service-delivery", "no-such-activity"}) {
            Api.Response refused = api.post("/api/v1/subjects/" + subject + "/consents", staff, Json.object("purpose",
                    "marketing.communications.email", "granted", true, "method", "web-form", "activity", activity));
            assertThat(refused.status()).isEqualTo(422);
            assertThat(refused.errorFields()).containsExactly("activity");
            assertThat(refused.json().get("errors").get(0).get("message").asString()).contains("newsletter",
                    "course-invitations");
        }
        assertThat(records()).isEqualTo(before);
    }

    @Test
    void givingAndWithdrawingAreAudited() {
        consent("analytics.reporting", true);
        consent("analytics.reporting", false);

        JsonNode entries = api.get("/api/v1/audit?subjectId=" + subject, Api.ADMIN_TOKEN).json().get("items");
        assertThat(entries).extracting(entry -> entry.get("action").asString())
                .contains("consent.given", "consent.withdrawn");
    }

    private Api.Response consent(String purpose, boolean granted) {
        return api.post("/api/v1/subjects/" + subject + "/consents", staff, """
                {"purpose":"%s","granted":%s,"method":"web-form","source":"signup page"}""".formatted(purpose, granted));
    }

    private long records() {
        return jdbc.sql("SELECT COUNT(*) FROM consent_record").query(Long.class).single();
    }
}
