package no.personvern.requests;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import jakarta.mail.internet.MimeMessage;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.UUID;
import no.personvern.subjects.SubjectView;
import no.personvern.subjects.Vault;
import no.personvern.testing.Api;
import no.personvern.testing.DatabaseTest;
import no.personvern.testing.Json;
import no.personvern.testing.Mailbox;
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

/**
 * What a request carries and what it sets off, on the example catalog: the person's message (kept
 * in the vault), the DPO's decisions on an objection per activity (Art. 21(1)), and the deadline
 * reminders and overdue list (Art. 12(3)); through HTTP with real SMTP (GreenMail).
 */
@DatabaseTest
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
        properties = {"personvern.requests.per-client-per-hour=20", "personvern.mail.poll-interval=PT0.1S",
                "personvern.trusted-proxies=127.0.0.1/32,::1/128",
                "personvern.mail.retry.initial-delay=PT0S", "personvern.mail.max-attempts=100000"})
class RequestObligationsTests {

    static final Instant START = Instant.parse("2026-03-02T09:00:00Z");

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
            return new MutableClock(START);
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
    List<no.personvern.retention.RetentionParticipant> participants;

    @Autowired
    Vault vault;

    @Autowired
    no.personvern.catalog.Catalog catalog;

    Api api;
    Tokens tokens;
    Mailbox mailbox;
    Requests requests;
    String agent;

    @BeforeEach
    void setUp() {
        // The clock only moves forward here: the mail outbox holds what was queued at a later time.
        api = new Api(port);
        tokens = new Tokens(api);
        mailbox = Mailbox.of(MAIL, jdbc);
        requests = new Requests(api, mailbox);
        agent = tokens.issue("saksbehandler", "requests:manage");
    }

    // ---- the message ------------------------------------------------------------------------

    @Test
    void whatThePersonWroteIsKeptEncryptedInTheVaultShownToStaffAndEachReadAudited() {
        String email = unique("melding");
        String marker = "Etternavnet mitt er feil, det skal være Ås " + UUID.randomUUID();
        Api.Response filed = api.post("/api/v1/public/requests", null,
                Json.object("type", "rectification", "email", email, "message", marker));
        assertThat(filed.status()).as(filed.body()).isEqualTo(202);
        String id = filed.json().get("id").asString();
        assertThat(requests.verify(id, requests.mailedCode(email)).status()).isEqualTo(200);

        JsonNode shown = api.get("/api/v1/requests/" + id, agent).json();

        assertThat(shown.get("message").asString()).isEqualTo(marker);
        assertThat(api.get("/api/v1/requests?limit=1000", agent).body()).as("lists do not decrypt")
                .doesNotContain(marker);
        assertThat(jdbc.sql("SELECT * FROM data_request WHERE id = :id").param("id", UUID.fromString(id)).query()
                .listOfRows().toString()).as("never in the requests table in clear").doesNotContain(marker);
        byte[] sealed = jdbc.sql("SELECT n.ciphertext FROM subject_note n JOIN data_request r ON r.message_note = n.id"
                + " WHERE r.id = :id").param("id", UUID.fromString(id)).query(byte[].class).single();
        assertThat(new String(sealed, StandardCharsets.ISO_8859_1)).doesNotContain("Etternavnet");
        assertThat(jdbc.sql("SELECT category, activity_key FROM subject_note n JOIN data_request r"
                + " ON r.message_note = n.id WHERE r.id = :id").param("id", UUID.fromString(id)).query().singleRow())
                .containsValues("user.content.private", "privacy-requests");
        api.get("/api/v1/requests/" + id, agent);
        await(() -> jdbc.sql("SELECT COUNT(*) FROM audit_entry WHERE action = 'subject.note-read'")
                .query(Long.class).single() >= 2);
        String trail = jdbc.sql("SELECT action, details FROM audit_entry").query().listOfRows().toString()
                + jdbc.sql("SELECT * FROM audit_pending").query().listOfRows()
                + jdbc.sql("SELECT serialized_event FROM event_publication").query(String.class).list();
        assertThat(trail).as("neither events nor the audit trail carry the text").doesNotContain(marker, email);
    }

    @Test
    void anOversizedMessageIsRefusedNamingTheFieldAndNothingIsStored() {
        long requestsBefore = count("data_request");
        long notesBefore = count("subject_note");
        String tooLong = "x".repeat(4001);

        Api.Response publicly = api.post("/api/v1/public/requests", null,
                Json.object("type", "rectification", "email", unique("lang"), "message", tooLong));
        Api.Response byStaff = api.post("/api/v1/requests", agent, Json.object("type", "rectification", "email",
                unique("lang"), "channel", "phone", "verifiedBy", "agent 7: BankID", "message", tooLong));

        for (Api.Response refused : List.of(publicly, byStaff)) {
            assertThat(refused.status()).as(refused.body()).isEqualTo(422);
            assertThat(refused.contentType()).startsWith("application/problem+json");
            assertThat(refused.json().get("errors").findValuesAsString("field")).containsExactly("message");
        }
        assertThat(count("data_request")).isEqualTo(requestsBefore);
        assertThat(count("subject_note")).isEqualTo(notesBefore);
        Api.Response atTheLimit = api.post("/api/v1/public/requests", null,
                Json.object("type", "rectification", "email", unique("lang"), "message", "æ".repeat(4000)));
        assertThat(atTheLimit.status()).as("4000 characters fit within the public body limit").isEqualTo(202);
    }

    @Test
    void erasingThePersonMakesWhatTheyWroteUnreadable() {
        String email = unique("glemt");
        People.in("go", "service-delivery").email(email).data("user.name", "Gunn Glemt").create(api, Api.ADMIN_TOKEN);
        String rectification = api.post("/api/v1/requests", agent, Json.object("type", "rectification", "email", email,
                "channel", "phone", "verifiedBy", "agent 7: BankID", "message", "Navnet mitt er Gunn Glemt-Hansen"))
                .json().get("id").asString();
        assertThat(api.get("/api/v1/requests/" + rectification, agent).json().get("message").asString())
                .contains("Glemt-Hansen");

        assertThat(requests.fileForStaff(agent, "erasure", email).json().get("status").asString())
                .isEqualTo("completed");

        JsonNode after = api.get("/api/v1/requests/" + rectification, agent).json();
        assertThat(after.get("status").asString()).isNotBlank();
        assertThat(after.has("message")).as("the note was under the person's destroyed key").isFalse();
    }

    @Test
    void theMessageOfARequestNobodyVerifiedGoesWhenTheRequestExpires() {
        String id = api.post("/api/v1/public/requests", null, Json.object("type", "rectification", "email",
                unique("aldri"), "message", "Skrevet av noen som aldri bekreftet")).json().get("id").asString();
        UUID note = jdbc.sql("SELECT message_note FROM data_request WHERE id = :id").param("id", UUID.fromString(id))
                .query(UUID.class).single();
        assertThat(count("subject_note WHERE id = '" + note + "'")).isEqualTo(1);

        clock.advance(Duration.ofDays(8));
        desk.expireUnverified();

        assertThat(api.get("/api/v1/requests/" + id, agent).json().get("status").asString()).isEqualTo("expired");
        assertThat(count("subject_note WHERE id = '" + note + "'")).isZero();
    }

    @Test
    void messagesGoWhenTheRetentionOfTheActivityForRequestsHasRunOut() {
        String email = unique("gammel");
        People.in("go", "service-delivery").email(email).data("user.name", "Gerd Gammel").create(api, Api.ADMIN_TOKEN);
        String id = api.post("/api/v1/requests", agent, Json.object("type", "rectification", "email", email,
                "channel", "phone", "verifiedBy", "agent 7: BankID", "message", "Rett navnet mitt")).json().get("id")
                .asString();
        UUID note = jdbc.sql("SELECT message_note FROM data_request WHERE id = :id").param("id", UUID.fromString(id))
                .query(UUID.class).single();
        // The example keeps what it holds for handling requests for three years from collection.
        Instant expiry = clock.instant().atZone(ZoneId.of("UTC")).plusYears(3).plusDays(1).toInstant();

        JsonNode dryRun = retentionRun(Json.object("dryRun", true, "asOf", expiry.toString()));
        assertThat(dryRun.get("deleted").get("request-messages").asLong()).isPositive();
        assertThat(count("subject_note WHERE id = '" + note + "'")).as("a dry run deletes nothing").isEqualTo(1);

        clock.set(expiry);
        retentionRun(Json.object("dryRun", false));
        assertThat(count("subject_note WHERE id = '" + note + "'")).isZero();
        assertThat(api.get("/api/v1/requests/" + id, agent).json().has("message")).isFalse();
    }

    @Test
    void expiredMessagesAreDeletedInTheDatabaseInBatchesOfTheSweepsLimit() {
        java.util.List<UUID> notes = new java.util.ArrayList<>();
        for (int i = 0; i < 3; i++) {
            String email = unique("mange");
            People.in("go", "service-delivery").email(email).data("user.name", "Mona Mange")
                    .create(api, Api.ADMIN_TOKEN);
            String id = api.post("/api/v1/requests", agent, Json.object("type", "rectification", "email", email,
                    "channel", "phone", "verifiedBy", "agent 7: BankID", "message", "Melding " + i)).json().get("id")
                    .asString();
            notes.add(jdbc.sql("SELECT message_note FROM data_request WHERE id = :id")
                    .param("id", UUID.fromString(id)).query(UUID.class).single());
        }
        var handling = catalog.activityFor(no.personvern.catalog.OwnProcessing.DATA_SUBJECT_REQUESTS).orElseThrow();
        Instant expiry = handling.retention().after().addTo(clock.instant()).plusSeconds(1);
        long before = count("subject_note");

        int first = vault.expireNotes(handling.key(), handling.retention().after(), expiry, false, 2);

        assertThat(first).as("one batch, no more than the limit").isEqualTo(2);
        assertThat(count("subject_note")).isEqualTo(before - 2);
        while (vault.expireNotes(handling.key(), handling.retention().after(), expiry, false, 2) == 2) {
            // the sweep calls again while a batch was full
        }
        assertThat(count("subject_note WHERE id IN ('" + notes.get(0) + "', '" + notes.get(1) + "', '"
                + notes.get(2) + "')")).isZero();
    }

    @Test
    void aRequestNobodyVerifiedIsNoActivityOfThePersonAndHoldsNobody() {
        String email = unique("fremmed");
        UUID subject = UUID.fromString(People.in("go", "service-delivery").email(email).data("user.name", "Frida Fremmed")
                .create(api, Api.ADMIN_TOKEN));
        Instant before = clock.instant().minusSeconds(1);
        String id = api.post("/api/v1/public/requests", null, Json.object("type", "rectification", "email", email))
                .json().get("id").asString();
        java.util.Set<UUID> people = java.util.Set.of(subject);

        assertThat(participants.stream().flatMap(p -> p.activeSince(people, before).stream()).toList())
                .as("a stranger filing with the address is no activity of the person").isEmpty();
        assertThat(participants.stream().flatMap(p -> p.holding(people).stream()).toList())
                .as("and does not keep the person").isEmpty();

        assertThat(requests.verify(id, requests.mailedCode(email)).status()).isEqualTo(200);
        assertThat(participants.stream().flatMap(p -> p.activeSince(people, before).stream()).toList())
                .as("verified, it is the person's").containsExactly(subject);
    }

    private JsonNode retentionRun(String body) {
        Api.Response started = api.post("/api/v1/retention/runs", Api.ADMIN_TOKEN, body);
        assertThat(started.status()).as(started.body()).isEqualTo(202);
        String run = started.json().get("id").asString();
        await(() -> !api.get("/api/v1/retention/runs/" + run, Api.ADMIN_TOKEN).json().get("status").asString()
                .equals("running"));
        return api.get("/api/v1/retention/runs/" + run, Api.ADMIN_TOKEN).json();
    }

    // ---- objections (Art. 21(1)) ---------------------------------------------------------------

    @Test
    void whatAnUpheldObjectionStoppedGoesWhenTheActivitysRetentionWouldHaveDeletedIt() {
        String email = unique("innsigelse-slettes");
        String subject = People.in("go", "service-delivery").email(email).data("user.name", "Siri Slettes")
                .create(api, Api.ADMIN_TOKEN);
        People.in("go", "fraud-prevention").email(email).data("user.device.ip_address", "10.4.4.4")
                .write(api, Api.ADMIN_TOKEN);
        String id = api.post("/api/v1/requests", agent, Json.object("type", "objection", "email", email,
                "channel", "phone", "verifiedBy", "agent 7: BankID")).json().get("id").asString();
        assertThat(decide(id, "fraud-prevention", "upheld", "Særlig grunn").status()).isEqualTo(200);
        assertThat(restrictionsBy(subject, "fraud-prevention")).containsOnly("objection:" + id);
        // The example keeps fraud-prevention data until the contract ends.
        assertThat(api.post("/api/v1/subjects/" + subject + "/contract-end", Api.ADMIN_TOKEN,
                Json.object("endedAt", clock.instant().toString())).status()).isEqualTo(202);
        clock.advance(Duration.ofDays(1));

        retentionRun(Json.object("dryRun", false));

        assertThat(count("subject_value WHERE subject_id = '" + subject + "' AND activity_key = 'fraud-prevention'"))
                .as("not kept forever").isZero();
    }

    @Test
    void anUpheldObjectionStopsThatActivityForThePersonAndLeavesTheOthers() throws Exception {
        String email = unique("innsigelse");
        String subject = People.in("go", "service-delivery").email(email).data("user.name", "Ingrid Innsigelse")
                .create(api, Api.ADMIN_TOKEN);
        People.in("go", "fraud-prevention").email(email).data("user.device.ip_address", "10.9.8.7")
                .write(api, Api.ADMIN_TOKEN);
        JsonNode objection = api.post("/api/v1/requests", agent, Json.object("type", "objection", "email", email,
                "channel", "phone", "verifiedBy", "agent 7: BankID", "message",
                "Jeg reiser mye og vil ikke at dere sporer IP-adressene mine")).json();
        String id = objection.get("id").asString();

        JsonNode decided = decide(id, "fraud-prevention", "upheld",
                "Kunden har en særlig grunn: reisemønsteret gir falske treff.").json();

        assertThat(decided.get("objections")).singleElement().satisfies(made -> {
            assertThat(made.get("activity").asString()).isEqualTo("fraud-prevention");
            assertThat(made.get("decision").asString()).isEqualTo("upheld");
            assertThat(made.get("reasons").asString()).contains("reisemønsteret");
            assertThat(made.get("decidedAt").asString()).isNotBlank();
        });
        assertThat(restrictionsBy(subject, "fraud-prevention")).containsOnly("objection:" + id);
        assertThat(restrictionsBy(subject, "service-delivery")).as("per activity, not all-or-nothing")
                .containsOnlyNulls();
        Api.Response more = People.in("go", "fraud-prevention").email(email).data("user.device.ip_address", "10.1.1.1")
                .write(api, Api.ADMIN_TOKEN);
        assertThat(more.status()).as("further writes under the activity are refused").isEqualTo(409);
        assertThat(People.in("go", "service-delivery").email(email).data("user.name", "Ingrid I.")
                .write(api, Api.ADMIN_TOKEN).status()).isEqualTo(200);
        assertThat(Mailbox.text(mailbox.lastTo(email))).contains("tatt protesten din mot", "til følge", "stanset", "reisemønsteret");
        assertThat(decide(id, "fraud-prevention", "rejected", "Ombestemt").status())
                .as("decided once per activity").isIn(409, 422);
        await(() -> jdbc.sql("SELECT COUNT(*) FROM audit_entry WHERE action = 'request.objection-upheld'")
                .query(Long.class).single() > 0);
        assertThat(jdbc.sql("SELECT details FROM audit_entry WHERE action = 'request.objection-upheld'")
                .query(String.class).list().toString()).doesNotContain("reisemønsteret", email);
    }

    @Test
    void aRejectedObjectionTellsThePersonTheCompellingGroundsAndTheRightToComplain() throws Exception {
        String email = unique("avvist");
        String subject = People.in("go", "fraud-prevention").email(email).data("user.device.ip_address", "10.2.3.4")
                .create(api, Api.ADMIN_TOKEN);
        String id = requests.fileForStaff(agent, "objection", email).json().get("id").asString();

        Api.Response decided = decide(id, "fraud-prevention", "rejected",
                "Vi må oppdage kortsvindel mot alle kunder; det veier tyngre.");

        assertThat(decided.status()).as(decided.body()).isEqualTo(200);
        assertThat(restrictionsBy(subject, "fraud-prevention")).containsOnlyNulls();
        MimeMessage letter = mailbox.lastTo(email);
        assertThat(Mailbox.text(letter)).contains("tvingende berettigede grunner", "kortsvindel",
                "klage til Datatilsynet", "domstolene");
        JsonNode shown = api.get("/api/v1/requests/" + id, agent).json();
        assertThat(shown.get("objections").get(0).get("decision").asString()).isEqualTo("rejected");
        assertThat(api.post("/api/v1/requests/" + id + "/complete", agent, Json.object("outcome",
                "Protesten er avgjort for hver behandling.")).json().get("status").asString()).isEqualTo("completed");
    }

    @Test
    void aDecisionOnlyConcernsAnObjectionAndAnActivityOnLegitimateInterestsThatHoldsThePersonsData() {
        String email = unique("fiendtlig");
        String subject = People.in("go", "fraud-prevention").email(email).data("user.device.ip_address", "10.3.3.3")
                .create(api, Api.ADMIN_TOKEN);
        People.in("go", "service-delivery").email(email).data("user.name", "Frode Fiendtlig").write(api,
                Api.ADMIN_TOKEN);
        String objection = requests.fileForStaff(agent, "objection", email).json().get("id").asString();
        String rectification = requests.fileForStaff(agent, "rectification", email).json().get("id").asString();

        assertInvalid(decide(objection, "no-such-activity", "upheld", "Grunner"), "activity");
        assertInvalid(decide(objection, "service-delivery", "upheld", "Grunner"), "activity");
        assertInvalid(decide(objection, "support", "upheld", "Grunner"), "activity");
        assertInvalid(decide(objection, "fraud-prevention", "maybe", "Grunner"), "decision");
        assertInvalid(decide(objection, "fraud-prevention", "upheld", " "), "reasons");
        assertInvalid(decide(objection, "fraud-prevention", "upheld", "x".repeat(2001)), "reasons");
        Api.Response notAnObjection = decide(rectification, "fraud-prevention", "upheld", "Grunner");
        assertThat(notAnObjection.status()).isEqualTo(409);
        assertThat(notAnObjection.contentType()).startsWith("application/problem+json");
        assertThat(decide(UUID.randomUUID().toString(), "fraud-prevention", "upheld", "Grunner").status())
                .isEqualTo(404);
        assertThat(api.post("/api/v1/requests/" + objection + "/objection-decisions", tokens.issue("leser",
                "subjects:read"), Json.object("activity", "fraud-prevention", "decision", "upheld", "reasons", "x"))
                .status()).isEqualTo(403);
        assertThat(api.post("/api/v1/requests/" + objection + "/objection-decisions", agent, Json.object("activity",
                "fraud-prevention", "decision", "upheld", "reasons", "x")).status())
                .as("the DPO's decision (scope admin), not a case handler's").isEqualTo(403);

        assertThat(api.get("/api/v1/requests/" + objection, agent).json().get("objections")).isEmpty();
        assertThat(restrictionsBy(subject, "fraud-prevention")).containsOnlyNulls();
        assertThat(count("request_objection_decision WHERE request_id = '" + objection + "'")).isZero();
    }

    // ---- deadlines (Art. 12(3)) ----------------------------------------------------------------

    @Test
    void theDpoIsRemindedAWeekBeforeTheDeadlineAgainBeforeAnExtendedOneAndOnceWhenItHasPassed() {
        String id = requests.fileForStaff(agent, "rectification", unique("frist")).json().get("id").asString();
        JsonNode filed = api.get("/api/v1/requests/" + id, agent).json();
        Instant received = Instant.parse(filed.get("receivedAt").asString());
        Instant due = Instant.parse(filed.get("dueAt").asString());
        String dpo = catalog.controller().privacyMailbox();

        clock.set(due.minus(Duration.ofDays(8)));
        desk.remindDeadlines();
        assertThat(remindersOf(id, dpo)).as("not yet").isEmpty();

        clock.set(due.minus(Duration.ofDays(7)).plusSeconds(60));
        desk.remindDeadlines();
        desk.remindDeadlines();
        assertThat(remindersOf(id, dpo)).singleElement().asString().startsWith("Due in 7 days");
        assertThat(overdue()).doesNotContain(id);

        JsonNode extended = api.post("/api/v1/requests/" + id + "/extend", agent,
                Json.object("reason", "Mange systemer må gjennomgås.")).json();
        Instant until = Instant.parse(extended.get("extendedUntil").asString());
        clock.set(due.plus(Duration.ofDays(1)));
        assertThat(overdue()).as("the extended deadline counts").doesNotContain(id);
        desk.remindDeadlines();
        assertThat(remindersOf(id, dpo)).hasSize(1);

        clock.set(until.minus(Duration.ofDays(7)).plusSeconds(60));
        desk.remindDeadlines();
        desk.remindDeadlines();
        assertThat(remindersOf(id, dpo)).as("reminded again a week before the extended deadline").hasSize(2)
                .last().asString().startsWith("Due in 7 days");

        clock.set(until.plusSeconds(60));
        assertThat(overdue()).contains(id);
        desk.remindDeadlines();
        desk.remindDeadlines();
        assertThat(remindersOf(id, dpo)).hasSize(3).last().asString().startsWith("Overdue");

        api.post("/api/v1/requests/" + id + "/complete", agent, Json.object("outcome", "Rettet."));
        assertThat(overdue()).doesNotContain(id);
        JsonNode closed = api.get("/api/v1/requests/" + id, agent).json();
        assertThat(Instant.parse(closed.get("receivedAt").asString())).as("extend and complete keep the receipt time")
                .isEqualTo(received);
        assertThat(Instant.parse(closed.get("dueAt").asString())).isEqualTo(due);
    }

    @Test
    void verificationKeepsTheTimeTheRequestWasReceived() {
        String email = unique("mottatt");
        Instant filedAt = clock.instant().truncatedTo(java.time.temporal.ChronoUnit.MICROS);
        String id = requests.file("rectification", email).json().get("id").asString();
        clock.advance(Duration.ofMinutes(20));

        assertThat(requests.verify(id, requests.mailedCode(email)).status()).isEqualTo(200);

        JsonNode verified = api.get("/api/v1/requests/" + id, agent).json();
        assertThat(Instant.parse(verified.get("receivedAt").asString())).isEqualTo(filedAt);
        assertThat(Instant.parse(verified.get("dueAt").asString()))
                .isEqualTo(filedAt.atZone(ZoneId.of("Europe/Oslo")).plusMonths(1).toInstant());
    }

    // ---- manifestly excessive (Art. 12(5)) -------------------------------------------------------

    @Test
    void aClientsExcessRequestIsRecordedAsRefusedOnceAnHourWithoutLookingUpOrMailingTheAddress() {
        String client = "203.0.113." + (1 + java.util.concurrent.ThreadLocalRandom.current().nextInt(250));
        String refusedRows = "data_request WHERE status = 'rejected' AND subject_id IS NULL";
        long before = count(refusedRows);
        for (int i = 0; i < 20; i++) {
            assertThat(requests.file("access", unique("flom" + i), client).status()).isEqualTo(202);
        }
        String excess = unique("ekstra");
        String more = unique("ekstra");

        Api.Response refused = requests.file("erasure", excess, client);
        Api.Response again = requests.file("erasure", more, client);

        assertThat(refused.status()).isEqualTo(429);
        assertThat(refused.contentType()).startsWith("application/problem+json");
        assertThat(again.status()).as("still answered 429").isEqualTo(429);
        assertThat(count(refusedRows)).as("one refusal recorded per client and hour, not one per attempt")
                .isEqualTo(before + 1);
        JsonNode recorded = api.get("/api/v1/requests?status=rejected&limit=1000", agent).json().get("items")
                .valueStream().filter(item -> item.has("outcome") && item.get("outcome").asString().contains("from one client"))
                .reduce((first, second) -> second).orElseThrow();
        assertThat(recorded.get("type").asString()).isEqualTo("erasure");
        assertThat(recorded.get("outcome").asString()).startsWith("Manifestly excessive (GDPR Art. 12(5))");
        assertThat(api.get("/api/v1/subjects?email=" + excess, Api.ADMIN_TOKEN).json().get("items"))
                .as("the address is not looked up, nor kept").isEmpty();
        assertThat(mailbox.recipients()).as("nothing is mailed to an address nobody proved")
                .doesNotContain(excess, more);
    }

    // ---- helpers -----------------------------------------------------------------------------

    private Api.Response decide(String request, String activity, String decision, String reasons) {
        return api.post("/api/v1/requests/" + request + "/objection-decisions", Api.ADMIN_TOKEN,
                Json.object("activity", activity, "decision", decision, "reasons", reasons));
    }

    private void assertInvalid(Api.Response response, String field) {
        assertThat(response.status()).as(response.body()).isEqualTo(422);
        assertThat(response.contentType()).startsWith("application/problem+json");
        assertThat(response.json().get("errors").findValuesAsString("field")).contains(field);
    }

    /** Why each value of the person under {@code activity} is restricted (null: in use). */
    private List<String> restrictionsBy(String subject, String activity) {
        List<SubjectView.StoredValue> values = vault.readForAccess(UUID.fromString(subject)).data().stream()
                .filter(value -> value.activity().equals(activity)).toList();
        assertThat(values).as("values under " + activity).isNotEmpty();
        return values.stream().map(SubjectView.StoredValue::restriction).toList();
    }

    private List<String> remindersOf(String request, String dpo) {
        return mailbox.all().stream().filter(mail -> Mailbox.recipients(mail).anyMatch(dpo::equals))
                .map(RequestObligationsTests::subject).filter(subject -> subject.contains(request)).toList();
    }

    private List<String> overdue() {
        Api.Response listed = api.get("/api/v1/requests?overdue=true&limit=1000", agent);
        assertThat(listed.status()).as(listed.body()).isEqualTo(200);
        return listed.json().get("items").findValuesAsString("id");
    }

    private long count(String table) {
        return jdbc.sql("SELECT COUNT(*) FROM " + table).query(Long.class).single();
    }

    private static String subject(MimeMessage mail) {
        try {
            return mail.getSubject();
        } catch (jakarta.mail.MessagingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void await(java.util.function.BooleanSupplier condition) {
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(20)).until(condition::getAsBoolean);
    }

    private static String unique(String name) {
        return name + "-" + UUID.randomUUID().toString().substring(0, 8) + "@example.no";
    }
}
