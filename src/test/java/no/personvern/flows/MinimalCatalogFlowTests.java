package no.personvern.flows;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import java.time.Duration;
import java.time.LocalDate;
import java.util.Map;
import java.util.UUID;
import no.personvern.testing.Api;
import no.personvern.testing.DatabaseTest;
import no.personvern.testing.Json;
import no.personvern.testing.Mailbox;
import no.personvern.testing.Multipart;
import no.personvern.testing.People;
import no.personvern.testing.Requests;
import no.personvern.testing.Smtp;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * The smallest catalog SPEC section 2 allows ({@code catalogs/minimal.yaml}: the controller
 * block, one system, one activity on contract; no DPO, no taxonomy, processors, retention
 * exceptions, consent or cookies). Every public page, the banner and pixel, a subject write and a
 * public request must work on it, and the banner must grant nothing the catalog does not declare.
 */
@DatabaseTest
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
        properties = {"personvern.retention.cron=-", "personvern.mail.from=post@example.no",
                "personvern.catalog=classpath:catalogs/minimal.yaml"})
class MinimalCatalogFlowTests {

    @RegisterExtension
    static final GreenMailExtension MAIL = Smtp.server();

    @DynamicPropertySource
    static void mail(DynamicPropertyRegistry registry) {
        Smtp.properties(registry);
    }

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    Api api;
    Mailbox mailbox;
    Requests requests;

    @BeforeEach
    void setUp() {
        api = new Api(port);
        mailbox = Mailbox.of(MAIL);
        requests = new Requests(api, mailbox);
    }

    @Test
    void theNoticeAndTheRecordAreGeneratedWithoutAnyOptionalSection() {
        for (String lang : new String[] {"nb", "en"}) {
            Api.Response page = api.get("/privacy?lang=" + lang, null);
            assertThat(page.status()).as(lang + ": " + page.body()).isEqualTo(200);
            assertThat(page.body()).contains("Liten Verksted AS", "post@liten.example");
            Api.Response notice = api.get("/api/v1/public/notice?lang=" + lang, null);
            assertThat(notice.status()).as(notice.body()).isEqualTo(200);
            assertThat(notice.json().get("sections").toString()).contains(lang.equals("nb") ? "Reparasjoner" : "Repairs");
        }
        Api.Response ropa = api.get("/api/v1/ropa", Api.ADMIN_TOKEN);
        assertThat(ropa.status()).as(ropa.body()).isEqualTo(200);
        assertThat(ropa.json().get("activities").toString()).contains("repairs", "personvern-data-subject-requests");
        Api.Response csv = api.get("/api/v1/ropa", Api.ADMIN_TOKEN, Map.of("Accept", "text/csv"));
        assertThat(csv.status()).as(csv.body()).isEqualTo(200);
        assertThat(api.get("/api/v1/catalog", Api.ADMIN_TOKEN).status()).isEqualTo(200);
        assertThat(api.get("/api/v1/processors", Api.ADMIN_TOKEN).status()).isEqualTo(200);
    }

    @Test
    void theBannerOffersNothingAndAChoiceOfEverythingGrantsNothingTheCatalogDoesNotDeclare() {
        jdbc.sql("DELETE FROM page_hit").update();
        Api.Response chosen = api.send("POST", "/api/v1/public/cookie-consent", null,
                Map.of("Content-Type", "application/json"),
                Json.object("choices", Json.fields("statistics", true, "marketing", true)));
        assertThat(chosen.status()).as(chosen.body()).isEqualTo(201);
        assertThat(chosen.json().get("statistics").asBoolean()).as("no statistics activity").isFalse();
        assertThat(chosen.json().get("marketing").asBoolean()).as("no marketing activity").isFalse();
        String cookie = chosen.raw().headers().allValues("Set-Cookie").stream()
                .filter(c -> c.startsWith("pv_consent=")).findFirst().orElseThrow().split(";")[0];
        assertThat(cookie).as("the signed choice grants neither").startsWith("pv_consent=v1.0.0.");
        String visitor = cookie.split("\\.")[4];
        assertThat(jdbc.sql("SELECT COUNT(*) FROM consent_record WHERE visitor_id = :v AND granted")
                .param("v", visitor).query(Long.class).single()).isZero();

        Api.Response view = api.get("/t.gif?e=pageview&p=/", null, Map.of("Cookie", cookie));
        Api.Response campaign = api.get("/t.gif?e=campaign&c=vinter&p=/", null, Map.of("Cookie", cookie));
        assertThat(view.status()).isEqualTo(200);
        assertThat(campaign.status()).isEqualTo(200);
        assertThat(view.raw().headers().allValues("Set-Cookie")).as("no visit cookie").isEmpty();
        String day = LocalDate.now().toString();
        assertThat(api.get("/api/v1/stats/pageviews?from=" + day + "&to=" + day, Api.ADMIN_TOKEN).json()
                .get("total").asLong()).as("nothing is counted").isZero();
        assertThat(api.get("/api/v1/stats/campaigns?from=" + day + "&to=" + day, Api.ADMIN_TOKEN).json()
                .get("campaigns")).isEmpty();

        Api.Response script = api.get("/consent.js", null);
        assertThat(script.status()).isEqualTo(200);
        assertThat(script.body()).as("the script offers only what the catalog declares")
                .contains("const OFFERED = {\"statistics\":false,\"marketing\":false};");
    }

    @Test
    void aPersonIsWrittenAndTheirPublicAccessRequestIsAnsweredWithAPackage() throws Exception {
        String email = "kunde-" + UUID.randomUUID().toString().substring(0, 8) + "@example.no";
        Api.Response written = People.in("workshop", "repairs").email(email).data("user.name", "Mia Minst")
                .write(api, Api.ADMIN_TOKEN);
        assertThat(written.status()).as(written.body()).isEqualTo(201);

        Api.Response submitted = requests.file("access", email);
        assertThat(submitted.status()).as(submitted.body()).isEqualTo(202);
        String id = submitted.json().get("id").asString();
        Api.Response verified = requests.verify(id, requests.mailedCode(email));
        assertThat(verified.status()).as(verified.body()).isEqualTo(200);

        await().atMost(Duration.ofSeconds(20)).until(() -> api.get("/api/v1/requests/" + id, Api.ADMIN_TOKEN).json()
                .get("status").asString().equals("completed"));
        JsonNode request = api.get("/api/v1/requests/" + id, Api.ADMIN_TOKEN).json();
        assertThat(request.get("systems")).as("no connected system to wait for").isEmpty();
        await().atMost(Duration.ofSeconds(20))
                .until(() -> Mailbox.text(mailbox.lastTo(email)).contains("/package?token="));
        assertThat(api.getBytes(Mailbox.packageLink(mailbox.lastTo(email)), null).statusCode()).isEqualTo(200);
    }

    @Test
    void anErasureCompletesAndWhatTheCatalogDoesNotHaveIsAProblemNamingTheFieldNeverA500() throws Exception {
        String email = "slett-" + UUID.randomUUID().toString().substring(0, 8) + "@example.no";
        String subject = People.in("workshop", "repairs").email(email).data("user.name", "Ola")
                .create(api, Api.ADMIN_TOKEN);

        Api.Response upload = api.postMultipart("/api/v1/subjects/" + subject + "/documents", Api.ADMIN_TOKEN,
                new Multipart().field("kind", "voucher").field("system", "workshop")
                        .file("file", "x.pdf", "application/pdf", new byte[] {1}));
        assertThat(upload.status()).as("no activity takes documents: " + upload.body()).isEqualTo(422);
        Api.Response consent = api.post("/api/v1/subjects/" + subject + "/consents", Api.ADMIN_TOKEN,
                Json.object("purpose", "essential.service", "granted", true, "method", "web-form"));
        assertThat(consent.status()).as(consent.body()).isEqualTo(422);
        assertThat(consent.errorFields()).contains("purpose");
        Api.Response signUp = api.post("/api/v1/public/subscriptions", null,
                Json.object("email", email, "list", "newsletter"));
        assertThat(signUp.status()).as(signUp.body()).isEqualTo(422);

        Api.Response submitted = requests.file("erasure", email);
        assertThat(submitted.status()).as(submitted.body()).isEqualTo(202);
        String id = submitted.json().get("id").asString();
        assertThat(requests.verify(id, requests.mailedCode(email)).status()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(20)).until(() -> api.get("/api/v1/requests/" + id, Api.ADMIN_TOKEN).json()
                .get("status").asString().equals("completed"));
        assertThat(api.get("/api/v1/subjects/" + subject, Api.ADMIN_TOKEN).status()).isEqualTo(410);
    }
}
