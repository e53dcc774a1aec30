package no.personvern.requests;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import jakarta.mail.internet.MimeMessage;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import no.personvern.subjects.SubjectView;
import no.personvern.subjects.Vault;
import no.personvern.testing.Api;
import no.personvern.testing.DatabaseTest;
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
    Vault vault;

    Api api;
    Tokens tokens;
    Mailbox mailbox;
    Requests requests;
    String agent;

    @BeforeEach
    void setUp() {
        api = new Api(port);
        tokens = new Tokens(api);
        mailbox = Mailbox.of(MAIL, jdbc);
        requests = new Requests(api, mailbox);
        agent = tokens.issue("kundesenter", "requests:manage");
    }

    @Test
    void aPublicRequestIsVerifiedByAMailedCodeAndIsDueInOneMonth() throws Exception {
        String email = unique("innsyn");
        Api.Response accepted = requests.file("rectification", email);
        assertThat(accepted.status()).isEqualTo(202);
        assertThat(accepted.json().get("status").asString()).isEqualTo("unverified");
        String id = accepted.json().get("id").asString();
        String code = Mailbox.code(mailbox.lastTo(email));

        Api.Response wrong = requests.verify(id, code.equals("000000") ? "000001" : "000000");
        assertThat(wrong.status()).isEqualTo(422);
        assertThat(wrong.json().get("detail").asString()).contains("4 tries left");

        Api.Response verified = requests.verify(id, code);
        assertThat(verified.status()).isEqualTo(200);
        assertThat(verified.json().get("status").asString()).isEqualTo("open");
        Instant due = Instant.parse(verified.json().get("dueAt").asString());
        assertThat(due).isEqualTo(clock.instant().atZone(ZoneId.of("Europe/Oslo")).plusMonths(1).toInstant());
        assertThat(Mailbox.text(mailbox.lastTo(email))).contains("mottatt", "retting");

        JsonNode request = api.get("/api/v1/requests/" + id, agent).json();
        assertThat(request.get("type").asString()).isEqualTo("rectification");
        assertThat(request.get("status").asString()).isEqualTo("open");
        assertThat(request.get("channel").asString()).isEqualTo("public");
        assertThat(request.get("systems")).isEmpty();
        assertThat(requests.verify(id, code).status()).as("a used code").isEqualTo(409);
    }

    @Test
    void mailsAreInEnglishWhenAskedFor() throws Exception {
        String email = unique("english");
        String id = api.post("/api/v1/public/requests", null,
                Json.object("type", "rectification", "email", email, "lang", "en")).json().get("id").asString();
        MimeMessage codeMail = mailbox.lastTo(email);
        assertThat(codeMail.getSubject()).startsWith("Your code");
        requests.verify(id, Mailbox.code(codeMail));
        assertThat(mailbox.lastTo(email).getSubject()).isEqualTo("We have received your request");
        assertThat(Mailbox.text(mailbox.lastTo(email))).contains("GDPR Art. 12(3)");
        api.post("/api/v1/requests/" + id + "/reject", agent, Json.object("reason", "Not enough to identify you."));
        assertThat(Mailbox.text(mailbox.lastTo(email))).contains("complain to Datatilsynet", "go to court");
    }

    @Test
    void knownAndUnknownAddressesGetTheSameAnswer() {
        String known = unique("kjent");
        requests.fileForStaff(agent, "access", known);
        Api.Response forKnown = requests.file("erasure", known);
        Api.Response forUnknown = requests.file("erasure", unique("ukjent"));

        assertThat(forKnown.status()).isEqualTo(forUnknown.status()).isEqualTo(202);
        assertThat(forKnown.json().propertyNames()).isEqualTo(forUnknown.json().propertyNames());
        assertThat(forKnown.json().get("status").asString()).isEqualTo(forUnknown.json().get("status").asString());
    }

    @Test
    void fiveWrongCodesLockTheRequest() throws Exception {
        String email = unique("lås");
        String id = requests.file("erasure", email).json().get("id").asString();
        String code = Mailbox.code(mailbox.lastTo(email));
        String wrong = code.equals("123456") ? "654321" : "123456";
        for (int i = 1; i <= 4; i++) {
            assertThat(requests.verify(id, wrong).status()).isEqualTo(422);
        }
        assertThat(requests.verify(id, wrong).status()).isEqualTo(423);
        assertThat(requests.verify(id, code).status()).as("even the right code").isEqualTo(423);
        assertThat(api.get("/api/v1/requests/" + id, agent).json().get("status").asString()).isEqualTo("locked");
    }

    @Test
    void anUnverifiedRequestExpiresAfterSevenDays() {
        String id = requests.file("access", unique("glemt")).json().get("id").asString();
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
        String id = requests.file("access", email).json().get("id").asString();
        String code = Mailbox.code(mailbox.lastTo(email));
        clock.advance(Duration.ofMinutes(31));

        assertThat(requests.verify(id, code).status()).isEqualTo(410);
    }

    @Test
    void anAgentsRequestIsOpenAtOnceAndADuplicateIsLinkedNotDoubled() throws Exception {
        String email = unique("dobbel");
        Api.Response first = requests.fileForStaff(agent, "rectification", email);
        assertThat(first.status()).isEqualTo(201);
        assertThat(first.json().get("status").asString()).isEqualTo("open");
        assertThat(first.json().get("channel").asString()).isEqualTo("customer-center");
        String id = first.json().get("id").asString();

        assertThat(requests.fileForStaff(agent, "rectification", email).json().get("id").asString())
                .isEqualTo(id);
        String publicId = requests.file("rectification", email).json().get("id").asString();
        Api.Response verified = requests.verify(publicId, Mailbox.code(mailbox.lastTo(email)));
        assertThat(verified.status()).isEqualTo(200);
        assertThat(api.get("/api/v1/requests/" + publicId, agent).json().get("linkedTo").asString()).isEqualTo(id);
        assertThat(api.get("/api/v1/requests/" + publicId, agent).json().get("status").asString()).isEqualTo("linked");
        assertThat(requests.fileForStaff(agent, "access", email).json().get("id").asString())
                .as("another type is another request").isNotEqualTo(id);
    }

    @Test
    void theDeadlineIsExtendedOnceBeforeTheFirstMonthEndsAndThePersonIsToldWhy() throws Exception {
        String email = unique("frist");
        JsonNode request = requests.fileForStaff(agent, "rectification", email).json();
        String id = request.get("id").asString();
        Instant due = Instant.parse(request.get("dueAt").asString());

        Api.Response extended = api.post("/api/v1/requests/" + id + "/extend", agent,
                Json.object("reason", "Opplysningene ligger i tre systemer som må gjennomgås."));
        assertThat(extended.status()).isEqualTo(200);
        assertThat(Instant.parse(extended.json().get("extendedUntil").asString()))
                .isEqualTo(due.atZone(ZoneId.of("Europe/Oslo")).plusMonths(2).toInstant());
        assertThat(Mailbox.text(mailbox.lastTo(email))).contains("tre systemer", "art. 12 nr. 3");
        assertThat(api.post("/api/v1/requests/" + id + "/extend", agent, Json.object("reason", "igjen")).status())
                .isEqualTo(409);

        String late = requests.fileForStaff(agent, "rectification", unique("sen")).json().get("id")
                .asString();
        clock.advance(Duration.ofDays(32));
        assertThat(api.post("/api/v1/requests/" + late + "/extend", agent, Json.object("reason", "for sent")).status())
                .isEqualTo(409);
        assertThat(api.get("/api/v1/requests?status=open&dueBefore=" + clock.instant(), agent).json().get("items")
                .toString()).contains(late).doesNotContain(id);
    }

    @Test
    void aRejectionGivesReasonsAndTheRightToComplainToDatatilsynet() throws Exception {
        String email = unique("avslag");
        String id = requests.fileForStaff(agent, "rectification", email).json().get("id").asString();

        Api.Response rejected = api.post("/api/v1/requests/" + id + "/reject", agent,
                Json.object("reason", "Forespørselen gjelder en annen person."));

        assertThat(rejected.status()).isEqualTo(200);
        assertThat(rejected.json().get("status").asString()).isEqualTo("rejected");
        assertThat(rejected.json().get("outcome").asString()).contains("annen person");
        assertThat(Mailbox.text(mailbox.lastTo(email))).contains("annen person", "Datatilsynet", "domstolene");
        assertThat(api.post("/api/v1/requests/" + id + "/reject", agent, Json.object("reason", "igjen")).status())
                .isEqualTo(409);
    }

    @Test
    void transitionsAreAuditedWithoutTheAddress() {
        String email = unique("revisjon");
        JsonNode request = requests.fileForStaff(agent, "rectification", email).json();
        api.post("/api/v1/requests/" + request.get("id").asString() + "/reject", agent, Json.object("reason", "x"));

        String trail = jdbc.sql("SELECT * FROM audit_entry").query().listOfRows().toString()
                + api.get("/api/v1/audit?limit=1000", Api.ADMIN_TOKEN).body();
        assertThat(trail).contains("request.open", "request.rejected").doesNotContain(email);
    }

    @Test
    void anAccessRequestIsAnsweredWithAnEncryptedPackageBehindAMailedLink() throws Exception {
        String email = unique("pakke");
        String writer = tokens.issue("go", "subjects:write");
        String subject = People.in("go", "service-delivery").email(email).data("user.name", "Pia Pakkesen")
                .data("user.contact.address", "Gata 1").create(api, writer);
        assertThat(api.post("/api/v1/disclosures", Api.ADMIN_TOKEN, Json.object("recipient", "domstolene", "subjectId",
                subject, "dataCategories", List.of("user.contact.address"), "basis", "court-order",
                "reference", "26-012345TVI-OTIR")).status()).isEqualTo(201);

        Api.Response held = requests.fileForStaff(agent, "access", email);
        assertThat(held.json().get("review").get("state").asString())
                .as("a disclosure to a court waits for the DPO's review (Art. 15(4))").isEqualTo("pending");
        Api.Response completed = api.post("/api/v1/requests/" + held.json().get("id").asString()
                + "/package/release", Api.ADMIN_TOKEN, Json.object("reason", "Nothing to withhold"));

        assertThat(completed.json().get("status").asString()).isEqualTo("completed");
        String link = Mailbox.packageLink(mailbox.lastTo(email));
        java.net.http.HttpResponse<byte[]> zip = api.getBytes(link, null);
        assertThat(zip.statusCode()).isEqualTo(200);
        Map<String, String> entries = Requests.unzip(zip.body());
        assertThat(entries.keySet()).containsExactlyInAnyOrder("data.json", "report.html");
        assertThat(entries.get("data.json")).contains("Pia Pakkesen", "\"system\" : \"go\"", "service-delivery",
                "\"consents\"", "\"requests\"", "\"disclosures\"", "Domstolene", "26-012345TVI-OTIR");
        assertThat(entries.get("report.html")).contains("bokstav a", "bokstav b", "bokstav c", "bokstav d", "bokstav e",
                "bokstav f", "bokstav g", "bokstav h", "Datatilsynet", "Eksempel Drift AS", "PowerOffice Go",
                "Utleveringer", "Domstolene", "rettslig kjennelse");

        assertThat(api.getBytes(link.replaceAll("token=.*", "token=forged"), null).statusCode()).isEqualTo(404);
        clock.advance(Duration.ofDays(8));
        assertThat(api.getBytes(link, null).statusCode()).isEqualTo(410);
    }

    @Test
    void erasureTellsEveryRecipientTheDataWasDisclosedTo() throws Exception {
        String email = unique("mottaker");
        String subject = People.in("go", "service-delivery").email(email).data("user.name", "Mona Mottaker")
                .create(api, Api.ADMIN_TOKEN);
        assertThat(api.post("/api/v1/disclosures", Api.ADMIN_TOKEN, Json.object("recipient", "mail-delivery",
                "subjectId", subject, "dataCategories", List.of("user.contact.email"), "basis", "dpa",
                "note", "Mona sitt nyhetsbrev")).status()).isEqualTo(201);
        assertThat(api.post("/api/v1/disclosures", Api.ADMIN_TOKEN, Json.object("recipient", "skatteetaten",
                "subjectId", subject, "dataCategories", List.of("user.name"), "basis", "law",
                "reference", "skatteforvaltningsloven § 10-2")).status()).isEqualTo(201);

        JsonNode done = requests.fileForStaff(agent, "erasure", email).json();

        assertThat(done.get("outcome").asString()).contains("Art. 19", "Example Mail Delivery AB")
                .as("an authority in a particular inquiry is not a recipient (Art. 4(9))").doesNotContain("Skatteetaten");
        JsonNode notified = done.get("recipientsNotified");
        assertThat(notified.findValuesAsString("recipient")).containsExactly("mail-delivery");
        assertThat(notified.findValuesAsString("via")).containsExactly("mail");
        String notice = Mailbox.text(mailbox.lastTo("privacy@maildelivery.example"));
        assertThat(notice).contains("erase", email, "EX-DPA-2024-002", done.get("id").asString());
        assertThat(api.get("/api/v1/disclosures?subjectId=" + subject, Api.ADMIN_TOKEN).json().get("disclosures")
                .findValuesAsString("recipient")).as("the log stays, for accountability")
                .containsExactlyInAnyOrder("mail-delivery", "skatteetaten");
        assertThat(api.get("/api/v1/disclosures?subjectId=" + subject, Api.ADMIN_TOKEN).body())
                .as("but its free-text notes go with the person").doesNotContain("Mona");
        assertThat(Mailbox.text(mailbox.lastTo(email))).contains("Example Mail Delivery AB");
    }

    @Test
    void anErasureUnderALegalHoldIsDeferredRestrictedAndCarriedOutWhenTheHoldEnds() throws Exception {
        String email = unique("tvist");
        String subject = People.in("go", "service-delivery").email(email).data("user.name", "Tore Tvist")
                .create(api, Api.ADMIN_TOKEN);
        String hold = api.post("/api/v1/legal-holds", Api.ADMIN_TOKEN,
                Json.object("subjectId", subject, "reason", "Søksmål om faktura")).json().get("id").asString();

        JsonNode done = requests.fileForStaff(agent, "erasure", email).json();

        assertThat(done.get("status").asString()).isEqualTo("completed");
        assertThat(done.get("outcome").asString()).contains("art. 17 nr. 3 bokstav e")
                .as("Art. 12(4): what is kept carries the right to complain and to go to court")
                .contains("complain to Datatilsynet", "go to court");
        assertThat(Mailbox.text(mailbox.lastTo(email))).contains("rettskrav", "klage til Datatilsynet", "domstolene");
        JsonNode held = api.get("/api/v1/subjects/" + subject, Api.ADMIN_TOKEN).json();
        assertThat(held.get("data").toString()).as("restricted: kept, not used").doesNotContain("Tore Tvist");
        assertThat(restrictions(subject)).isNotEmpty().allMatch(by -> by != null && by.startsWith("legal-hold"));

        assertThat(api.delete("/api/v1/legal-holds/" + hold, Api.ADMIN_TOKEN).status()).isEqualTo(200);
        String run = api.post("/api/v1/retention/runs", Api.ADMIN_TOKEN, Json.object("dryRun", false)).json().get("id")
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
        String subject = People.in("go", "own-bookkeeping").email(email).data("user.name", "Sara Sperret")
                .data("user.contact.address", "Lagergata 3").data("user.contact.email", email)
                .create(api, Api.ADMIN_TOKEN);
        assertThat(requests.fileForStaff(agent, "restriction", email).json().get("status")
                .asString()).isEqualTo("completed");

        JsonNode erased = requests.fileForStaff(agent, "erasure", email).json();

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
        String writer = tokens.issue("go", "subjects:write", "subjects:read", "consent:write");
        String subject = People.in("go", "own-bookkeeping").email(email).data("user.name", "Siv Slett")
                .data("user.contact.address", "Fakturagata 9").data("user.contact.email", email).create(api, writer);
        api.post("/api/v1/subjects/" + subject + "/consents", writer,
                Json.object("purpose", "marketing.communications.email", "granted", true, "method", "web-form"));

        JsonNode done = requests.fileForStaff(agent, "erasure", email).json();

        assertThat(done.get("status").asString()).isEqualTo("completed");
        assertThat(done.get("outcome").asString()).contains("Erased: ", "user.contact.email", "identities",
                "Kept, restricted: user.contact.address – retention-exception:bookkeeping (bokføringsloven § 13), until 20");
        assertThat(done.get("outcome").asString()).as("Art. 12(4): a partial erasure names the remedies")
                .contains("complain to Datatilsynet (https://www.datatilsynet.no) and go to court (GDPR Art. 12(4))");
        assertThat(Mailbox.text(mailbox.lastTo(email))).contains("bokføringsloven § 13", "klage til Datatilsynet",
                "gå til domstolene");
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
        String writer = tokens.issue("go", "subjects:write", "subjects:read");
        String external = "leverandor-" + UUID.randomUUID();
        String subject = People.in("go", "service-delivery").email(email).externalId("go", external)
                .data("user.contact.phone_number", "+4790000001").create(api, writer);
        People.in("go", "customer-ledgers").externalId("go", external).data("user.name", "Lars Leverandør")
                .data("user.financial.bank_account", "1234.56.78903").write(api, writer);

        String ledgerDocument = api.postMultipart("/api/v1/subjects/" + subject + "/documents", Api.ADMIN_TOKEN,
                new Multipart().field("kind", "voucher").field("system", "go")
                        .field("activity", "customer-ledgers").file("file", "faktura.pdf", "application/pdf",
                                new byte[] {5, 6, 7, 8})).json().get("id").asString();
        String ownDocument = api.postMultipart("/api/v1/subjects/" + subject + "/documents", Api.ADMIN_TOKEN,
                new Multipart().field("kind", "image").field("system", "go-mobile")
                        .file("file", "bilde.jpg", "image/jpeg", new byte[] {1, 2})).json().get("id").asString();
        UUID keyBefore = jdbc.sql("SELECT key_id FROM subject_document WHERE id = CAST(:id AS UUID)")
                .param("id", ledgerDocument).query(UUID.class).single();

        JsonNode done = requests.fileForStaff(agent, "erasure", email).json();

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
        String routing = Mailbox.text(mailbox.lastTo("firmapost@poweroffice.no"));
        assertThat(routing).as("the customer is found by the person's id in the product, read before the erasure")
                .contains("Pass the request on", done.get("id").asString(), "go: " + external);
        assertThat(jdbc.sql("SELECT COUNT(*) FROM subject_value WHERE subject_id = CAST(:id AS UUID)"
                + " AND activity_key = 'customer-ledgers'").param("id", subject).query(Long.class).single()).isEqualTo(2);
        vault.purgeErased();
        assertThat(jdbc.sql("SELECT COUNT(*) FROM subject_value WHERE subject_id = CAST(:id AS UUID)"
                + " AND activity_key = 'service-delivery'").param("id", subject).query(Long.class).single()).isZero();
        assertThat(Mailbox.text(mailbox.lastTo(email))).contains("Art. 28(3)(e)");
    }

    @Test
    void anAccessPackageLeavesOutWhatWeProcessForACustomerAndRoutesThatPartToThem() throws Exception {
        String email = unique("kundedata");
        String writer = tokens.issue("go", "subjects:write");
        String external = "ansatt-" + UUID.randomUUID();
        People.in("go", "service-delivery").email(email).externalId("go", external).data("user.name", "Kim Kunde")
                .write(api, writer);
        People.in("go", "customer-ledgers").externalId("go", external)
                .data("user.financial.bank_account", "9999.88.77777").write(api, writer);

        JsonNode done = requests.fileForStaff(agent, "access", email).json();

        assertThat(done.get("outcome").asString()).contains("routed");
        assertThat(done.get("attention").asString()).contains("controlling customer");
        MimeMessage mail = mailbox.lastTo(email);
        String link = Mailbox.packageLink(mail);
        assertThat(Mailbox.text(mail)).contains("art. 28 nr. 3");
        String data = Requests.unzip(api.getBytes(link, null).body()).get("data.json");
        assertThat(data).contains("Kim Kunde").doesNotContain("9999.88.77777", "customer-ledgers");
    }

    @Test
    void anObjectionStopsDirectMarketingAtOnceAndLeavesTheRestToTheDpo() {
        String email = unique("protest");
        String writer = tokens.issue("go", "subjects:write", "subjects:read", "consent:write");
        String subject = People.in("newsletter", "newsletter").email(email).create(api, writer);
        api.post("/api/v1/subjects/" + subject + "/consents", writer,
                Json.object("purpose", "marketing.communications.email", "granted", true, "method", "web-form"));

        JsonNode objection = requests.fileForStaff(agent, "objection", email).json();

        assertThat(objection.get("status").asString()).isEqualTo("in_progress");
        assertThat(objection.get("outcome").asString()).contains("Art. 21(3)");
        assertThat(api.get("/api/v1/subjects/" + subject + "/consents", writer).json().get("current")
                .get("marketing.communications.email").asBoolean()).isFalse();
        JsonNode closed = api.post("/api/v1/requests/" + objection.get("id").asString() + "/complete", agent,
                Json.object("outcome", "Ingen annen behandling bygger på berettiget interesse.")).json();
        assertThat(closed.get("status").asString()).isEqualTo("completed");
    }

    @Test
    void restrictionKeepsTheDataButTakesItOutOfUse() throws Exception {
        String email = unique("begrens");
        String writer = tokens.issue("go", "subjects:write", "subjects:read");
        String subject = People.in("go", "service-delivery").email(email).data("user.name", "Bente Begrens")
                .create(api, writer);
        String document = api.postMultipart("/api/v1/subjects/" + subject + "/documents", Api.ADMIN_TOKEN,
                new Multipart().field("kind", "voucher").field("system", "go-mobile")
                        .file("file", "bilag.jpg", "image/jpeg", new byte[] {1, 2, 3})).json().get("id").asString();

        JsonNode done = requests.fileForStaff(agent, "restriction", email).json();

        assertThat(done.get("status").asString()).isEqualTo("completed");
        assertThat(api.get("/api/v1/subjects/" + subject, writer).json().get("data")).isEmpty();
        assertThat(restrictions(subject)).filteredOn(by -> by != null && by.startsWith("restriction:")).hasSize(1);
        assertThat(api.getBytes("/api/v1/subjects/" + subject + "/documents/" + document, writer).statusCode())
                .as("a restricted document is stored, not served").isEqualTo(409);
        Api.Response overwrite = People.in("go", "service-delivery").email(email).data("user.name", "Bente Ny")
                .write(api, writer);
        assertThat(overwrite.status()).as("a restricted value is not changed while restricted").isEqualTo(409);
        assertThat(overwrite.json().get("title").asString()).isEqualTo("Restricted");

        requests.fileForStaff(agent, "access", email);
        String link = Mailbox.packageLink(mailbox.lastTo(email));
        assertThat(Requests.unzip(api.getBytes(link, null).body()).get("data.json"))
                .as("Art. 15 covers restricted data too, marked as such").contains("Bente Begrens", "\"restriction\"");
    }

    @Test
    void aPortabilityPackageHoldsWhatThePersonProvidedAsJsonAndCsv() throws Exception {
        String email = unique("flytt");
        String writer = tokens.issue("go", "subjects:write");
        People.in("go", "service-delivery").email(email).data("user.name", "Frida Flytt").write(api, writer);
        People.in("go", "fraud-prevention").email(email).data("user.device.ip_address", "10.1.2.3").write(api, writer);

        requests.fileForStaff(agent, "portability", email);

        String link = Mailbox.packageLink(mailbox.lastTo(email));
        Map<String, String> entries = Requests.unzip(api.getBytes(link, null).body());
        assertThat(entries.keySet()).contains("data.json", "data.csv", "report.html");
        assertThat(entries.get("data.csv")).contains("\"user.name\",\"Frida Flytt\",\"go\",\"service-delivery\"")
                .as("legitimate interests is not portable").doesNotContain("10.1.2.3");
    }

    @Test
    void badInputIsAProblemAndChangesNothing() {
        long before = jdbc.sql("SELECT COUNT(*) FROM data_request").query(Long.class).single();
        assertThat(requests.file("delete-everything", unique("x")).status()).isEqualTo(422);
        assertThat(requests.file("access", "not-an-email").status()).isEqualTo(422);
        assertThat(api.post("/api/v1/public/requests", null, Json.object("type", "access")).status()).isEqualTo(422);
        assertThat(api.post("/api/v1/requests", agent, Json.object("type", "access", "email", "a@example.no",
                "channel", "x y", "verifiedBy", "id")).status()).isEqualTo(422);
        assertThat(api.post("/api/v1/requests", agent, Json.object("type", "access", "email", "a@example.no",
                "channel", "customer-center")).status()).isEqualTo(422);
        assertThat(api.post("/api/v1/requests", agent, Json.object("type", "access", "subjectId", UUID.randomUUID(),
                "channel", "customer-center", "verifiedBy", "agent 7")).status()).isEqualTo(404);
        assertThat(api.get("/api/v1/requests/" + UUID.randomUUID(), agent).status()).isEqualTo(404);
        assertThat(api.get("/api/v1/requests/not-a-uuid", agent).status()).isEqualTo(400);
        assertThat(api.get("/api/v1/requests?status=whatever", agent).status()).isEqualTo(422);
        assertThat(requests.verify(UUID.randomUUID().toString(), "123456").status()).isEqualTo(404);
        assertThat(api.get("/api/v1/requests", null).status()).isEqualTo(401);
        assertThat(jdbc.sql("SELECT COUNT(*) FROM data_request").query(Long.class).single()).isEqualTo(before);
    }

    @Test
    void everyInvalidFieldOfARequestIsNamedAtOnce() {
        long before = jdbc.sql("SELECT COUNT(*) FROM data_request").query(Long.class).single();
        Api.Response publicRequest = api.post("/api/v1/public/requests", null, Json.object("type", "everything",
                "email", "(1)someone@example.no", "message", "x".repeat(5001)));
        assertThat(publicRequest.status()).isEqualTo(422);
        assertThat(publicRequest.errorFields()).containsExactly("type", "email", "message");
        Api.Response staffRequest = api.post("/api/v1/requests", agent,
                Json.object("type", "everything", "channel", "X Y"));
        assertThat(staffRequest.errorFields()).containsExactly("type", "email", "channel", "verifiedBy");
        assertThat(jdbc.sql("SELECT COUNT(*) FROM data_request").query(Long.class).single()).isEqualTo(before);
    }

    @Test
    void unverifiedRequestsInSomeonesNameDoNotBlockTheirOwn() throws Exception {
        String email = unique("blokk");
        for (int i = 0; i < 8; i++) {
            assertThat(requests.file("erasure", email, "203.0.113.7").status()).as("junk filed by a stranger")
                    .isEqualTo(202);
        }
        String id = requests.file("access", email, "198.51.100.20").json().get("id").asString();
        Api.Response verified = requests.verify(id, Mailbox.code(mailbox.lastTo(email)));
        assertThat(verified.status()).as("the person's own request is not blocked by the junk").isEqualTo(200);
        assertThat(verified.json().get("status").asString()).isIn("open", "in_progress", "completed");
    }

    @Test
    void aFloodOfRequestsForOneAddressMailsOnlyAFewCodesAndIsAnsweredAsAlways() {
        String email = unique("bombe");
        mailbox.clear();
        for (int i = 0; i < 7; i++) {
            Api.Response flooded = requests.file("access", email, "203.0.113.8");
            assertThat(flooded.status()).isEqualTo(202);
            assertThat(flooded.json().get("status").asString()).isEqualTo("unverified");
        }
        assertThat(mailbox.recipients().filter(email::equals))
                .as("three code mails an hour prompted by one client").hasSize(3);
        for (int client = 1; client <= 8; client++) {
            for (int i = 0; i < 3; i++) {
                assertThat(requests.file("access", email, "198.51.100." + client).status()).isEqualTo(202);
            }
        }
        assertThat(mailbox.recipients().filter(email::equals))
                .as("twenty a day in all, whoever asks").hasSize(20);
    }

    @Test
    void aCodeThatWasNotMailedCannotVerifyAnything() throws Exception {
        String email = unique("ukjentkode");
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            ids.add(requests.file("erasure", email, "203.0.113.9").json().get("id").asString());
        }
        // Three were mailed; the fourth and fifth were answered alike but their codes went nowhere.
        for (String id : ids.subList(3, 5)) {
            assertThat(jdbc.sql("SELECT code_hash FROM data_request WHERE id = :id").param("id", UUID.fromString(id))
                    .query(String.class).optional().orElse(null))
                    .as("no code is held that nobody was sent").isNull();
            Api.Response guessed = requests.verify(id, Mailbox.code(mailbox.lastTo(email)));
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
            String id = requests.file(type.equals("erasure") ? "rectification" : type, email, "198.51.100." + ++client)
                    .json().get("id").asString();
            assertThat(requests.verify(id, Mailbox.code(mailbox.lastTo(email))).status()).isEqualTo(200);
        }
        String sixth = requests.file("portability", email, "198.51.100." + ++client).json().get("id").asString();
        Api.Response refused = requests.verify(sixth, Mailbox.code(mailbox.lastTo(email)));
        assertThat(refused.status()).isEqualTo(429);
        assertThat(refused.contentType()).startsWith("application/problem+json");
        assertThat(refused.json().get("detail").asString()).contains("Manifestly excessive", "Art. 12(5)");

        // Art. 12(5): recorded as refused, with its reason, for staff to see; the person is told why.
        JsonNode recorded = api.get("/api/v1/requests/" + sixth, agent).json();
        assertThat(recorded.get("status").asString()).isEqualTo("rejected");
        assertThat(recorded.get("outcome").asString()).startsWith("Manifestly excessive (GDPR Art. 12(5))");
        assertThat(api.get("/api/v1/requests?status=rejected&limit=1000", agent).json().get("items")
                .findValuesAsString("id")).contains(sixth);
        assertThat(Mailbox.text(mailbox.lastTo(email))).contains("Manifestly excessive", "klage til Datatilsynet",
                "domstolene");

        // At most one refusal per person and hour: the next excess is only answered, and nobody is mailed.
        String seventh = requests.file("portability", email, "198.51.100." + ++client).json().get("id").asString();
        long mails = mailbox.recipients().filter(email::equals).count();
        Api.Response again = requests.verify(seventh, Mailbox.code(mailbox.lastTo(email)));
        assertThat(again.status()).isEqualTo(429);
        assertThat(api.get("/api/v1/requests/" + seventh, agent).json().get("status").asString())
                .isEqualTo("unverified");
        assertThat(mailbox.recipients().filter(email::equals).count()).isEqualTo(mails);
    }

    // ---- identities: nobody receives another person's data --------------------------------

    @Test
    void anAddressAStrangerTypedNextToSomeonesPhoneDoesNotOpenTheirData() throws Exception {
        String victim = unique("offer");
        String attacker = unique("angriper");
        String phone = "+47" + (40000000 + new java.util.Random().nextInt(9999999));
        String victimId = People.in("go", "service-delivery").email(victim).phone(phone).data("user.name", "Vera Offer")
                .data("user.contact.address", "Storgata 1, 0155 Oslo").create(api, Api.ADMIN_TOKEN);
        // A product forwards a form where someone typed their own address next to the victim's phone.
        Api.Response merged = People.in("go", "service-delivery").email(attacker).phone(phone)
                .write(api, Api.ADMIN_TOKEN);
        assertThat(merged.status()).isEqualTo(200);
        assertThat(merged.json().get("id").asString()).isEqualTo(victimId);
        JsonNode identities = api.get("/api/v1/subjects/" + victimId, Api.ADMIN_TOKEN).json().get("identities");
        assertThat(identities.get("email").asString()).isEqualTo(victim);
        assertThat(identities.get("unverified").toString()).contains(attacker);

        for (String type : new String[] {"access", "erasure"}) {
            mailbox.clear();
            String id = requests.file(type, attacker).json().get("id").asString();
            assertThat(mailbox.all()).as("the code goes only to the address the request came from")
                    .hasSize(1);
            assertThat(mailbox.all().get(0).getAllRecipients()[0].toString()).isEqualTo(attacker);
            Api.Response verified = requests.verify(id, Mailbox.code(mailbox.lastTo(attacker)));
            assertThat(verified.status()).isEqualTo(200);
            assertThat(verified.json().get("status").asString()).isEqualTo("open");

            JsonNode request = api.get("/api/v1/requests/" + id, agent).json();
            assertThat(request.get("status").asString()).as("nothing is done until staff confirm who this is")
                    .isEqualTo("open");
            assertThat(request.get("attention").asString()).contains("confirm who the person is");
            assertThat(request.get("systems")).isEmpty();
        }
        assertThat(mailbox.all().stream().map(Mailbox::text))
                .noneMatch(body -> body.contains("/package?token="));
        assertThat(jdbc.sql("SELECT COUNT(*) FROM data_request WHERE package_id IS NOT NULL AND subject_id = :s")
                .param("s", UUID.fromString(victimId)).query(Long.class).single()).isZero();
        assertThat(api.get("/api/v1/subjects/" + victimId, Api.ADMIN_TOKEN).status()).as("not erased").isEqualTo(200);
        assertThat(mailbox.recipients())
                .as("the victim is not mailed about a request they did not make").doesNotContain(victim);
    }

    @Test
    void confirmingASubscriptionProvesWhoHoldsAnAddressNotWhoseRecordItJoined() throws Exception {
        String victim = unique("offer2");
        String attacker = unique("angriper2");
        String phone = "+47" + (40000000 + new java.util.Random().nextInt(9999999));
        String victimId = People.in("go", "service-delivery").email(victim).phone(phone).create(api, Api.ADMIN_TOKEN);
        People.in("go", "service-delivery").email(attacker).phone(phone).write(api, Api.ADMIN_TOKEN);
        assertThat(api.post("/api/v1/public/subscriptions", null, Json.object("email", attacker, "list", "newsletter"))
                .status()).isEqualTo(202);
        String confirm = Mailbox.confirmLink(mailbox.lastTo(attacker));
        assertThat(api.send("POST", confirm, null,
                Map.of("Content-Type", "application/x-www-form-urlencoded"), "").status()).isEqualTo(200);

        String id = requests.file("access", attacker).json().get("id").asString();
        requests.verify(id, Mailbox.code(mailbox.lastTo(attacker)));
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
        People.in("go", "service-delivery").email(first).phone(phone).data("user.name", "Siri Sann")
                .write(api, Api.ADMIN_TOKEN);
        People.in("go", "service-delivery").email(second).phone(phone).verified("email", "phone")
                .write(api, Api.ADMIN_TOKEN);
        People.in("go", "service-delivery").email(third).phone(phone).write(api, Api.ADMIN_TOKEN);

        String vouched = requests.file("access", second).json().get("id").asString();
        String code = Mailbox.code(mailbox.lastTo(second));
        mailbox.clear();
        assertThat(requests.verify(vouched, code).status()).isEqualTo(200);
        await(() -> api.get("/api/v1/requests/" + vouched, agent).json().get("status").asString().equals("completed"));
        assertThat(mailbox.recipients())
                .as("receipt and package link go to the address the request came from, not the person's first")
                .isNotEmpty().allMatch(second::equals);

        String waiting = requests.file("portability", third).json().get("id").asString();
        requests.verify(waiting, Mailbox.code(mailbox.lastTo(third)));
        assertThat(api.get("/api/v1/requests/" + waiting, agent).json().get("status").asString()).isEqualTo("open");
        mailbox.clear();
        JsonNode confirmed = api.post("/api/v1/requests", agent, Json.object("type", "portability", "email", third,
                "channel", "phone", "verifiedBy", "agent 7: BankID, address confirmed")).json();
        assertThat(confirmed.get("id").asString()).as("the waiting request is the one carried out").isEqualTo(waiting);
        await(() -> api.get("/api/v1/requests/" + waiting, agent).json().get("status").asString().equals("completed"));
        assertThat(api.get("/api/v1/requests/" + waiting, agent).json().has("attention")).isFalse();
        assertThat(Mailbox.text(mailbox.lastTo(third))).contains("/package?token=");
    }

    @Test
    void aStrangersWaitingRequestIsNeitherThePersonsOwnNorCountedNorCarriedOutWhenStaffFileForThePerson()
            throws Exception {
        String victim = unique("eier");
        String attacker = unique("fremmed");
        String phone = "+47" + (40000000 + new java.util.Random().nextInt(9999999));
        String victimId = People.in("go", "service-delivery").email(victim).phone(phone).data("user.name", "Eva Eier")
                .create(api, Api.ADMIN_TOKEN);
        People.in("go", "service-delivery").email(attacker).phone(phone).write(api, Api.ADMIN_TOKEN);
        // The stranger verifies five requests from the address typed next to the victim's phone.
        String[] types = {"access", "erasure", "rectification", "restriction", "objection"};
        List<String> waiting = new ArrayList<>();
        int client = 0;
        for (String type : types) {
            String id = requests.file(type, attacker, "203.0.113." + ++client).json().get("id").asString();
            assertThat(requests.verify(id, Mailbox.code(mailbox.lastTo(attacker))).status()).isEqualTo(200);
            waiting.add(id);
        }

        // The person's own access request: neither refused for the stranger's five nor linked to theirs.
        String own = requests.file("access", victim, "198.51.100.30").json().get("id").asString();
        Api.Response verified = requests.verify(own, Mailbox.code(mailbox.lastTo(victim)));
        assertThat(verified.status()).as("the stranger's waiting requests do not count for the person").isEqualTo(200);
        await(() -> api.get("/api/v1/requests/" + own, agent).json().get("status").asString().equals("completed"));
        String link = Mailbox.packageLink(mailbox.lastTo(victim));
        String data = Requests.unzip(api.getBytes(link, null).body()).get("data.json");
        assertThat(data).contains(own);
        for (String id : waiting) {
            assertThat(data).as("a stranger's request is not listed as the person's").doesNotContain(id);
        }

        // Staff verify the person and file for them by id: the stranger's waiting request stays waiting.
        mailbox.clear();
        JsonNode filed = api.post("/api/v1/requests", agent, Json.object("type", "erasure", "subjectId", victimId,
                "channel", "phone", "verifiedBy", "agent 7: called the number on file")).json();
        assertThat(filed.get("id").asString()).as("a request of the person's own").isNotEqualTo(waiting.get(1));
        JsonNode strangers = api.get("/api/v1/requests/" + waiting.get(1), agent).json();
        assertThat(strangers.get("status").asString()).isEqualTo("open");
        assertThat(strangers.get("attention").asString()).contains("confirm who the person is");
        assertThat(mailbox.recipients())
                .as("nothing about the person goes to the stranger").doesNotContain(attacker);
    }

    @Test
    void anAddressWithACommentIsRefusedRatherThanTakenForANewPerson() {
        String victim = unique("kommentar");
        requests.fileForStaff(agent, "access", victim);
        long people = jdbc.sql("SELECT COUNT(*) FROM subject").query(Long.class).single();
        for (String hostile : new String[] {"(1)" + victim, "\"x\"@example.no", "Kari <" + victim + ">",
                victim + "(x)"}) {
            Api.Response refused = requests.file("access", hostile);
            assertThat(refused.status()).as(hostile).isEqualTo(422);
            assertThat(refused.body()).contains("email");
        }
        assertThat(jdbc.sql("SELECT COUNT(*) FROM subject").query(Long.class).single()).isEqualTo(people);
    }

    private static void await(java.util.function.BooleanSupplier condition) {
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(20)).until(condition::getAsBoolean);
    }

    /** Why each value the vault holds for a living person is restricted (null: not restricted). */
    private List<String> restrictions(String subject) {
        return vault.readForAccess(UUID.fromString(subject)).data().stream().map(SubjectView.StoredValue::restriction)
                .toList();
    }

    private static String unique(String name) {
        return name.replace("å", "a") + "-" + UUID.randomUUID().toString().substring(0, 8) + "@example.no";
    }
}
