package no.personvern.consent;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.GreenMailUtil;
import jakarta.mail.internet.MimeMessage;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import no.personvern.testing.Api;
import no.personvern.testing.DatabaseTest;
import no.personvern.testing.Json;
import no.personvern.testing.Smtp;
import no.personvern.testing.Tokens;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/** Double opt-in by real SMTP (GreenMail), one-click unsubscribe (RFC 8058), the recipients list. */
@DatabaseTest
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
        properties = {"personvern.mail.from=post@example.no", "personvern.mail.poll-interval=PT0.1S",
                "personvern.subscriptions.per-client-per-hour=1000",
                "personvern.mail.retry.initial-delay=PT0S", "personvern.mail.max-attempts=100000"})
class SubscriptionApiTests {

    @RegisterExtension
    static final GreenMailExtension MAIL = Smtp.server();

    @DynamicPropertySource
    static void mail(DynamicPropertyRegistry registry) {
        Smtp.properties(registry);
    }

    private static final Pattern CONFIRM = Pattern.compile("/subscriptions/confirm/([A-Za-z0-9_-]+)");

    @LocalServerPort
    int port;

    @org.springframework.beans.factory.annotation.Autowired
    org.springframework.jdbc.core.simple.JdbcClient jdbc;

    Api api;
    String tool;

    @BeforeEach
    void setUp() {
        api = new Api(port);
        tool = new Tokens(api).issue("newsletter tool", "subjects:read");
    }

    @Test
    void aSubscriptionExistsOnlyOnceConfirmedThroughTheMailedLink() throws Exception {
        Api.Response signUp = signUp("  Kari.Abonnent@Example.no ", "newsletter");
        assertThat(signUp.status()).isEqualTo(202);
        assertThat(recipientEmails("newsletter")).doesNotContain("kari.abonnent@example.no");

        Smtp.awaitOutboxSent(jdbc);
        MimeMessage mail = MAIL.getReceivedMessages()[0];
        assertThat(mail.getAllRecipients()[0].toString()).isEqualTo("kari.abonnent@example.no");
        assertThat(mail.getSubject()).contains("Bekreft");
        String token = token(GreenMailUtil.getBody(mail));

        Api.Response page = api.get("/subscriptions/confirm/" + token, null, Map.of("Accept", "text/html"));
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.body()).contains("<form", "method=\"post\"", "Bekreft");
        assertThat(recipientEmails("newsletter")).as("a GET changes nothing").doesNotContain("kari.abonnent@example.no");

        Api.Response confirmed = form("/subscriptions/confirm/" + token);
        assertThat(confirmed.status()).isEqualTo(200);
        assertThat(confirmed.body()).contains("du er påmeldt");
        assertThat(recipientEmails("newsletter")).contains("kari.abonnent@example.no");

        assertThat(form("/subscriptions/confirm/" + token).status()).as("replayed").isEqualTo(410);
        assertThat(form("/subscriptions/confirm/forged-token-that-was-never-sent").status()).isEqualTo(410);
    }

    @Test
    void everyRecipientCarriesOneClickUnsubscribeAndThePostStopsTheMailAtOnce() throws Exception {
        confirmedSubscriber("ola.nyhetsbrev@example.no", "newsletter");

        JsonNode recipient = recipient("newsletter", "ola.nyhetsbrev@example.no");
        String url = recipient.get("unsubscribeUrl").asString();
        assertThat(recipient.get("listUnsubscribe").asString()).isEqualTo("<" + url + ">");
        assertThat(recipient.get("listUnsubscribePost").asString()).isEqualTo("List-Unsubscribe=One-Click");
        String path = url.substring(url.indexOf("/u/"));

        Api.Response page = api.get(path, null, Map.of("Accept", "text/html"));
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.body()).contains("<button", "Meld meg av");
        assertThat(recipient("newsletter", "ola.nyhetsbrev@example.no")).as("a GET changes nothing").isNotNull();

        Api.Response oneClick = api.send("POST", path, null, Map.of("Content-Type", "application/x-www-form-urlencoded"),
                "List-Unsubscribe=One-Click");
        assertThat(oneClick.status()).isEqualTo(200);
        assertThat(recipient("newsletter", "ola.nyhetsbrev@example.no")).isNull();
        assertThat(api.send("POST", path, null, Map.of(), null).status()).as("replayed").isEqualTo(410);

        String forged = path.substring(0, path.length() - 3) + "AAA";
        assertThat(api.send("POST", forged, null, Map.of(), null).status()).isEqualTo(404);
        assertThat(api.get("/u/not-a-token", null, Map.of("Accept", "text/html")).status()).isEqualTo(404);
    }

    @Test
    void unsubscribingRecordsTheWithdrawalAndEndsTheSubscription() throws Exception {
        String subject = confirmedSubscriber("per.kurs@example.no", "courses");
        String path = recipient("courses", "per.kurs@example.no").get("unsubscribeUrl").asString().replaceAll(".*(/u/)", "/u/");

        form(path);

        JsonNode consents = api.get("/api/v1/subjects/" + subject + "/consents", Api.ADMIN_TOKEN).json();
        assertThat(consents.get("current").get("marketing.communications.email").asBoolean()).isFalse();
        JsonNode audit = api.get("/api/v1/audit?subjectId=" + subject, Api.ADMIN_TOKEN).json().get("items");
        assertThat(audit.toString()).contains("subscription.ended", "consent.withdrawn");
    }

    @Test
    void aWithdrawalDropsTheSignUpStillWaitingForConfirmationSoItsLinkCannotSubscribeAgain() throws Exception {
        String email = "venter-" + java.util.UUID.randomUUID().toString().substring(0, 8) + "@example.no";
        String subject = confirmedSubscriber(email, "newsletter");
        signUp(email, "courses");
        Smtp.awaitOutboxSent(jdbc);
        MimeMessage invitation = java.util.Arrays.stream(MAIL.getReceivedMessages())
                .filter(received -> to(received).equals(email)).reduce((first, second) -> second).orElseThrow();
        String link = "/subscriptions/confirm/" + token(GreenMailUtil.getBody(invitation));

        Api.Response withdrawn = api.post("/api/v1/subjects/" + subject + "/consents", Api.ADMIN_TOKEN,
                Json.object("purpose", "marketing.communications.email", "granted", false, "method", "objection"));
        assertThat(withdrawn.status()).as(withdrawn.body()).isEqualTo(201);

        assertThat(form(link).status()).as("the link mailed before the withdrawal").isEqualTo(410);
        assertThat(recipient("courses", email)).isNull();
        assertThat(recipient("newsletter", email)).isNull();
    }

    @Test
    void leavingOneListWithdrawsOnlyThatListsConsent() throws Exception {
        String email = "begge-" + java.util.UUID.randomUUID().toString().substring(0, 8) + "@example.no";
        String subject = confirmedSubscriber(email, "newsletter");
        assertThat(confirmedSubscriber(email, "courses")).isEqualTo(subject);
        String path = recipient("newsletter", email).get("unsubscribeUrl").asString().replaceAll(".*(/u/)", "/u/");

        assertThat(form(path).status()).isEqualTo(200);

        assertThat(recipient("newsletter", email)).isNull();
        assertThat(recipient("courses", email)).as("the other list goes on").isNotNull();
        JsonNode consents = api.get("/api/v1/subjects/" + subject + "/consents", Api.ADMIN_TOKEN).json();
        JsonNode byActivity = consents.get("byActivity");
        assertThat(byActivity.get("newsletter").get("marketing.communications.email").asBoolean()).isFalse();
        assertThat(byActivity.get("course-invitations").get("marketing.communications.email").asBoolean()).isTrue();
        JsonNode history = consents.get("history");
        JsonNode withdrawal = history.get(history.size() - 1);
        assertThat(withdrawal.get("activity").asString()).isEqualTo("newsletter");
        assertThat(withdrawal.get("granted").asBoolean()).isFalse();
        JsonNode receipt = api.get("/api/v1/consents/" + withdrawal.get("receiptId").asString(), Api.ADMIN_TOKEN).json();
        assertThat(receipt.get("processing").get("purposes").get(0).get("activityNames").toString())
                .isEqualTo("[\"Newsletter\"]");
    }

    @Test
    void aConfirmationMailIsSignedByTheController() throws Exception {
        String email = "signert-" + java.util.UUID.randomUUID().toString().substring(0, 8) + "@example.no";
        signUp(email, "newsletter");
        Smtp.awaitOutboxSent(jdbc);
        String body = java.util.Arrays.stream(MAIL.getReceivedMessages()).filter(mail -> to(mail).equals(email))
                .map(GreenMailUtil::getBody).findFirst().orElseThrow();
        assertThat(body.replace("=\r\n", "").replace("=\n", "")).contains("PowerOffice AS");
    }

    @Test
    void withdrawingTheConsentElsewhereAlsoStopsTheMail() throws Exception {
        String subject = confirmedSubscriber("withdraw@example.no", "newsletter");
        api.post("/api/v1/subjects/" + subject + "/consents", Api.ADMIN_TOKEN,
                "{\"purpose\":\"marketing.communications.email\",\"granted\":false,\"method\":\"customer-center\"}");

        assertThat(recipient("newsletter", "withdraw@example.no")).isNull();
    }

    @Test
    void badSignUpsAreProblems() throws Exception {
        long queued = jdbc.sql("SELECT COUNT(*) FROM mail_outbox").query(Long.class).single();
        assertThat(signUp("not-an-email", "newsletter").status()).isEqualTo(422);
        assertThat(signUp("a@example.no", "sales-spam").status()).isEqualTo(422);
        assertThat(api.post("/api/v1/public/subscriptions", null, Json.object("list", "newsletter")).status())
                .isEqualTo(422);
        assertThat(signUp("(1)a@example.no", "sales-spam").errorFields()).as("every invalid field at once")
                .containsExactly("list", "email");
        assertThat(api.get("/api/v1/subscriptions/unknown/recipients", tool).status()).isEqualTo(422);
        assertThat(api.get("/api/v1/subscriptions/newsletter/recipients?limit=100000", tool).status()).isEqualTo(422);
        assertThat(jdbc.sql("SELECT COUNT(*) FROM mail_outbox").query(Long.class).single()).as("nothing queued")
                .isEqualTo(queued);
        Smtp.awaitOutboxSent(jdbc);
        for (MimeMessage mail : MAIL.getReceivedMessages()) {
            assertThat(mail.getAllRecipients()[0].toString()).isNotIn("a@example.no", "not-an-email");
        }
    }

    @Test
    void aFloodOfSignUpsForOneAddressMailsOnlyAFewAndIsAnsweredAsAlways() throws Exception {
        String email = "flom-" + java.util.UUID.randomUUID().toString().substring(0, 8) + "@example.no";
        Smtp.awaitOutboxSent(jdbc);
        MAIL.reset();
        for (int i = 0; i < 6; i++) {
            Api.Response flooded = signUp(email, "newsletter");
            assertThat(flooded.status()).isEqualTo(202);
            assertThat(flooded.body()).isEqualTo("{\"status\":\"pending\"}");
        }
        Smtp.awaitOutboxSent(jdbc);
        assertThat(java.util.Arrays.stream(MAIL.getReceivedMessages()).filter(mail -> to(mail).equals(email)))
                .as("three mails an hour prompted by one client").hasSize(3);
    }

    @Test
    void signUpsPastTheMailLimitDoNotVoidTheLinkThePersonWasSent() throws Exception {
        String email = "lenke-" + java.util.UUID.randomUUID().toString().substring(0, 8) + "@example.no";
        for (int i = 0; i < 3; i++) {
            signUp(email, "newsletter");
        }
        Smtp.awaitOutboxSent(jdbc);
        String mailed = null;
        for (MimeMessage mail : MAIL.getReceivedMessages()) {
            if (to(mail).equals(email)) {
                mailed = token(GreenMailUtil.getBody(mail));
            }
        }
        // A stranger goes on signing the address up: no more mail, and no link nobody was sent.
        for (int i = 0; i < 3; i++) {
            assertThat(signUp(email, "newsletter").status()).isEqualTo(202);
        }
        assertThat(form("/subscriptions/confirm/" + mailed).status()).as("the last link the person got still works")
                .isEqualTo(200);
        assertThat(recipientEmails("newsletter")).contains(email);
    }

    @Test
    void aSubscriberAndAStrangerAreAnsweredAlikeAndEachGetsOneMail() throws Exception {
        String subscriber = "abonnent-" + java.util.UUID.randomUUID().toString().substring(0, 8) + "@example.no";
        String stranger = "ukjent-" + java.util.UUID.randomUUID().toString().substring(0, 8) + "@example.no";
        confirmedSubscriber(subscriber, "newsletter");
        MAIL.reset();
        Api.Response known = signUp(subscriber, "newsletter");
        Api.Response unknown = signUp(stranger, "newsletter");
        assertThat(known.status()).isEqualTo(unknown.status()).isEqualTo(202);
        assertThat(known.body()).isEqualTo(unknown.body());
        Smtp.awaitOutboxSent(jdbc);
        assertThat(java.util.Arrays.stream(MAIL.getReceivedMessages()).map(SubscriptionApiTests::to))
                .containsExactlyInAnyOrder(subscriber, stranger);
        assertThat(recipient("newsletter", subscriber)).as("still subscribed, nothing changed").isNotNull();
    }

    private static String to(MimeMessage mail) {
        try {
            return mail.getAllRecipients()[0].toString();
        } catch (jakarta.mail.MessagingException e) {
            throw new IllegalStateException(e);
        }
    }

    private String confirmedSubscriber(String email, String list) throws Exception {
        signUp(email, list);
        Smtp.awaitOutboxSent(jdbc);
        // The last mail to this address: another test's letters may arrive in between.
        MimeMessage mail = java.util.Arrays.stream(MAIL.getReceivedMessages())
                .filter(received -> to(received).equals(email)).reduce((first, second) -> second).orElseThrow();
        assertThat(form("/subscriptions/confirm/" + token(GreenMailUtil.getBody(mail))).status()).isEqualTo(200);
        return recipient(list, email).get("subjectId").asString();
    }

    private Api.Response signUp(String email, String list) {
        return api.post("/api/v1/public/subscriptions", null, Json.object("email", email, "list", list));
    }

    private Api.Response form(String path) {
        return api.send("POST", path, null, Map.of("Content-Type", "application/x-www-form-urlencoded",
                "Accept", "text/html"), "");
    }

    private java.util.List<String> recipientEmails(String list) {
        return api.get("/api/v1/subscriptions/" + list + "/recipients", tool).json().get("items").valueStream()
                .map(item -> item.get("email").asString()).toList();
    }

    private JsonNode recipient(String list, String email) {
        for (JsonNode item : api.get("/api/v1/subscriptions/" + list + "/recipients?limit=500", tool).json().get("items")) {
            if (item.get("email").asString().equals(email)) {
                return item;
            }
        }
        return null;
    }

    private static String token(String body) {
        Matcher matcher = CONFIRM.matcher(body.replace("=\r\n", "").replace("=\n", ""));
        assertThat(matcher.find()).as(body).isTrue();
        return matcher.group(1);
    }
}
