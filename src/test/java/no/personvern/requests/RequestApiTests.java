package no.personvern.requests;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import jakarta.mail.internet.MimeMessage;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import no.personvern.testing.Api;
import no.personvern.testing.DatabaseTest;
import no.personvern.testing.Smtp;
import no.personvern.testing.MutableClock;
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
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/** Intake, verification and the deadlines of Art. 12, through HTTP with real SMTP (GreenMail). */
@DatabaseTest
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
        properties = {"personvern.requests.per-client-per-hour=1000", "personvern.mail.poll-interval=PT0.1S",
                "personvern.trusted-proxies=127.0.0.1/32,::1/128",
                "personvern.mail.retry.initial-delay=PT0S", "personvern.mail.max-attempts=100000"})
class RequestApiTests {

    @RegisterExtension
    static final GreenMailExtension MAIL = Smtp.server();

    @DynamicPropertySource
    static void mail(DynamicPropertyRegistry registry) {
        Smtp.properties(registry);
    }

    private static final Pattern CODE = Pattern.compile("\\b(\\d{6})\\b");

    @TestConfiguration
    static class Time {
        @Bean
        @Primary
        MutableClock testClock() {
            return new MutableClock(Instant.parse("2026-01-15T10:00:00Z"));
        }
    }

    @LocalServerPort
    int port;

    @Autowired
    MutableClock clock;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    RequestDesk desk;

    @Autowired
    no.personvern.subjects.Vault vault;

    Api api;
    String agent;

    @BeforeEach
    void setUp() {
        api = new Api(port);
        agent = api.post("/api/v1/tokens", Api.ADMIN_TOKEN, "{\"name\":\"kundesenter\",\"scopes\":[\"requests:manage\"]}")
                .json().get("token").asString();
    }

    @Test
    void aPublicRequestIsVerifiedByAMailedCodeAndIsDueInOneMonth() throws Exception {
        String email = unique("innsyn");
        Api.Response accepted = submit("rectification", email);
        assertThat(accepted.status()).isEqualTo(202);
        assertThat(accepted.json().get("status").asString()).isEqualTo("unverified");
        String id = accepted.json().get("id").asString();
        String code = code(lastMailTo(email));

        Api.Response wrong = verify(id, code.equals("000000") ? "000001" : "000000");
        assertThat(wrong.status()).isEqualTo(422);
        assertThat(wrong.json().get("detail").asString()).contains("4 tries left");

        Api.Response verified = verify(id, code);
        assertThat(verified.status()).isEqualTo(200);
        assertThat(verified.json().get("status").asString()).isEqualTo("open");
        Instant due = Instant.parse(verified.json().get("dueAt").asString());
        assertThat(due).isEqualTo(clock.instant().atZone(ZoneId.of("Europe/Oslo")).plusMonths(1).toInstant());
        assertThat(text(lastMailTo(email))).contains("mottatt", "retting");

        JsonNode request = api.get("/api/v1/requests/" + id, agent).json();
        assertThat(request.get("type").asString()).isEqualTo("rectification");
        assertThat(request.get("status").asString()).isEqualTo("open");
        assertThat(request.get("channel").asString()).isEqualTo("public");
        assertThat(request.get("systems")).isEmpty();
        assertThat(verify(id, code).status()).as("a used code").isEqualTo(409);
    }

    @Test
    void mailsAreInEnglishWhenAskedFor() throws Exception {
        String email = unique("english");
        String id = api.post("/api/v1/public/requests", null, "{\"type\":\"rectification\",\"email\":\"" + email
                + "\",\"lang\":\"en\"}").json().get("id").asString();
        MimeMessage codeMail = lastMailTo(email);
        assertThat(codeMail.getSubject()).startsWith("Your code");
        verify(id, code(codeMail));
        assertThat(lastMailTo(email).getSubject()).isEqualTo("We have received your request");
        assertThat(text(lastMailTo(email))).contains("GDPR Art. 12(3)");
        api.post("/api/v1/requests/" + id + "/reject", agent, "{\"reason\":\"Not enough to identify you.\"}");
        assertThat(text(lastMailTo(email))).contains("complain to Datatilsynet", "go to court");
    }

    @Test
    void knownAndUnknownAddressesGetTheSameAnswer() {
        String known = unique("kjent");
        api.post("/api/v1/requests", agent, staffRequest("access", known));
        Api.Response forKnown = submit("erasure", known);
        Api.Response forUnknown = submit("erasure", unique("ukjent"));

        assertThat(forKnown.status()).isEqualTo(forUnknown.status()).isEqualTo(202);
        assertThat(forKnown.json().propertyNames()).isEqualTo(forUnknown.json().propertyNames());
        assertThat(forKnown.json().get("status").asString()).isEqualTo(forUnknown.json().get("status").asString());
    }

    @Test
    void fiveWrongCodesLockTheRequest() throws Exception {
        String email = unique("lås");
        String id = submit("erasure", email).json().get("id").asString();
        String code = code(lastMailTo(email));
        String wrong = code.equals("123456") ? "654321" : "123456";
        for (int i = 1; i <= 4; i++) {
            assertThat(verify(id, wrong).status()).isEqualTo(422);
        }
        assertThat(verify(id, wrong).status()).isEqualTo(423);
        assertThat(verify(id, code).status()).as("even the right code").isEqualTo(423);
        assertThat(api.get("/api/v1/requests/" + id, agent).json().get("status").asString()).isEqualTo("locked");
    }

    @Test
    void anUnverifiedRequestExpiresAfterSevenDays() {
        String id = submit("access", unique("glemt")).json().get("id").asString();
        clock.advance(Duration.ofDays(6));
        desk.expireUnverified();
        assertThat(api.get("/api/v1/requests/" + id, agent).json().get("status").asString()).isEqualTo("unverified");

        clock.advance(Duration.ofDays(2));
        desk.expireUnverified();
        assertThat(api.get("/api/v1/requests/" + id, agent).json().get("status").asString()).isEqualTo("expired");
    }

    @Test
    void aCodeIsValidForThirtyMinutes() throws Exception {
        String email = unique("sent");
        String id = submit("access", email).json().get("id").asString();
        String code = code(lastMailTo(email));
        clock.advance(Duration.ofMinutes(31));

        assertThat(verify(id, code).status()).isEqualTo(410);
    }

    @Test
    void anAgentsRequestIsOpenAtOnceAndADuplicateIsLinkedNotDoubled() throws Exception {
        String email = unique("dobbel");
        Api.Response first = api.post("/api/v1/requests", agent, staffRequest("rectification", email));
        assertThat(first.status()).isEqualTo(201);
        assertThat(first.json().get("status").asString()).isEqualTo("open");
        assertThat(first.json().get("channel").asString()).isEqualTo("customer-center");
        String id = first.json().get("id").asString();

        assertThat(api.post("/api/v1/requests", agent, staffRequest("rectification", email)).json().get("id").asString())
                .isEqualTo(id);
        String publicId = submit("rectification", email).json().get("id").asString();
        Api.Response verified = verify(publicId, code(lastMailTo(email)));
        assertThat(verified.status()).isEqualTo(200);
        assertThat(api.get("/api/v1/requests/" + publicId, agent).json().get("linkedTo").asString()).isEqualTo(id);
        assertThat(api.get("/api/v1/requests/" + publicId, agent).json().get("status").asString()).isEqualTo("linked");
        assertThat(api.post("/api/v1/requests", agent, staffRequest("access", email)).json().get("id").asString())
                .as("another type is another request").isNotEqualTo(id);
    }

    @Test
    void theDeadlineIsExtendedOnceBeforeTheFirstMonthEndsAndThePersonIsToldWhy() throws Exception {
        String email = unique("frist");
        JsonNode request = api.post("/api/v1/requests", agent, staffRequest("rectification", email)).json();
        String id = request.get("id").asString();
        Instant due = Instant.parse(request.get("dueAt").asString());

        Api.Response extended = api.post("/api/v1/requests/" + id + "/extend", agent,
                "{\"reason\":\"Opplysningene ligger i tre systemer som må gjennomgås.\"}");
        assertThat(extended.status()).isEqualTo(200);
        assertThat(Instant.parse(extended.json().get("extendedUntil").asString()))
                .isEqualTo(due.atZone(ZoneId.of("Europe/Oslo")).plusMonths(2).toInstant());
        assertThat(text(lastMailTo(email))).contains("tre systemer", "art. 12 nr. 3");
        assertThat(api.post("/api/v1/requests/" + id + "/extend", agent, "{\"reason\":\"igjen\"}").status()).isEqualTo(409);

        String late = api.post("/api/v1/requests", agent, staffRequest("rectification", unique("sen"))).json().get("id")
                .asString();
        clock.advance(Duration.ofDays(32));
        assertThat(api.post("/api/v1/requests/" + late + "/extend", agent, "{\"reason\":\"for sent\"}").status())
                .isEqualTo(409);
        assertThat(api.get("/api/v1/requests?status=open&dueBefore=" + clock.instant(), agent).json().get("items")
                .toString()).contains(late).doesNotContain(id);
    }

    @Test
    void aRejectionGivesReasonsAndTheRightToComplainToDatatilsynet() throws Exception {
        String email = unique("avslag");
        String id = api.post("/api/v1/requests", agent, staffRequest("rectification", email)).json().get("id").asString();

        Api.Response rejected = api.post("/api/v1/requests/" + id + "/reject", agent,
                "{\"reason\":\"Forespørselen gjelder en annen person.\"}");

        assertThat(rejected.status()).isEqualTo(200);
        assertThat(rejected.json().get("status").asString()).isEqualTo("rejected");
        assertThat(rejected.json().get("outcome").asString()).contains("annen person");
        assertThat(text(lastMailTo(email))).contains("annen person", "Datatilsynet", "domstolene");
        assertThat(api.post("/api/v1/requests/" + id + "/reject", agent, "{\"reason\":\"igjen\"}").status()).isEqualTo(409);
    }

    @Test
    void transitionsAreAuditedWithoutTheAddress() {
        String email = unique("revisjon");
        JsonNode request = api.post("/api/v1/requests", agent, staffRequest("rectification", email)).json();
        api.post("/api/v1/requests/" + request.get("id").asString() + "/reject", agent, "{\"reason\":\"x\"}");

        String trail = jdbc.sql("SELECT * FROM audit_entry").query().listOfRows().toString()
                + api.get("/api/v1/audit?limit=1000", Api.ADMIN_TOKEN).body();
        assertThat(trail).contains("request.open", "request.rejected").doesNotContain(email);
    }

    @Test
    void anAccessRequestIsAnsweredWithAnEncryptedPackageBehindAMailedLink() throws Exception {
        String email = unique("pakke");
        String writer = api.post("/api/v1/tokens", Api.ADMIN_TOKEN, "{\"name\":\"go\",\"scopes\":[\"subjects:write\"]}")
                .json().get("token").asString();
        String subject = api.post("/api/v1/subjects", writer, "{\"system\":\"go\",\"activity\":\"service-delivery\","
                + "\"identities\":{\"email\":\"" + email + "\"},\"data\":{\"user.name\":\"Pia Pakkesen\","
                + "\"user.contact.address\":\"Gata 1\"}}").json().get("id").asString();
        assertThat(api.post("/api/v1/disclosures", Api.ADMIN_TOKEN, "{\"recipient\":\"domstolene\",\"subjectId\":\""
                + subject + "\",\"dataCategories\":[\"user.contact.address\"],\"basis\":\"court-order\","
                + "\"reference\":\"26-012345TVI-OTIR\"}").status()).isEqualTo(201);

        Api.Response completed = api.post("/api/v1/requests", agent, staffRequest("access", email));

        assertThat(completed.json().get("status").asString()).isEqualTo("completed");
        Matcher link = Pattern.compile("(/api/v1/public/requests/[0-9a-f-]+/package\\?token=[A-Za-z0-9_-]+)")
                .matcher(text(lastMailTo(email)));
        assertThat(link.find()).isTrue();
        java.net.http.HttpResponse<byte[]> zip = api.getBytes(link.group(1), null);
        assertThat(zip.statusCode()).isEqualTo(200);
        Map<String, String> entries = unzip(zip.body());
        assertThat(entries.keySet()).containsExactlyInAnyOrder("data.json", "report.html");
        assertThat(entries.get("data.json")).contains("Pia Pakkesen", "\"system\" : \"go\"", "service-delivery",
                "\"consents\"", "\"requests\"", "\"disclosures\"", "Domstolene", "26-012345TVI-OTIR");
        assertThat(entries.get("report.html")).contains("bokstav a", "bokstav b", "bokstav c", "bokstav d", "bokstav e",
                "bokstav f", "bokstav g", "bokstav h", "Datatilsynet", "Eksempel Drift AS", "PowerOffice Go",
                "Utleveringer", "Domstolene", "rettslig kjennelse");

        assertThat(api.getBytes(link.group(1).replaceAll("token=.*", "token=forged"), null).statusCode()).isEqualTo(404);
        clock.advance(Duration.ofDays(8));
        assertThat(api.getBytes(link.group(1), null).statusCode()).isEqualTo(410);
    }

    @Test
    void erasureTellsEveryRecipientTheDataWasDisclosedTo() throws Exception {
        String email = unique("mottaker");
        String subject = api.post("/api/v1/subjects", Api.ADMIN_TOKEN, "{\"system\":\"go\",\"activity\":"
                + "\"service-delivery\",\"identities\":{\"email\":\"" + email + "\"},\"data\":{\"user.name\":"
                + "\"Mona Mottaker\"}}").json().get("id").asString();
        assertThat(api.post("/api/v1/disclosures", Api.ADMIN_TOKEN, "{\"recipient\":\"mail-delivery\",\"subjectId\":\""
                + subject + "\",\"dataCategories\":[\"user.contact.email\"],\"basis\":\"dpa\",\"note\":"
                + "\"Mona sitt nyhetsbrev\"}").status()).isEqualTo(201);
        assertThat(api.post("/api/v1/disclosures", Api.ADMIN_TOKEN, "{\"recipient\":\"skatteetaten\",\"subjectId\":\""
                + subject + "\",\"dataCategories\":[\"user.name\"],\"basis\":\"law\",\"reference\":"
                + "\"skatteforvaltningsloven § 10-2\"}").status()).isEqualTo(201);

        JsonNode done = api.post("/api/v1/requests", agent, staffRequest("erasure", email)).json();

        assertThat(done.get("outcome").asString()).contains("Art. 19", "Example Mail Delivery AB")
                .as("an authority in a particular inquiry is not a recipient (Art. 4(9))").doesNotContain("Skatteetaten");
        JsonNode notified = done.get("recipientsNotified");
        assertThat(notified.findValuesAsString("recipient")).containsExactly("mail-delivery");
        assertThat(notified.findValuesAsString("via")).containsExactly("mail");
        String notice = text(lastMailTo("privacy@maildelivery.example"));
        assertThat(notice).contains("erase", email, "EX-DPA-2024-002", done.get("id").asString());
        assertThat(api.get("/api/v1/disclosures?subjectId=" + subject, Api.ADMIN_TOKEN).json().get("disclosures")
                .findValuesAsString("recipient")).as("the log stays, for accountability")
                .containsExactlyInAnyOrder("mail-delivery", "skatteetaten");
        assertThat(api.get("/api/v1/disclosures?subjectId=" + subject, Api.ADMIN_TOKEN).body())
                .as("but its free-text notes go with the person").doesNotContain("Mona");
        assertThat(text(lastMailTo(email))).contains("Example Mail Delivery AB");
    }

    @Test
    void anErasureUnderALegalHoldIsDeferredRestrictedAndCarriedOutWhenTheHoldEnds() throws Exception {
        String email = unique("tvist");
        String subject = api.post("/api/v1/subjects", Api.ADMIN_TOKEN, "{\"system\":\"go\",\"activity\":"
                + "\"service-delivery\",\"identities\":{\"email\":\"" + email + "\"},\"data\":{\"user.name\":"
                + "\"Tore Tvist\"}}").json().get("id").asString();
        String hold = api.post("/api/v1/legal-holds", Api.ADMIN_TOKEN, "{\"subjectId\":\"" + subject
                + "\",\"reason\":\"Søksmål om faktura\"}").json().get("id").asString();

        JsonNode done = api.post("/api/v1/requests", agent, staffRequest("erasure", email)).json();

        assertThat(done.get("status").asString()).isEqualTo("completed");
        assertThat(done.get("outcome").asString()).contains("art. 17 nr. 3 bokstav e");
        assertThat(text(lastMailTo(email))).contains("rettskrav");
        JsonNode held = api.get("/api/v1/subjects/" + subject, Api.ADMIN_TOKEN).json();
        assertThat(held.get("data").toString()).as("restricted: kept, not used").doesNotContain("Tore Tvist");
        assertThat(jdbc.sql("SELECT held_by FROM subject_value WHERE subject_id = CAST(:id AS UUID)")
                .param("id", subject).query(String.class).list()).isNotEmpty().allMatch(by -> by.startsWith("legal-hold"));

        assertThat(api.delete("/api/v1/legal-holds/" + hold, Api.ADMIN_TOKEN).status()).isEqualTo(200);
        String run = api.post("/api/v1/retention/runs", Api.ADMIN_TOKEN, "{\"dryRun\":false}").json().get("id")
                .asString();
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> !api.get("/api/v1/retention/runs/"
                + run, Api.ADMIN_TOKEN).json().get("status").asString().equals("running"));
        assertThat(api.get("/api/v1/retention/runs/" + run, Api.ADMIN_TOKEN).json().get("deleted")
                .get("erasures-resumed").asLong()).isEqualTo(1);
        // The erasure is handed to the requests module durably and carried out after the run's commit.
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(20))
                .until(() -> api.get("/api/v1/subjects/" + subject, Api.ADMIN_TOKEN).status() == 410);
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> api.get(
                "/api/v1/requests?status=completed", agent).json().get("items").findValuesAsString("channel")
                .contains("legal-hold-ended"));
        vault.purgeErased();
        assertThat(jdbc.sql("SELECT COUNT(*) FROM subject_value WHERE subject_id = CAST(:id AS UUID)")
                .param("id", subject).query(Long.class).single()).as("the restricted values went too").isZero();
    }

    @Test
    void aRestrictedPersonsBookkeepingRecordsSurviveALaterErasureAndTheRestIsPurged() throws Exception {
        String email = unique("sperret");
        String subject = api.post("/api/v1/subjects", Api.ADMIN_TOKEN, "{\"system\":\"go\",\"activity\":"
                + "\"own-bookkeeping\",\"identities\":{\"email\":\"" + email + "\"},\"data\":{\"user.name\":"
                + "\"Sara Sperret\",\"user.contact.address\":\"Lagergata 3\",\"user.contact.email\":\"" + email
                + "\"}}").json().get("id").asString();
        assertThat(api.post("/api/v1/requests", agent, staffRequest("restriction", email)).json().get("status")
                .asString()).isEqualTo("completed");

        JsonNode erased = api.post("/api/v1/requests", agent, staffRequest("erasure", email)).json();

        assertThat(erased.get("outcome").asString()).contains("Kept, restricted: user.contact.address – "
                + "retention-exception:bookkeeping (bokføringsloven § 13), until 2032-01-01");
        vault.purgeErased();
        assertThat(jdbc.sql("SELECT held_by FROM subject_value WHERE subject_id = CAST(:id AS UUID)")
                .param("id", subject).query(String.class).list())
                .as("kept under a hold key for five years after the year ends; the restricted e-mail is purged")
                .hasSize(2).allMatch(by -> by.startsWith("retention-exception:bookkeeping"));
    }

    @Test
    void erasureKeepsTheBookkeepingRecordsRestrictedShredsTheRestAndReportsWhy() throws Exception {
        String email = unique("slett");
        String writer = api.post("/api/v1/tokens", Api.ADMIN_TOKEN,
                "{\"name\":\"go\",\"scopes\":[\"subjects:write\",\"subjects:read\",\"consent:write\"]}")
                .json().get("token").asString();
        String subject = api.post("/api/v1/subjects", writer, "{\"system\":\"go\",\"activity\":\"own-bookkeeping\","
                + "\"identities\":{\"email\":\"" + email + "\"},\"data\":{\"user.name\":\"Siv Slett\","
                + "\"user.contact.address\":\"Fakturagata 9\",\"user.contact.email\":\"" + email + "\"}}")
                .json().get("id").asString();
        api.post("/api/v1/subjects/" + subject + "/consents", writer,
                "{\"purpose\":\"marketing.communications.email\",\"granted\":true,\"method\":\"web-form\"}");

        JsonNode done = api.post("/api/v1/requests", agent, staffRequest("erasure", email)).json();

        assertThat(done.get("status").asString()).isEqualTo("completed");
        assertThat(done.get("outcome").asString()).contains("Erased: ", "user.contact.email", "identities",
                "Kept, restricted: user.contact.address – retention-exception:bookkeeping (bokføringsloven § 13), until 20");
        assertThat(text(lastMailTo(email))).contains("bokføringsloven § 13");
        assertThat(api.get("/api/v1/subjects/" + subject, writer).status()).isEqualTo(410);
        assertThat(api.get("/api/v1/subjects?email=" + email, writer).json().get("items")).isEmpty();
        assertThat(jdbc.sql("SELECT COUNT(*) FROM subject_value WHERE subject_id = CAST(:id AS UUID) AND held_by LIKE"
                + " 'retention-exception:bookkeeping%'").param("id", subject).query(Long.class).single()).isEqualTo(2);
        assertThat(api.get("/api/v1/audit/verify", Api.ADMIN_TOKEN).json().get("valid").asBoolean()).isTrue();
        String trail = jdbc.sql("SELECT * FROM audit_entry").query().listOfRows().toString();
        assertThat(trail).contains("subject.erased", "request.completed").doesNotContain(email, "Siv", "Fakturagata");
    }

    @Test
    void erasureLeavesDataProcessedForACustomerToThatCustomerAndSaysSo() throws Exception {
        String email = unique("regnskap");
        String writer = api.post("/api/v1/tokens", Api.ADMIN_TOKEN,
                "{\"name\":\"go\",\"scopes\":[\"subjects:write\",\"subjects:read\"]}").json().get("token").asString();
        String external = "leverandor-" + UUID.randomUUID();
        String subject = api.post("/api/v1/subjects", writer, "{\"system\":\"go\",\"activity\":\"service-delivery\","
                + "\"identities\":{\"email\":\"" + email + "\",\"externalIds\":{\"go\":\"" + external + "\"}},"
                + "\"data\":{\"user.contact.phone_number\":\"+4790000001\"}}").json().get("id").asString();
        api.post("/api/v1/subjects", writer, "{\"system\":\"go\",\"activity\":\"customer-ledgers\","
                + "\"identities\":{\"externalIds\":{\"go\":\"" + external + "\"}},\"data\":{\"user.name\":"
                + "\"Lars Leverandør\",\"user.financial.bank_account\":\"1234.56.78903\"}}");

        String ledgerDocument = api.postMultipart("/api/v1/subjects/" + subject + "/documents", Api.ADMIN_TOKEN,
                new no.personvern.testing.Multipart().field("kind", "voucher").field("system", "go")
                        .field("activity", "customer-ledgers").file("file", "faktura.pdf", "application/pdf",
                                new byte[] {5, 6, 7, 8})).json().get("id").asString();
        String ownDocument = api.postMultipart("/api/v1/subjects/" + subject + "/documents", Api.ADMIN_TOKEN,
                new no.personvern.testing.Multipart().field("kind", "image").field("system", "go-mobile")
                        .file("file", "bilde.jpg", "image/jpeg", new byte[] {1, 2})).json().get("id").asString();
        UUID keyBefore = jdbc.sql("SELECT key_id FROM subject_document WHERE id = CAST(:id AS UUID)")
                .param("id", ledgerDocument).query(UUID.class).single();

        JsonNode done = api.post("/api/v1/requests", agent, staffRequest("erasure", email)).json();

        assertThat(jdbc.sql("SELECT restricted_by FROM subject_document WHERE id = CAST(:id AS UUID)")
                .param("id", ledgerDocument).query(String.class).single())
                .as("the customer's voucher is kept, under a hold key").startsWith("processor-for-customer");
        assertThat(jdbc.sql("SELECT key_id FROM subject_document WHERE id = CAST(:id AS UUID)")
                .param("id", ledgerDocument).query(UUID.class).single()).isNotEqualTo(keyBefore);
        assertThat(jdbc.sql("SELECT COUNT(*) FROM subject_document WHERE id = CAST(:id AS UUID)")
                .param("id", ownDocument).query(Long.class).single()).as("our own upload is erased").isZero();
        assertThat(done.get("outcome").asString()).contains("Art. 28(3)(e)").contains("user.contact.phone_number");
        assertThat(done.get("attention").asString()).contains("controlling customer");
        assertThat(done.get("routedTo").get(0).get("activity").asString()).isEqualTo("customer-ledgers");
        assertThat(done.get("routedTo").get(0).get("systems").toString()).contains("go", "win");
        String routing = text(lastMailTo("firmapost@poweroffice.no"));
        assertThat(routing).as("the customer is found by the person's id in the product, read before the erasure")
                .contains("Pass the request on", done.get("id").asString(), "go: " + external);
        assertThat(jdbc.sql("SELECT COUNT(*) FROM subject_value WHERE subject_id = CAST(:id AS UUID)"
                + " AND activity_key = 'customer-ledgers'").param("id", subject).query(Long.class).single()).isEqualTo(2);
        vault.purgeErased();
        assertThat(jdbc.sql("SELECT COUNT(*) FROM subject_value WHERE subject_id = CAST(:id AS UUID)"
                + " AND activity_key = 'service-delivery'").param("id", subject).query(Long.class).single()).isZero();
        assertThat(text(lastMailTo(email))).contains("Art. 28(3)(e)");
    }

    @Test
    void anAccessPackageLeavesOutWhatWeProcessForACustomerAndRoutesThatPartToThem() throws Exception {
        String email = unique("kundedata");
        String writer = api.post("/api/v1/tokens", Api.ADMIN_TOKEN,
                "{\"name\":\"go\",\"scopes\":[\"subjects:write\"]}").json().get("token").asString();
        String external = "ansatt-" + UUID.randomUUID();
        api.post("/api/v1/subjects", writer, "{\"system\":\"go\",\"activity\":\"service-delivery\",\"identities\":"
                + "{\"email\":\"" + email + "\",\"externalIds\":{\"go\":\"" + external + "\"}},\"data\":"
                + "{\"user.name\":\"Kim Kunde\"}}");
        api.post("/api/v1/subjects", writer, "{\"system\":\"go\",\"activity\":\"customer-ledgers\",\"identities\":"
                + "{\"externalIds\":{\"go\":\"" + external + "\"}},\"data\":{\"user.financial.bank_account\":"
                + "\"9999.88.77777\"}}");

        JsonNode done = api.post("/api/v1/requests", agent, staffRequest("access", email)).json();

        assertThat(done.get("outcome").asString()).contains("routed");
        assertThat(done.get("attention").asString()).contains("controlling customer");
        String mail = text(lastMailTo(email));
        Matcher link = Pattern.compile("(/api/v1/public/requests/[0-9a-f-]+/package\\?token=[A-Za-z0-9_-]+)").matcher(mail);
        assertThat(link.find()).isTrue();
        assertThat(mail).contains("art. 28 nr. 3");
        String data = unzip(api.getBytes(link.group(1), null).body()).get("data.json");
        assertThat(data).contains("Kim Kunde").doesNotContain("9999.88.77777", "customer-ledgers");
    }

    @Test
    void anObjectionStopsDirectMarketingAtOnceAndLeavesTheRestToTheDpo() {
        String email = unique("protest");
        String writer = api.post("/api/v1/tokens", Api.ADMIN_TOKEN,
                "{\"name\":\"go\",\"scopes\":[\"subjects:write\",\"subjects:read\",\"consent:write\"]}")
                .json().get("token").asString();
        String subject = api.post("/api/v1/subjects", writer, "{\"system\":\"newsletter\",\"activity\":\"newsletter\","
                + "\"identities\":{\"email\":\"" + email + "\"},\"data\":{}}").json().get("id").asString();
        api.post("/api/v1/subjects/" + subject + "/consents", writer,
                "{\"purpose\":\"marketing.communications.email\",\"granted\":true,\"method\":\"web-form\"}");

        JsonNode objection = api.post("/api/v1/requests", agent, staffRequest("objection", email)).json();

        assertThat(objection.get("status").asString()).isEqualTo("in_progress");
        assertThat(objection.get("outcome").asString()).contains("Art. 21(3)");
        assertThat(api.get("/api/v1/subjects/" + subject + "/consents", writer).json().get("current")
                .get("marketing.communications.email").asBoolean()).isFalse();
        JsonNode closed = api.post("/api/v1/requests/" + objection.get("id").asString() + "/complete", agent,
                "{\"outcome\":\"Ingen annen behandling bygger på berettiget interesse.\"}").json();
        assertThat(closed.get("status").asString()).isEqualTo("completed");
    }

    @Test
    void restrictionKeepsTheDataButTakesItOutOfUse() throws Exception {
        String email = unique("begrens");
        String writer = api.post("/api/v1/tokens", Api.ADMIN_TOKEN,
                "{\"name\":\"go\",\"scopes\":[\"subjects:write\",\"subjects:read\"]}").json().get("token").asString();
        String subject = api.post("/api/v1/subjects", writer, "{\"system\":\"go\",\"activity\":\"service-delivery\","
                + "\"identities\":{\"email\":\"" + email + "\"},\"data\":{\"user.name\":\"Bente Begrens\"}}")
                .json().get("id").asString();
        String document = api.postMultipart("/api/v1/subjects/" + subject + "/documents", Api.ADMIN_TOKEN,
                new no.personvern.testing.Multipart().field("kind", "voucher").field("system", "go-mobile")
                        .file("file", "bilag.jpg", "image/jpeg", new byte[] {1, 2, 3})).json().get("id").asString();

        JsonNode done = api.post("/api/v1/requests", agent, staffRequest("restriction", email)).json();

        assertThat(done.get("status").asString()).isEqualTo("completed");
        assertThat(api.get("/api/v1/subjects/" + subject, writer).json().get("data")).isEmpty();
        assertThat(jdbc.sql("SELECT COUNT(*) FROM subject_value WHERE subject_id = CAST(:id AS UUID) AND held_by LIKE"
                + " 'restriction:%'").param("id", subject).query(Long.class).single()).isEqualTo(1);
        assertThat(api.getBytes("/api/v1/subjects/" + subject + "/documents/" + document, writer).statusCode())
                .as("a restricted document is stored, not served").isEqualTo(409);
        Api.Response overwrite = api.post("/api/v1/subjects", writer, "{\"system\":\"go\",\"activity\":"
                + "\"service-delivery\",\"identities\":{\"email\":\"" + email + "\"},\"data\":{\"user.name\":"
                + "\"Bente Ny\"}}");
        assertThat(overwrite.status()).as("a restricted value is not changed while restricted").isEqualTo(409);
        assertThat(overwrite.json().get("title").asString()).isEqualTo("Restricted");

        api.post("/api/v1/requests", agent, staffRequest("access", email));
        Matcher link = Pattern.compile("(/api/v1/public/requests/[0-9a-f-]+/package\\?token=[A-Za-z0-9_-]+)")
                .matcher(text(lastMailTo(email)));
        assertThat(link.find()).isTrue();
        assertThat(unzip(api.getBytes(link.group(1), null).body()).get("data.json"))
                .as("Art. 15 covers restricted data too, marked as such").contains("Bente Begrens", "\"restriction\"");
    }

    @Test
    void aPortabilityPackageHoldsWhatThePersonProvidedAsJsonAndCsv() throws Exception {
        String email = unique("flytt");
        String writer = api.post("/api/v1/tokens", Api.ADMIN_TOKEN, "{\"name\":\"go\",\"scopes\":[\"subjects:write\"]}")
                .json().get("token").asString();
        api.post("/api/v1/subjects", writer, "{\"system\":\"go\",\"activity\":\"service-delivery\",\"identities\":"
                + "{\"email\":\"" + email + "\"},\"data\":{\"user.name\":\"Frida Flytt\"}}");
        api.post("/api/v1/subjects", writer, "{\"system\":\"go\",\"activity\":\"fraud-prevention\",\"identities\":"
                + "{\"email\":\"" + email + "\"},\"data\":{\"user.device.ip_address\":\"10.1.2.3\"}}");

        api.post("/api/v1/requests", agent, staffRequest("portability", email));

        Matcher link = Pattern.compile("(/api/v1/public/requests/[0-9a-f-]+/package\\?token=[A-Za-z0-9_-]+)")
                .matcher(text(lastMailTo(email)));
        assertThat(link.find()).isTrue();
        Map<String, String> entries = unzip(api.getBytes(link.group(1), null).body());
        assertThat(entries.keySet()).contains("data.json", "data.csv", "report.html");
        assertThat(entries.get("data.csv")).contains("\"user.name\",\"Frida Flytt\",\"go\",\"service-delivery\"")
                .as("legitimate interests is not portable").doesNotContain("10.1.2.3");
    }

    private static Map<String, String> unzip(byte[] bytes) throws java.io.IOException {
        Map<String, String> entries = new java.util.HashMap<>();
        try (java.util.zip.ZipInputStream zip = new java.util.zip.ZipInputStream(new java.io.ByteArrayInputStream(bytes))) {
            for (java.util.zip.ZipEntry entry = zip.getNextEntry(); entry != null; entry = zip.getNextEntry()) {
                entries.put(entry.getName(), new String(zip.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
            }
        }
        return entries;
    }

    @Test
    void badInputIsAProblemAndChangesNothing() {
        long before = jdbc.sql("SELECT COUNT(*) FROM data_request").query(Long.class).single();
        assertThat(submit("delete-everything", unique("x")).status()).isEqualTo(422);
        assertThat(submit("access", "not-an-email").status()).isEqualTo(422);
        assertThat(api.post("/api/v1/public/requests", null, "{\"type\":\"access\"}").status()).isEqualTo(422);
        assertThat(api.post("/api/v1/requests", agent, "{\"type\":\"access\",\"email\":\"a@example.no\",\"channel\":\"x y\","
                + "\"verifiedBy\":\"id\"}").status()).isEqualTo(422);
        assertThat(api.post("/api/v1/requests", agent, "{\"type\":\"access\",\"email\":\"a@example.no\","
                + "\"channel\":\"customer-center\"}").status()).isEqualTo(422);
        assertThat(api.post("/api/v1/requests", agent, "{\"type\":\"access\",\"subjectId\":\"" + UUID.randomUUID()
                + "\",\"channel\":\"customer-center\",\"verifiedBy\":\"agent 7\"}").status()).isEqualTo(404);
        assertThat(api.get("/api/v1/requests/" + UUID.randomUUID(), agent).status()).isEqualTo(404);
        assertThat(api.get("/api/v1/requests/not-a-uuid", agent).status()).isEqualTo(400);
        assertThat(api.get("/api/v1/requests?status=whatever", agent).status()).isEqualTo(422);
        assertThat(verify(UUID.randomUUID().toString(), "123456").status()).isEqualTo(404);
        assertThat(api.get("/api/v1/requests", null).status()).isEqualTo(401);
        assertThat(jdbc.sql("SELECT COUNT(*) FROM data_request").query(Long.class).single()).isEqualTo(before);
    }

    @Test
    void everyInvalidFieldOfARequestIsNamedAtOnce() {
        long before = jdbc.sql("SELECT COUNT(*) FROM data_request").query(Long.class).single();
        Api.Response publicRequest = api.post("/api/v1/public/requests", null, "{\"type\":\"everything\","
                + "\"email\":\"(1)someone@example.no\",\"message\":\"" + "x".repeat(5001) + "\"}");
        assertThat(publicRequest.status()).isEqualTo(422);
        assertThat(publicRequest.errorFields()).containsExactly("type", "email", "message");
        Api.Response staffRequest = api.post("/api/v1/requests", agent, "{\"type\":\"everything\",\"channel\":\"X Y\"}");
        assertThat(staffRequest.errorFields()).containsExactly("type", "email", "channel", "verifiedBy");
        assertThat(jdbc.sql("SELECT COUNT(*) FROM data_request").query(Long.class).single()).isEqualTo(before);
    }

    @Test
    void unverifiedRequestsInSomeonesNameDoNotBlockTheirOwn() throws Exception {
        String email = unique("blokk");
        for (int i = 0; i < 8; i++) {
            assertThat(submit("erasure", email, "203.0.113.7").status()).as("junk filed by a stranger")
                    .isEqualTo(202);
        }
        String id = submit("access", email, "198.51.100.20").json().get("id").asString();
        Api.Response verified = verify(id, code(lastMailTo(email)));
        assertThat(verified.status()).as("the person's own request is not blocked by the junk").isEqualTo(200);
        assertThat(verified.json().get("status").asString()).isIn("open", "in_progress", "completed");
    }

    @Test
    void aFloodOfRequestsForOneAddressMailsOnlyAFewCodesAndIsAnsweredAsAlways() {
        String email = unique("bombe");
        Smtp.awaitOutboxSent(jdbc);
        MAIL.reset();
        for (int i = 0; i < 7; i++) {
            Api.Response flooded = submit("access", email, "203.0.113.8");
            assertThat(flooded.status()).isEqualTo(202);
            assertThat(flooded.json().get("status").asString()).isEqualTo("unverified");
        }
        assertThat(java.util.Arrays.stream(mails()).flatMap(RequestApiTests::recipients).filter(email::equals))
                .as("three code mails an hour prompted by one client").hasSize(3);
        for (int client = 1; client <= 8; client++) {
            for (int i = 0; i < 3; i++) {
                assertThat(submit("access", email, "198.51.100." + client).status()).isEqualTo(202);
            }
        }
        assertThat(java.util.Arrays.stream(mails()).flatMap(RequestApiTests::recipients).filter(email::equals))
                .as("twenty a day in all, whoever asks").hasSize(20);
    }

    @Test
    void aCodeThatWasNotMailedCannotVerifyAnything() throws Exception {
        String email = unique("ukjentkode");
        java.util.List<String> ids = new java.util.ArrayList<>();
        for (int i = 0; i < 5; i++) {
            ids.add(submit("erasure", email, "203.0.113.9").json().get("id").asString());
        }
        // Three were mailed; the fourth and fifth were answered alike but their codes went nowhere.
        for (String id : ids.subList(3, 5)) {
            assertThat(jdbc.sql("SELECT code_hash FROM data_request WHERE id = :id").param("id", UUID.fromString(id))
                    .query(String.class).optional().orElse(null))
                    .as("no code is held that nobody was sent").isNull();
            Api.Response guessed = verify(id, code(lastMailTo(email)));
            assertThat(guessed.status()).as("a guess (even a code mailed for another request)").isEqualTo(422);
            assertThat(guessed.contentType()).startsWith("application/problem+json");
            assertThat(guessed.json().get("detail").asString()).contains("4 tries left");
        }
    }

    @Test
    void aPersonsSixthVerifiedRequestWithinAnHourIsRefused() throws Exception {
        String email = unique("flom");
        String[] types = {"access", "erasure", "rectification", "restriction", "objection"};
        int client = 0;
        for (String type : types) {
            String id = submit(type.equals("erasure") ? "rectification" : type, email, "198.51.100." + ++client)
                    .json().get("id").asString();
            assertThat(verify(id, code(lastMailTo(email))).status()).isEqualTo(200);
        }
        String sixth = submit("portability", email, "198.51.100." + ++client).json().get("id").asString();
        Api.Response refused = verify(sixth, code(lastMailTo(email)));
        assertThat(refused.status()).isEqualTo(429);
        assertThat(refused.contentType()).startsWith("application/problem+json");
    }

    // ---- identities: nobody receives another person's data --------------------------------

    @Test
    void anAddressAStrangerTypedNextToSomeonesPhoneDoesNotOpenTheirData() throws Exception {
        String victim = unique("offer");
        String attacker = unique("angriper");
        String phone = "+47" + (40000000 + new java.util.Random().nextInt(9999999));
        String victimId = api.post("/api/v1/subjects", Api.ADMIN_TOKEN, """
                {"system":"go","activity":"service-delivery","identities":{"email":"%s","phone":"%s"},
                 "data":{"user.name":"Vera Offer","user.contact.address":"Storgata 1, 0155 Oslo"}}""".formatted(victim, phone))
                .json().get("id").asString();
        // A product forwards a form where someone typed their own address next to the victim's phone.
        Api.Response merged = api.post("/api/v1/subjects", Api.ADMIN_TOKEN, """
                {"system":"go","activity":"service-delivery","identities":{"email":"%s","phone":"%s"}}"""
                .formatted(attacker, phone));
        assertThat(merged.status()).isEqualTo(200);
        assertThat(merged.json().get("id").asString()).isEqualTo(victimId);
        JsonNode identities = api.get("/api/v1/subjects/" + victimId, Api.ADMIN_TOKEN).json().get("identities");
        assertThat(identities.get("email").asString()).isEqualTo(victim);
        assertThat(identities.get("unverified").toString()).contains(attacker);

        for (String type : new String[] {"access", "erasure"}) {
            Smtp.awaitOutboxSent(jdbc);
            MAIL.reset();
            String id = submit(type, attacker).json().get("id").asString();
            assertThat(mails()).as("the code goes only to the address the request came from")
                    .hasSize(1);
            assertThat(mails()[0].getAllRecipients()[0].toString()).isEqualTo(attacker);
            Api.Response verified = verify(id, code(lastMailTo(attacker)));
            assertThat(verified.status()).isEqualTo(200);
            assertThat(verified.json().get("status").asString()).isEqualTo("open");

            JsonNode request = api.get("/api/v1/requests/" + id, agent).json();
            assertThat(request.get("status").asString()).as("nothing is done until staff confirm who this is")
                    .isEqualTo("open");
            assertThat(request.get("attention").asString()).contains("confirm who the person is");
            assertThat(request.get("systems")).isEmpty();
        }
        assertThat(java.util.Arrays.stream(mails()).map(RequestApiTests::textOf))
                .noneMatch(body -> body.contains("/package?token="));
        assertThat(jdbc.sql("SELECT COUNT(*) FROM data_request WHERE package_id IS NOT NULL AND subject_id = :s")
                .param("s", UUID.fromString(victimId)).query(Long.class).single()).isZero();
        assertThat(api.get("/api/v1/subjects/" + victimId, Api.ADMIN_TOKEN).status()).as("not erased").isEqualTo(200);
        assertThat(java.util.Arrays.stream(mails()).flatMap(RequestApiTests::recipients))
                .as("the victim is not mailed about a request they did not make").doesNotContain(victim);
    }

    @Test
    void confirmingASubscriptionProvesWhoHoldsAnAddressNotWhoseRecordItJoined() throws Exception {
        String victim = unique("offer2");
        String attacker = unique("angriper2");
        String phone = "+47" + (40000000 + new java.util.Random().nextInt(9999999));
        String victimId = api.post("/api/v1/subjects", Api.ADMIN_TOKEN, """
                {"system":"go","activity":"service-delivery","identities":{"email":"%s","phone":"%s"}}"""
                .formatted(victim, phone)).json().get("id").asString();
        api.post("/api/v1/subjects", Api.ADMIN_TOKEN, """
                {"system":"go","activity":"service-delivery","identities":{"email":"%s","phone":"%s"}}"""
                .formatted(attacker, phone));
        assertThat(api.post("/api/v1/public/subscriptions", null, "{\"email\":\"" + attacker
                + "\",\"list\":\"newsletter\"}").status()).isEqualTo(202);
        Matcher confirm = Pattern.compile("/subscriptions/confirm/([A-Za-z0-9_-]+)").matcher(textOf(lastMailTo(attacker)));
        assertThat(confirm.find()).isTrue();
        assertThat(api.send("POST", "/subscriptions/confirm/" + confirm.group(1), null,
                Map.of("Content-Type", "application/x-www-form-urlencoded"), "").status()).isEqualTo(200);

        String id = submit("access", attacker).json().get("id").asString();
        verify(id, code(lastMailTo(attacker)));
        assertThat(api.get("/api/v1/requests/" + id, agent).json().get("attention").asString())
                .contains("confirm who the person is");
        assertThat(api.get("/api/v1/subjects/" + victimId, Api.ADMIN_TOKEN).json().get("identities").get("unverified")
                .toString()).contains(attacker);
    }

    @Test
    void anAddressTheWritingSystemVouchesForFindsThePersonAndStaffCanConfirmOneThatWaits() throws Exception {
        String first = unique("forste");
        String second = unique("andre");
        String third = unique("tredje");
        String phone = "+47" + (40000000 + new java.util.Random().nextInt(9999999));
        api.post("/api/v1/subjects", Api.ADMIN_TOKEN, """
                {"system":"go","activity":"service-delivery","identities":{"email":"%s","phone":"%s"},
                 "data":{"user.name":"Siri Sann"}}""".formatted(first, phone));
        api.post("/api/v1/subjects", Api.ADMIN_TOKEN, """
                {"system":"go","activity":"service-delivery","identities":{"email":"%s","phone":"%s","verified":["email","phone"]}}"""
                .formatted(second, phone));
        api.post("/api/v1/subjects", Api.ADMIN_TOKEN, """
                {"system":"go","activity":"service-delivery","identities":{"email":"%s","phone":"%s"}}"""
                .formatted(third, phone));

        String vouched = submit("access", second).json().get("id").asString();
        String code = code(lastMailTo(second));
        Smtp.awaitOutboxSent(jdbc);
        MAIL.reset();
        assertThat(verify(vouched, code).status()).isEqualTo(200);
        await(() -> api.get("/api/v1/requests/" + vouched, agent).json().get("status").asString().equals("completed"));
        assertThat(java.util.Arrays.stream(mails()).flatMap(RequestApiTests::recipients))
                .as("receipt and package link go to the address the request came from, not the person's first")
                .isNotEmpty().allMatch(second::equals);

        String waiting = submit("portability", third).json().get("id").asString();
        verify(waiting, code(lastMailTo(third)));
        assertThat(api.get("/api/v1/requests/" + waiting, agent).json().get("status").asString()).isEqualTo("open");
        Smtp.awaitOutboxSent(jdbc);
        MAIL.reset();
        JsonNode confirmed = api.post("/api/v1/requests", agent, """
                {"type":"portability","email":"%s","channel":"phone","verifiedBy":"agent 7: BankID, address confirmed"}"""
                .formatted(third)).json();
        assertThat(confirmed.get("id").asString()).as("the waiting request is the one carried out").isEqualTo(waiting);
        await(() -> api.get("/api/v1/requests/" + waiting, agent).json().get("status").asString().equals("completed"));
        assertThat(api.get("/api/v1/requests/" + waiting, agent).json().has("attention")).isFalse();
        assertThat(textOf(lastMailTo(third))).contains("/package?token=");
    }

    @Test
    void aStrangersWaitingRequestIsNeitherThePersonsOwnNorCountedNorCarriedOutWhenStaffFileForThePerson()
            throws Exception {
        String victim = unique("eier");
        String attacker = unique("fremmed");
        String phone = "+47" + (40000000 + new java.util.Random().nextInt(9999999));
        String victimId = api.post("/api/v1/subjects", Api.ADMIN_TOKEN, """
                {"system":"go","activity":"service-delivery","identities":{"email":"%s","phone":"%s"},
                 "data":{"user.name":"Eva Eier"}}""".formatted(victim, phone)).json().get("id").asString();
        api.post("/api/v1/subjects", Api.ADMIN_TOKEN, """
                {"system":"go","activity":"service-delivery","identities":{"email":"%s","phone":"%s"}}"""
                .formatted(attacker, phone));
        // The stranger verifies five requests from the address typed next to the victim's phone.
        String[] types = {"access", "erasure", "rectification", "restriction", "objection"};
        java.util.List<String> waiting = new java.util.ArrayList<>();
        int client = 0;
        for (String type : types) {
            String id = submit(type, attacker, "203.0.113." + ++client).json().get("id").asString();
            assertThat(verify(id, code(lastMailTo(attacker))).status()).isEqualTo(200);
            waiting.add(id);
        }

        // The person's own access request: neither refused for the stranger's five nor linked to theirs.
        String own = submit("access", victim, "198.51.100.30").json().get("id").asString();
        Api.Response verified = verify(own, code(lastMailTo(victim)));
        assertThat(verified.status()).as("the stranger's waiting requests do not count for the person").isEqualTo(200);
        await(() -> api.get("/api/v1/requests/" + own, agent).json().get("status").asString().equals("completed"));
        Matcher link = Pattern.compile("(/api/v1/public/requests/[0-9a-f-]+/package\\?token=[A-Za-z0-9_-]+)")
                .matcher(text(lastMailTo(victim)));
        assertThat(link.find()).as("the person's own package link").isTrue();
        String data = unzip(api.getBytes(link.group(1), null).body()).get("data.json");
        assertThat(data).contains(own);
        for (String id : waiting) {
            assertThat(data).as("a stranger's request is not listed as the person's").doesNotContain(id);
        }

        // Staff verify the person and file for them by id: the stranger's waiting request stays waiting.
        Smtp.awaitOutboxSent(jdbc);
        MAIL.reset();
        JsonNode filed = api.post("/api/v1/requests", agent, """
                {"type":"erasure","subjectId":"%s","channel":"phone","verifiedBy":"agent 7: called the number on file"}"""
                .formatted(victimId)).json();
        assertThat(filed.get("id").asString()).as("a request of the person's own").isNotEqualTo(waiting.get(1));
        JsonNode strangers = api.get("/api/v1/requests/" + waiting.get(1), agent).json();
        assertThat(strangers.get("status").asString()).isEqualTo("open");
        assertThat(strangers.get("attention").asString()).contains("confirm who the person is");
        assertThat(java.util.Arrays.stream(mails()).flatMap(RequestApiTests::recipients))
                .as("nothing about the person goes to the stranger").doesNotContain(attacker);
    }

    @Test
    void anAddressWithACommentIsRefusedRatherThanTakenForANewPerson() {
        String victim = unique("kommentar");
        api.post("/api/v1/requests", agent, staffRequest("access", victim));
        long people = jdbc.sql("SELECT COUNT(*) FROM subject").query(Long.class).single();
        for (String hostile : new String[] {"(1)" + victim, "\\\"x\\\"@example.no", "Kari <" + victim + ">",
                victim + "(x)"}) {
            Api.Response refused = submit("access", hostile);
            assertThat(refused.status()).as(hostile).isEqualTo(422);
            assertThat(refused.body()).contains("email");
        }
        assertThat(jdbc.sql("SELECT COUNT(*) FROM subject").query(Long.class).single()).isEqualTo(people);
    }

    private static void await(java.util.function.BooleanSupplier condition) {
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(20)).until(condition::getAsBoolean);
    }

    /** Every mail the server received, once the outbox has sent what was queued. */
    private MimeMessage[] mails() {
        Smtp.awaitOutboxSent(jdbc);
        return MAIL.getReceivedMessages();
    }

    private static String textOf(MimeMessage mail) {
        try {
            return mail.getContent().toString();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static java.util.stream.Stream<String> recipients(MimeMessage mail) {
        try {
            return java.util.Arrays.stream(mail.getAllRecipients()).map(Object::toString);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private Api.Response submit(String type, String email) {
        return api.post("/api/v1/public/requests", null, "{\"type\":\"" + type + "\",\"email\":\"" + email + "\"}");
    }

    /** A public request from a given client, as a trusted proxy in front of Personvern would name it. */
    private Api.Response submit(String type, String email, String client) {
        return api.send("POST", "/api/v1/public/requests", null, Map.of("Content-Type", "application/json",
                "X-Forwarded-For", client), "{\"type\":\"" + type + "\",\"email\":\"" + email + "\"}");
    }

    private Api.Response verify(String id, String code) {
        return api.post("/api/v1/public/requests/" + id + "/verify", null, "{\"code\":\"" + code + "\"}");
    }

    private static String staffRequest(String type, String email) {
        return "{\"type\":\"" + type + "\",\"email\":\"" + email + "\",\"channel\":\"customer-center\","
                + "\"verifiedBy\":\"agent 7: BankID\"}";
    }

    private static String unique(String name) {
        return name.replace("å", "a") + "-" + UUID.randomUUID().toString().substring(0, 8) + "@example.no";
    }

    private MimeMessage lastMailTo(String email) throws Exception {
        Smtp.awaitOutboxSent(jdbc);
        MimeMessage last = null;
        for (MimeMessage message : MAIL.getReceivedMessages()) {
            if (message.getAllRecipients()[0].toString().equals(email)) {
                last = message;
            }
        }
        assertThat(last).as("a mail to " + email).isNotNull();
        return last;
    }

    /** The decoded text of a mail (the body is quoted-printable on the wire). */
    private static String text(MimeMessage mail) throws Exception {
        return mail.getContent().toString();
    }

    private static String code(MimeMessage mail) throws Exception {
        Matcher matcher = CODE.matcher(text(mail));
        assertThat(matcher.find()).isTrue();
        return matcher.group(1);
    }
}
