package no.personvern.subjects;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import no.personvern.testing.Api;
import no.personvern.testing.DatabaseTest;
import no.personvern.testing.Json;
import no.personvern.testing.Mailbox;
import no.personvern.testing.MutableClock;
import no.personvern.testing.Multipart;
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

/**
 * Art. 17(3), 18: what is kept only for one purpose is read by the DPO alone, with a recorded
 * reason; a restriction covers the person's identities; lifting it tells the person first.
 */
@DatabaseTest
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
        properties = {"personvern.requests.per-client-per-hour=1000", "personvern.mail.poll-interval=PT0.1S",
                "personvern.mail.retry.initial-delay=PT0S", "personvern.mail.max-attempts=100000"})
class RestrictedDataTests {

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
            return new MutableClock(Instant.parse("2026-03-02T10:00:00Z"));
        }
    }

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    Vault vault;

    @Autowired
    MutableClock clock;

    Api api;
    Mailbox mailbox;
    Requests requests;
    String agent;

    @BeforeEach
    void setUp() {
        api = new Api(port);
        mailbox = Mailbox.of(MAIL, jdbc);
        requests = new Requests(api, mailbox);
        agent = new Tokens(api).issue("kundesenter", "requests:manage");
    }

    @Test
    void restrictedValuesAreReadByTheAdminAloneAndOnlyWithAReasonThatIsAudited() {
        String email = unique("sperret");
        String subject = People.in("go", "service-delivery").email(email).data("user.name", "Rita Restriksjon")
                .create(api, Api.ADMIN_TOKEN);
        assertThat(requests.fileForStaff(agent, "restriction", email).json().get("status").asString())
                .isEqualTo("completed");
        String reader = new Tokens(api).issue("lesing", "subjects:read", "requests:manage", "audit:read");

        Api.Response withoutReason = api.get("/api/v1/subjects/" + subject + "/restricted", Api.ADMIN_TOKEN);
        assertThat(withoutReason.status()).isEqualTo(422);
        assertThat(withoutReason.body()).contains("reason");
        assertThat(api.get("/api/v1/subjects/" + subject + "/restricted?reason=curious", reader).status())
                .as("subjects:read is not enough").isEqualTo(403);
        JsonNode ordinary = api.get("/api/v1/subjects/" + subject, reader).json();
        assertThat(ordinary.toString()).as("an ordinary read shows neither values nor identities")
                .doesNotContain("Rita Restriksjon", email);
        assertThat(api.get("/api/v1/subjects?email=" + email, reader).json().get("items")).isEmpty();
        Api.Response merged = People.in("go", "service-delivery").email(email).data("user.contact.phone_number",
                "91234567").write(api, Api.ADMIN_TOKEN);
        assertThat(merged.status()).as("nothing new is collected about a restricted person").isEqualTo(409);

        Api.Response read = api.get("/api/v1/subjects/" + subject + "/restricted?reason=legal%20claim%2026-1",
                Api.ADMIN_TOKEN);

        assertThat(read.status()).isEqualTo(200);
        JsonNode item = read.json().get("items").get(0);
        assertThat(item.get("category").asString()).isEqualTo("user.name");
        assertThat(item.get("value").asString()).isEqualTo("Rita Restriksjon");
        assertThat(item.get("heldBy").get("kind").asString()).isEqualTo("restriction");
        await().atMost(Duration.ofSeconds(20)).until(() -> jdbc.sql("SELECT * FROM audit_entry WHERE action ="
                + " 'subject.restricted-read'").query().listOfRows().toString().contains("legal claim 26-1"));
        String trail = jdbc.sql("SELECT * FROM audit_entry WHERE action = 'subject.restricted-read'").query()
                .listOfRows().toString();
        assertThat(trail).contains("legal claim 26-1").doesNotContain("Rita Restriksjon", email);
    }

    @Test
    void anErasedPersonsBookkeepingRecordsAreReadForATaxAuditAndForNothingElse() {
        String email = unique("revisjon");
        String subject = People.in("go", "own-bookkeeping").email(email).data("user.name", "Bjarne Bokført")
                .data("user.contact.address", "Kaigata 4").create(api, Api.ADMIN_TOKEN);
        assertThat(requests.fileForStaff(agent, "erasure", email).json().get("status").asString())
                .isEqualTo("completed");
        assertThat(api.get("/api/v1/subjects/" + subject, Api.ADMIN_TOKEN).status()).isEqualTo(410);

        JsonNode items = api.get("/api/v1/subjects/" + subject + "/restricted?reason=tax%20audit", Api.ADMIN_TOKEN)
                .json().get("items");

        assertThat(items.toString()).contains("Bjarne Bokført", "Kaigata 4", "\"kind\":\"retention-exception\"",
                "\"key\":\"bookkeeping\"");
        assertThat(items.get(0).get("heldBy").get("until").asString()).as("five years after the end of the financial year, Norwegian time").isEqualTo("2031-12-31T23:00:00Z");
        assertThat(api.get("/api/v1/subjects/" + UUID.randomUUID() + "/restricted?reason=x", Api.ADMIN_TOKEN)
                .status()).isEqualTo(404);
    }

    @Test
    void theLiftIsMailedToThePersonBeforeTheRestrictionEnds() {
        String email = unique("oppheves");
        String subject = People.in("go", "service-delivery").email(email).data("user.name", "Lise Løftet")
                .create(api, Api.ADMIN_TOKEN);
        assertThat(api.post("/api/v1/subjects/" + subject + "/restriction/lift", Api.ADMIN_TOKEN,
                Json.object("reason", "x")).status()).as("nothing restricted yet").isEqualTo(409);
        String request = api.post("/api/v1/public/requests", null,
                Json.object("type", "restriction", "email", email, "lang", "en")).json().get("id").asString();
        assertThat(requests.verify(request, requests.mailedCode(email)).status()).isEqualTo(200);
        assertThat(api.post("/api/v1/subjects/" + subject + "/restriction/lift", Api.ADMIN_TOKEN, "{}").status())
                .as("the reason is required").isEqualTo(422);
        assertThat(api.post("/api/v1/subjects/" + subject + "/restriction/lift",
                new Tokens(api).issue("kundesenter-2", "requests:manage", "subjects:write"),
                Json.object("reason", "x")).status()).isEqualTo(403);

        MAIL.stop();
        try {
            Api.Response lift = api.post("/api/v1/subjects/" + subject + "/restriction/lift", Api.ADMIN_TOKEN,
                    Json.object("reason", "The dispute over your address is settled."));
            assertThat(lift.status()).as(lift.body()).isEqualTo(200);
            assertThat(lift.json().get("status").asString()).isEqualTo("telling-the-person");
            await().atMost(Duration.ofSeconds(20)).until(() -> jdbc.sql("SELECT COUNT(*) FROM mail_outbox WHERE"
                    + " reference LIKE 'restriction-lift:%' AND attempts >= 2").query(Long.class).single() > 0);
            assertThat(api.get("/api/v1/subjects/" + subject, Api.ADMIN_TOKEN).json().get("data"))
                    .as("still restricted while the person has not been told").isEmpty();
        } finally {
            MAIL.start();
        }

        await().atMost(Duration.ofSeconds(20)).until(() -> !api.get("/api/v1/subjects/" + subject, Api.ADMIN_TOKEN)
                .json().get("data").isEmpty());
        // The request's own completion letter may come before or after: the lift letter is the one that says why.
        mailbox.lastTo(email);
        String told = mailbox.all().stream().filter(mail -> Mailbox.recipients(mail).anyMatch(email::equals))
                .map(Mailbox::text).filter(text -> text.contains("Art. 18(3)")).findFirst().orElse("");
        assertThat(told).contains("The dispute over your address is settled.", "Art. 18(3)", "Datatilsynet");
        assertThat(api.get("/api/v1/subjects/" + subject + "/restricted?reason=check", Api.ADMIN_TOKEN).json()
                .get("items")).isEmpty();
    }

    @Test
    void aRestrictedSubscriberIsLeftOutOfTheListUntilTheRestrictionIsLifted() throws Exception {
        String email = unique("liste");
        api.post("/api/v1/public/subscriptions", null, Json.object("email", email, "list", "newsletter"));
        api.send("POST", Mailbox.confirmLink(mailbox.lastTo(email)), null,
                java.util.Map.of("Content-Type", "application/x-www-form-urlencoded"), "");
        assertThat(recipients()).contains(email);
        String subject = api.get("/api/v1/subjects?email=" + email, Api.ADMIN_TOKEN).json().get("items").get(0)
                .get("id").asString();

        requests.fileForStaff(agent, "restriction", email);

        assertThat(recipients()).as("restricted: not used for the newsletter").doesNotContain(email);
        api.post("/api/v1/subjects/" + subject + "/restriction/lift", Api.ADMIN_TOKEN, Json.object("reason", "settled"));
        await().atMost(Duration.ofSeconds(20)).until(() -> recipients().contains(email));
    }

    @Test
    void aRestrictedPersonGetsNoNewDocumentsAndTheirDocumentsAreNotServed() {
        String email = unique("dokument");
        String subject = People.in("go-mobile", "service-delivery").email(email).data("user.name", "Dina Dokument")
                .create(api, Api.ADMIN_TOKEN);
        String documents = "/api/v1/subjects/" + subject + "/documents";
        String before = upload(documents).json().get("id").asString();
        requests.fileForStaff(agent, "restriction", email);

        Api.Response after = upload(documents);

        assertThat(after.status()).as(after.body()).isEqualTo(409);
        assertThat(after.body()).contains("Restricted");
        assertThat(jdbc.sql("SELECT COUNT(*) FROM subject_document WHERE subject_id = '" + subject + "'")
                .query(Long.class).single()).as("nothing new stored").isEqualTo(1);
        assertThat(api.getBytes(documents + "/" + before, Api.ADMIN_TOKEN).statusCode()).isEqualTo(409);
    }

    @Test
    void anUpheldObjectionStopsTheActivitysDocumentsAndRefusesNewOnes() {
        String subject = People.in("go-mobile", "service-delivery").email(unique("innsigelse"))
                .data("user.name", "Olav Objeksjon").create(api, Api.ADMIN_TOKEN);
        String documents = "/api/v1/subjects/" + subject + "/documents";
        String before = upload(documents).json().get("id").asString();
        String activity = jdbc.sql("SELECT activity_key FROM subject_document WHERE id = '" + before + "'")
                .query(String.class).single();

        vault.stopActivity(UUID.fromString(subject), activity, new Hold.Reason.Objection(UUID.randomUUID()));

        assertThat(api.getBytes(documents + "/" + before, Api.ADMIN_TOKEN).statusCode())
                .as("the activity's documents are restricted too").isEqualTo(409);
        Api.Response after = upload(documents);
        assertThat(after.status()).as(after.body()).isEqualTo(409);
        assertThat(after.body()).contains("Objected");
        assertThat(jdbc.sql("SELECT COUNT(*) FROM subject_document WHERE subject_id = '" + subject + "'")
                .query(Long.class).single()).isEqualTo(1);
    }

    @Test
    void twoLiftsAtOnceTellThePersonOnceAndASecondLiftWhileOneIsPendingIsAConflict() throws Exception {
        String email = unique("samtidig");
        String subject = People.in("go", "service-delivery").email(email).data("user.name", "Sam Tidig")
                .create(api, Api.ADMIN_TOKEN);
        requests.fileForStaff(agent, "restriction", email);
        String lift = "/api/v1/subjects/" + subject + "/restriction/lift";
        java.util.concurrent.CyclicBarrier start = new java.util.concurrent.CyclicBarrier(2);
        java.util.concurrent.Callable<Integer> lifting = () -> {
            start.await();
            return api.post(lift, Api.ADMIN_TOKEN, Json.object("reason", "Saken er avgjort.")).status();
        };
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(2);
        try {
            var first = pool.submit(lifting);
            var second = pool.submit(lifting);
            assertThat(java.util.List.of(first.get(), second.get())).containsExactlyInAnyOrder(200, 409);
        } finally {
            pool.shutdown();
        }

        assertThat(jdbc.sql("SELECT COUNT(*) FROM mail_outbox WHERE subject_id = '" + subject
                + "' AND reference LIKE 'restriction-lift:%'").query(Long.class).single()).isEqualTo(1);
        await().atMost(Duration.ofSeconds(20)).until(() -> !api.get("/api/v1/subjects/" + subject, Api.ADMIN_TOKEN)
                .json().get("data").isEmpty());
        assertThat(api.post(lift, Api.ADMIN_TOKEN, Json.object("reason", "igjen")).status())
                .as("lifted: nothing restricted, never a 500").isEqualTo(409);
        assertThat(jdbc.sql("SELECT details FROM audit_entry WHERE action LIKE 'subject.restriction-lift%'")
                .query(String.class).list().toString()).as("ids only in the audit trail")
                .doesNotContain("Saken er avgjort.");
    }

    @Test
    void aRestrictionRequestedAfterTheLiftDecisionIsNotLiftedByIt() {
        String email = unique("ny-sperre");
        String subject = People.in("go", "service-delivery").email(email).data("user.name", "Nils Nysperre")
                .create(api, Api.ADMIN_TOKEN);
        requests.fileForStaff(agent, "restriction", email);
        MAIL.stop();
        try {
            assertThat(api.post("/api/v1/subjects/" + subject + "/restriction/lift", Api.ADMIN_TOKEN,
                    Json.object("reason", "avgjort")).status()).isEqualTo(200);
            requests.fileForStaff(agent, "restriction", email);
        } finally {
            MAIL.start();
        }

        await().atMost(Duration.ofSeconds(20)).until(() -> jdbc.sql("SELECT COUNT(*) FROM restriction_lift WHERE"
                + " subject_id = '" + subject + "' AND lifted_at IS NOT NULL").query(Long.class).single() > 0);
        assertThat(api.get("/api/v1/subjects/" + subject, Api.ADMIN_TOKEN).json().get("data"))
                .as("the later request keeps the person restricted").isEmpty();
        assertThat(vault.isRestricted(UUID.fromString(subject))).isTrue();
    }

    @Test
    void aPersonRestrictedBeforeTheWholePersonWasRestrictedIsRestrictedByTheUpgrade() throws Exception {
        String email = unique("gammel");
        String subject = People.in("go", "service-delivery").email(email).data("user.name", "Gunnar Gammel")
                .create(api, Api.ADMIN_TOKEN);
        requests.fileForStaff(agent, "restriction", email);
        jdbc.sql("UPDATE subject SET restricted_by = NULL WHERE id = '" + subject + "'").update();
        assertThat(vault.isRestricted(UUID.fromString(subject))).as("as V28 left it").isFalse();

        String migration = new String(getClass().getResourceAsStream(
                "/db/migration/V32__restriction_upgrade_and_lift_once.sql").readAllBytes(),
                java.nio.charset.StandardCharsets.UTF_8);
        String backfill = migration.lines().filter(line -> !line.startsWith("--"))
                .collect(java.util.stream.Collectors.joining("\n")).split(";")[0];
        jdbc.sql(backfill).update();

        assertThat(vault.isRestricted(UUID.fromString(subject))).isTrue();
        assertThat(api.get("/api/v1/subjects?email=" + email, Api.ADMIN_TOKEN).json().get("items"))
                .as("not found by ordinary look-ups").isEmpty();
    }

    @Test
    void theDposReasonForALiftGoesWhenThePersonIsErased() {
        String email = unique("glemt");
        String subject = People.in("go", "service-delivery").email(email).data("user.name", "Gro Glemt")
                .create(api, Api.ADMIN_TOKEN);
        requests.fileForStaff(agent, "restriction", email);
        assertThat(api.post("/api/v1/subjects/" + subject + "/restriction/lift", Api.ADMIN_TOKEN,
                Json.object("reason", "Tvisten om adressen til Gro er avgjort.")).status()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(20)).until(() -> !api.get("/api/v1/subjects/" + subject, Api.ADMIN_TOKEN)
                .json().get("data").isEmpty());

        assertThat(requests.fileForStaff(agent, "erasure", email).json().get("status").asString())
                .isEqualTo("completed");

        await().atMost(Duration.ofSeconds(20)).until(() -> jdbc.sql("SELECT reason FROM restriction_lift WHERE"
                + " subject_id = '" + subject + "'").query(String.class).single().isEmpty());
    }

    private Api.Response upload(String documents) {
        return api.postMultipart(documents, Api.ADMIN_TOKEN, new Multipart().field("kind", "voucher")
                .field("system", "go-mobile").file("file", "bilag.pdf", "application/pdf", new byte[] {1, 2, 3}));
    }

    private String recipients() {
        return api.get("/api/v1/subscriptions/newsletter/recipients?limit=500", Api.ADMIN_TOKEN).body();
    }

    private static String unique(String name) {
        return name + "-" + UUID.randomUUID().toString().substring(0, 8) + "@example.no";
    }
}
