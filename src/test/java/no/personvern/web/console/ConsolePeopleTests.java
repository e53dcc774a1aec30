package no.personvern.web.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import no.personvern.audit.AuditEntry;
import no.personvern.audit.AuditTrail;
import no.personvern.security.Staff;
import no.personvern.security.StaffMember;
import no.personvern.security.StaffRole;
import no.personvern.testing.Api;
import no.personvern.testing.ConsoleSession;
import no.personvern.testing.ConsoleSession.Page;
import no.personvern.testing.DatabaseTest;
import no.personvern.testing.Mailbox;
import no.personvern.testing.People;
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

/**
 * The people, staff and audit pages through HTTP as a browser uses them: what each role sees of a
 * person (an agent never gets an identity unmasked in the HTML before it reveals it with a reason),
 * the audit entries every view and reveal leaves, the DPO's actions and their refusal for agents,
 * invitations by mail, the audit trail's filters, verification and export, and hostile input.
 */
@DatabaseTest
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = {ConsoleSession.FIRST_DPO,
    ConsoleSession.FIRST_DPO_PASSWORD, "personvern.mail.poll-interval=PT0.1S",
    "personvern.mail.retry.initial-delay=PT0S"})
class ConsolePeopleTests {

    private static final Pattern INVITATION = Pattern.compile("(/admin/invitation/[A-Za-z0-9_-]+)");
    private static final String PASSWORD = "a long agent password";

    @RegisterExtension
    static final GreenMailExtension MAIL = Smtp.server();

    @DynamicPropertySource
    static void mail(DynamicPropertyRegistry registry) {
        Smtp.properties(registry);
    }

    @LocalServerPort
    int port;

    @Autowired
    Staff staff;

    @Autowired
    AuditTrail trail;

    @Autowired
    JdbcClient jdbc;

    @org.springframework.test.context.bean.override.mockito.MockitoSpyBean
    no.personvern.subjects.Vault vault;

    Api api;

    @BeforeEach
    void setUp() {
        api = new Api(port);
    }

    private String person(String local, String phone) {
        return People.in("go", "service-delivery").email(local + "@example.no").phone(phone)
                .data("user.name", "Kari Nordmann " + local.length()).create(api, Api.ADMIN_TOKEN);
    }

    private StaffMember agent(String username) {
        Staff.Invitation invitation = staff.invite(username, "Agent " + username, username + "@example.test",
                StaffRole.AGENT);
        return staff.acceptInvitation(invitation.secret(), PASSWORD);
    }

    private UUID dpoId() {
        return staff.list().stream().filter(m -> m.username().equals(ConsoleSession.DPO)).findFirst().orElseThrow()
                .id();
    }

    private List<AuditEntry> entries(String subject, String actor, String action) {
        return trail.newestFirst(new AuditTrail.Filter(subject == null ? null : trail.subjectRef(UUID.fromString(subject)),
                actor, action, null, null), null, 100);
    }

    @Test
    void theDpoFindsAPersonByEachIdentityAndSeesThemInFullWithEveryViewAudited() {
        String id = person("kari.dpo", "+4791234501");
        ConsoleSession dpo = ConsoleSession.dpo(port);

        Page byEmail = search(dpo, "email", " Kari.DPO@example.no ");
        assertThat(byEmail.status()).isEqualTo(200);
        assertThat(byEmail.body()).contains("/admin/subjects/" + id).contains("kari.dpo@example.no");
        assertThat(search(dpo, "phone", "912 34 501").body()).contains("/admin/subjects/" + id);
        assertThat(search(dpo, "email", "nobody.here@example.no").body())
                .contains("Ingen ble funnet").doesNotContain("/admin/subjects/" + id);

        Page page = dpo.get("/admin/subjects/" + id);
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.body()).contains("kari.dpo@example.no").contains("+4791234501").contains("Kari Nordmann")
                .contains("service-delivery").doesNotContain("name=\"identity\"")
                .contains("Legg rettslig hold");
        List<AuditEntry> viewed = entries(id, "staff:" + dpoId(), "console.viewed");
        assertThat(viewed).extracting(entry -> entry.details().get("page")).contains("subject", "subject-search");
        assertThat(viewed).allSatisfy(entry -> assertThat(entry.details().toString()).doesNotContain("kari"));
    }

    @Test
    void anAgentSeesIdentitiesMaskedAndRevealsOneOnlyWithAReasonFromTheList() {
        String id = person("kari.agent", "+4791234502");
        StaffMember agent = agent("agent.one");
        ConsoleSession session = ConsoleSession.signedIn(port, "agent.one", PASSWORD);

        Page found = search(session, "email", "kari.agent@example.no");
        // The form keeps what the agent typed; the results show the person's identities masked.
        String results = found.body().substring(found.body().indexOf("<ul class=\"results\""));
        assertThat(results).contains("/admin/subjects/" + id).contains("k***@example.no").contains("+47 *** ** 502")
                .doesNotContain("kari.agent").doesNotContain("91234502");
        Page page = session.get("/admin/subjects/" + id);
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.body()).contains("k***@example.no").contains("+47 *** ** 502")
                .doesNotContain("kari.agent").doesNotContain("91234502").doesNotContain("Legg rettslig hold")
                .doesNotContain("Kari Nordmann").contains("K***");
        assertThat(entries(id, "staff:" + agent.id(), "console.viewed")).isNotEmpty();

        Page bad = session.post("/admin/subjects/" + id, "/admin/subjects/" + id + "/reveal",
                Map.of("identity", "email", "reason", "because I want to"));
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.body()).doesNotContain("kari.agent");
        assertThat(session.post("/admin/subjects/" + id, "/admin/subjects/" + id + "/reveal",
                Map.of("identity", "email")).status()).isEqualTo(400);
        assertThat(entries(id, null, "console.revealed")).isEmpty();

        Page revealed = session.post("/admin/subjects/" + id, "/admin/subjects/" + id + "/reveal",
                Map.of("identity", "email", "reason", "caller-verified"));
        assertThat(revealed.status()).isEqualTo(200);
        assertThat(revealed.body()).contains("kari.agent@example.no").doesNotContain("91234502");
        List<AuditEntry> reveals = entries(id, null, "console.revealed");
        assertThat(reveals).hasSize(1);
        assertThat(reveals.get(0).actor()).isEqualTo("staff:" + agent.id());
        assertThat(reveals.get(0).details()).isEqualTo(Map.of("what", "email", "reason", "caller-verified"));
    }

    @Test
    void theDpoOnlyActionsAreRefusedToAnAgentAndWorkForTheDpo() {
        String id = person("kari.holds", "+4791234503");
        agent("agent.two");
        ConsoleSession agent = ConsoleSession.signedIn(port, "agent.two", PASSWORD);
        String page = "/admin/subjects/" + id;
        for (Map.Entry<String, Map<String, String>> action : Map.of(
                page + "/holds", Map.of("reason", "tvist"),
                page + "/restriction/lift", Map.<String, String>of(),
                page + "/kept", Map.of("reason", "skatterevisjon"),
                page + "/disclosures", Map.of("recipient", "x", "categories", "user.name", "basis", "legal-obligation"))
                .entrySet()) {
            assertThat(agent.post(page, action.getKey(), action.getValue()).status()).as(action.getKey()).isEqualTo(403);
        }
        assertThat(agent.get("/admin/staff").status()).isEqualTo(403);
        assertThat(agent.get("/admin/audit").status()).isEqualTo(403);
        assertThat(jdbc.sql("SELECT COUNT(*) FROM legal_hold WHERE subject_id = :s").param("s", UUID.fromString(id))
                .query(Long.class).single()).isZero();

        // Rectification is part of handling a request: the agent may correct a value.
        Page rectified = agent.post(page, page + "/rectify", Map.of("category", "user.name", "value", "Kari Retta"));
        assertThat(rectified.status()).isEqualTo(302);
        assertThat(dpo(page).body()).contains("Kari Retta");
        assertThat(agent.post(page, page + "/rectify", Map.of("category", "user.unknown", "value", "x")).status())
                .isEqualTo(422);

        ConsoleSession dpo = ConsoleSession.dpo(port);
        assertThat(dpo.post(page, page + "/holds", Map.of("reason", "tvist om faktura", "until", "2031-01-01")).status())
                .isEqualTo(302);
        Page held = dpo.get(page);
        assertThat(held.body()).contains("tvist om faktura").contains("Avslutt holdet");
        assertThat(dpo.post(page, page + "/holds", Map.of("reason", "x", "until", "2031-13-45")).status())
                .isEqualTo(400);
        Matcher end = Pattern.compile("(/admin/subjects/[0-9a-f-]+/holds/[0-9a-f-]+/end)").matcher(held.body());
        assertThat(end.find()).isTrue();
        assertThat(dpo.post(page, end.group(1), Map.of("reason", "saken er avsluttet")).status()).isEqualTo(302);
        assertThat(dpo.get(page).body()).doesNotContain("tvist om faktura");
        Page kept = dpo.post(page, page + "/kept", Map.of("reason", "legal-obligation"));
        assertThat(kept.status()).isEqualTo(200);
        assertThat(kept.body()).contains("Ingenting er lagret for denne personen");
    }

    @Test
    void thePersonsPageListsDocumentsDisclosuresAndRequestsAndTheDpoDownloadsADocument() {
        String id = person("kari.docs", "+4791234506");
        byte[] content = "kvittering 42".getBytes(StandardCharsets.UTF_8);
        Api.Response stored = api.postMultipart("/api/v1/subjects/" + id + "/documents", Api.ADMIN_TOKEN,
                new no.personvern.testing.Multipart().field("kind", "image").field("system", "go-mobile")
                        .file("file", "kvittering.jpg", "image/jpeg", content));
        assertThat(stored.status()).as(stored.body()).isEqualTo(201);
        String document = stored.json().get("id").asString();
        Api.Response filed = new no.personvern.testing.Requests(api).fileForStaff(Api.ADMIN_TOKEN, "access",
                "kari.docs@example.no");
        assertThat(filed.status()).as(filed.body()).isIn(200, 201, 202);
        String request = filed.json().get("id").asString();

        Api.Response consent = api.post("/api/v1/subjects/" + id + "/consents", Api.ADMIN_TOKEN, """
                {"purpose":"marketing.communications.email","granted":true,"method":"web-form","source":"test"}""");
        assertThat(consent.status()).as(consent.body()).isIn(200, 201);
        String receipt = consent.json().get("receiptId").asString();

        ConsoleSession dpo = ConsoleSession.dpo(port);
        String page = "/admin/subjects/" + id;
        Page disclosed = dpo.post(page, page + "/disclosures", Map.of("recipient", "mail-delivery", "categories",
                "user.name", "basis", "dpa"));
        assertThat(disclosed.status()).as(disclosed.body()).isEqualTo(302);
        assertThat(dpo.post(page, page + "/disclosures", Map.of("recipient", "nobody-known", "categories",
                "user.name", "basis", "dpa")).status()).isEqualTo(422);
        Page shown = dpo.get(page);
        assertThat(shown.body()).contains("/admin/requests/" + request).contains(">image<").contains("go-mobile")
                .contains("/admin/subjects/" + id + "/documents/" + document).contains(">dpa<");

        assertThat(shown.body()).contains("/admin/subjects/" + id + "/consents/" + receipt).contains("web-form");
        Page receiptJson = dpo.get(page + "/consents/" + receipt);
        assertThat(receiptJson.status()).isEqualTo(200);
        assertThat(receiptJson.body()).contains("\"recordId\":\"" + receipt + "\"");
        assertThat(dpo.get("/admin/subjects/" + person("kari.other", "+4791234508") + "/consents/" + receipt).status())
                .as("another person's receipt").isEqualTo(404);

        Page download = dpo.get(page + "/documents/" + document);
        assertThat(download.status()).isEqualTo(200);
        assertThat(download.body()).isEqualTo("kvittering 42");
        assertThat(download.header("Cache-Control")).contains("no-store");
        assertThat(entries(id, "staff:" + dpoId(), "console.viewed"))
                .anySatisfy(entry -> assertThat(entry.details()).containsEntry("page", "subject-document")
                        .containsEntry("document", document));

        agent("agent.docs");
        ConsoleSession agent = ConsoleSession.signedIn(port, "agent.docs", PASSWORD);
        assertThat(agent.get(page).body()).contains("/admin/requests/" + request)
                .doesNotContain("/documents/" + document);
        assertThat(agent.get(page + "/documents/" + document).status()).isEqualTo(403);
    }

    @Test
    void theDpoLiftsARestrictionThatAnAgentOnlySeesAndThePersonIsToldFirst() {
        String id = People.in("go", "service-delivery").email("kari.restricted@example.no").verified("email")
                .data("user.name", "Kari Begrenset").create(api, Api.ADMIN_TOKEN);
        vault.restrict(UUID.fromString(id), new no.personvern.subjects.Hold.Reason.Restriction(UUID.randomUUID()));
        agent("agent.five");
        String page = "/admin/subjects/" + id;
        Page seen = ConsoleSession.signedIn(port, "agent.five", PASSWORD).get(page);
        assertThat(seen.body()).contains("Personens data er begrenset").doesNotContain("/restriction/lift");
        ConsoleSession dpo = ConsoleSession.dpo(port);
        assertThat(dpo.get(page).body()).contains("/restriction/lift").contains("begrenset");

        Page noReason = dpo.post(page, page + "/restriction/lift", Map.of("reason", " "));
        assertThat(noReason.status()).isEqualTo(422);
        assertThat(vault.isRestricted(UUID.fromString(id))).isTrue();
        Mailbox mailbox = Mailbox.of(MAIL, jdbc);
        MAIL.stop();
        try {
            Page lifting = dpo.post(page, page + "/restriction/lift", Map.of("reason", "Tvisten om adressen er avgjort."));
            assertThat(lifting.status()).as(lifting.body()).isEqualTo(302);
            assertThat(dpo.get(lifting.location()).body()).contains("Personen får nå beskjed");
            await().atMost(Duration.ofSeconds(20)).until(() -> jdbc.sql("SELECT COUNT(*) FROM mail_outbox WHERE"
                    + " reference LIKE 'restriction-lift:%' AND attempts >= 2").query(Long.class).single() > 0);
            assertThat(vault.isRestricted(UUID.fromString(id))).as("not before the person has been told").isTrue();
            Page again = dpo.post(page, page + "/restriction/lift", Map.of("reason", "igjen"));
            assertThat(again.status()).as("a lift is under way").isEqualTo(409);
        } finally {
            MAIL.start();
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> !vault.isRestricted(UUID.fromString(id)));
        assertThat(Mailbox.text(mailbox.lastTo("kari.restricted@example.no"))).contains("Tvisten om adressen er avgjort.");
        assertThat(dpo.get(page).body()).doesNotContain("Personens data er begrenset");

        // Nobody to tell: no verified address, no lift.
        String phoneOnly = People.in("go", "service-delivery").phone("+4791234520").data("user.name", "Uten E-post")
                .create(api, Api.ADMIN_TOKEN);
        vault.restrict(UUID.fromString(phoneOnly), new no.personvern.subjects.Hold.Reason.Restriction(UUID.randomUUID()));
        String other = "/admin/subjects/" + phoneOnly;
        Page refused = dpo.post(other, other + "/restriction/lift", Map.of("reason", "avgjort"));
        assertThat(refused.status()).isEqualTo(409);
        assertThat(refused.body()).contains("ingen bekreftet e-postadresse");
        assertThat(vault.isRestricted(UUID.fromString(phoneOnly))).isTrue();
    }

    @Test
    void anInvitationIsMailedAcceptedOnceAndLeadsToSignIn() throws Exception {
        Mailbox mailbox = Mailbox.of(MAIL, jdbc);
        ConsoleSession dpo = ConsoleSession.dpo(port);
        Page invited = dpo.post("/admin/staff", "/admin/staff/invite", Map.of("username", "agent.mail",
                "displayName", "Agent Mail", "email", "agent.mail@example.test", "role", "agent"));
        assertThat(invited.status()).isEqualTo(302);
        assertThat(dpo.get(invited.location()).body()).contains("Agent Mail").contains("invitert");
        String text = Mailbox.text(mailbox.lastTo("agent.mail@example.test"));
        Matcher link = INVITATION.matcher(text);
        assertThat(link.find()).as(text).isTrue();
        assertThat(text).contains("agent.mail");

        ConsoleSession newcomer = new ConsoleSession(port);
        Page form = newcomer.get(link.group(1));
        assertThat(form.status()).isEqualTo(200);
        assertThat(form.header("Cache-Control")).contains("no-store");
        assertThat(form.header("Referrer-Policy")).isEqualTo("no-referrer");
        assertThat(form.body()).contains("Agent Mail");
        Page tooShort = newcomer.post(link.group(1), link.group(1), Map.of("password", "short", "repeat", "short"));
        assertThat(tooShort.status()).isEqualTo(422);
        assertThat(tooShort.body()).contains("Passordet må være fra 12 tegn til 72 byte langt");
        Page mismatch = newcomer.post(link.group(1), link.group(1), Map.of("password", PASSWORD, "repeat",
                PASSWORD + "x"));
        assertThat(mismatch.status()).isEqualTo(422);
        Page set = newcomer.post(link.group(1), link.group(1), Map.of("password", PASSWORD, "repeat", PASSWORD));
        assertThat(set.status()).isEqualTo(302);
        assertThat(set.location()).isEqualTo("/admin/login");
        assertThat(new ConsoleSession(port).get(link.group(1)).status()).as("used").isEqualTo(410);
        ConsoleSession.signedIn(port, "agent.mail", PASSWORD);

        // An expired link is as gone as a used one.
        dpo.post("/admin/staff", "/admin/staff/invite", Map.of("username", "agent.late", "displayName", "Agent Late",
                "email", "agent.late@example.test", "role", "agent"));
        Matcher late = INVITATION.matcher(Mailbox.text(mailbox.lastTo("agent.late@example.test")));
        assertThat(late.find()).isTrue();
        jdbc.sql("UPDATE staff_member SET invite_expires_at = :past WHERE username = 'agent.late'")
                .param("past", java.time.OffsetDateTime.now().minusMinutes(1)).update();
        Page gone = new ConsoleSession(port).get(late.group(1));
        assertThat(gone.status()).isEqualTo(410);
        assertThat(gone.body()).contains("Denne lenken virker ikke lenger");
        assertThat(new ConsoleSession(port).get("/admin/invitation/" + "x".repeat(5000)).status()).isEqualTo(410);
    }

    @Test
    void staffRolesAndDeactivationKeepTheLastDpo() {
        ConsoleSession dpo = ConsoleSession.dpo(port);
        UUID self = dpoId();
        Page refused = dpo.post("/admin/staff", "/admin/staff/" + self + "/role", Map.of("role", "agent"));
        assertThat(refused.status()).isEqualTo(422);
        assertThat(refused.body()).contains("minst ett aktivt personvernombud");
        assertThat(dpo.post("/admin/staff", "/admin/staff/" + self + "/deactivate", Map.of()).status()).isEqualTo(422);

        StaffMember agent = agent("agent.three");
        assertThat(dpo.post("/admin/staff", "/admin/staff/" + agent.id() + "/deactivate", Map.of()).status())
                .isEqualTo(302);
        assertThat(staff.find(agent.id()).orElseThrow().active()).isFalse();
        assertThat(dpo.post("/admin/staff", "/admin/staff/" + agent.id() + "/reactivate", Map.of()).status())
                .isEqualTo(302);
        assertThat(dpo.post("/admin/staff", "/admin/staff/" + agent.id() + "/role", Map.of("role", "dpo")).status())
                .isEqualTo(302);
        assertThat(staff.find(agent.id()).orElseThrow().role()).isEqualTo(StaffRole.DPO);
        assertThat(dpo.post("/admin/staff", "/admin/staff/" + agent.id() + "/role", Map.of("role", "king")).status())
                .isEqualTo(400);
        assertThat(dpo.post("/admin/staff", "/admin/staff/invite", Map.of("username", "agent.three",
                "displayName", "Again", "email", "again@example.test", "role", "agent")).status()).isEqualTo(409);
    }

    @Test
    void theAuditPageFiltersVerifiesFindsTheFirstBrokenEntryAndExports() {
        String id = person("kari.audit", "+4791234504");
        StaffMember agent = agent("agent.four");
        ConsoleSession session = ConsoleSession.signedIn(port, "agent.four", PASSWORD);
        session.get("/admin/subjects/" + id);
        session.post("/admin/subjects/" + id, "/admin/subjects/" + id + "/reveal",
                Map.of("identity", "phone", "reason", "complaint"));
        ConsoleSession dpo = ConsoleSession.dpo(port);

        Page byPerson = dpo.get("/admin/audit?person=" + enc("kari.audit@example.no") + "&action=console.revealed");
        assertThat(byPerson.status()).isEqualTo(200);
        assertThat(byPerson.body()).contains("console.revealed").contains("Agent agent.four")
                .contains(trail.subjectRef(UUID.fromString(id))).doesNotContain("91234504");
        Page byActor = dpo.get("/admin/audit?actor=staff:" + agent.id());
        assertThat(byActor.body()).contains("console.viewed").contains("console.revealed")
                .doesNotContain(">staff.created<");
        Page nobody = dpo.get("/admin/audit?person=" + enc("nobody.at.all@example.no"));
        assertThat(nobody.body()).contains("Ingen oppføringer passer");
        Page today = dpo.get("/admin/audit?from=2020-01-01&to=2099-12-31&action=console.revealed");
        assertThat(today.body()).contains("Agent agent.four");
        assertThat(dpo.get("/admin/audit?from=2099-01-01&action=console.revealed").body())
                .contains("Ingen oppføringer passer");

        Page csv = dpo.get("/admin/audit/export?action=console.revealed&actor=staff:" + agent.id());
        assertThat(csv.status()).isEqualTo(200);
        assertThat(csv.header("Content-Type")).startsWith("text/csv");
        assertThat(csv.body().lines()).hasSize(2);
        assertThat(csv.body()).startsWith("seq,at,actor").contains("console.revealed").contains("complaint");
        Page jsonl = dpo.get("/admin/audit/export?format=jsonl&actor=staff:" + agent.id());
        assertThat(jsonl.body().lines()).hasSizeGreaterThanOrEqualTo(2)
                .allSatisfy(line -> assertThat(line).startsWith("{\"seq\":"));

        Page intact = dpo.post("/admin/audit", "/admin/audit/verify", Map.of());
        assertThat(intact.status()).isEqualTo(200);
        assertThat(intact.body()).contains("Kjeden er hel");
        long broken = entries(id, "staff:" + agent.id(), "console.revealed").get(0).seq();
        jdbc.sql("UPDATE audit_entry SET details = '{\"what\":\"email\"}' WHERE seq = :seq").param("seq", broken)
                .update();
        Page verified = dpo.post("/admin/audit", "/admin/audit/verify", Map.of());
        assertThat(verified.body()).contains("Kjeden er brutt")
                .contains("href=\"/admin/audit?before=" + (broken + 1) + "\"");
        assertThat(trail.lastVerification().orElseThrow().result().firstBrokenSeq()).isEqualTo(broken);
        assertThat(dpo.get("/admin/audit?before=" + (broken + 1)).body()).contains("id=\"seq-" + broken + "\"");
    }

    @Test
    void hostileInputGivesPagesWithTheErrorNeverAServerError() {
        ConsoleSession dpo = ConsoleSession.dpo(port);
        assertThat(dpo.get("/admin/subjects/not-an-id").status()).isEqualTo(404);
        assertThat(dpo.get("/admin/subjects/" + UUID.randomUUID()).status()).isEqualTo(404);
        assertThat(search(dpo, "email", "a".repeat(2000)).status()).isEqualTo(400);
        assertThat(search(dpo, "drop", "x").status()).isEqualTo(400);
        assertThat(search(dpo, "email", "not an address").status()).isIn(200, 400);
        assertThat(search(dpo, "externalId", "no-colon").status()).isIn(200, 400);
        for (String query : List.of("from=2024-13-45", "to=yesterday", "before=abc", "actor=" + enc("staff:' OR 1=1"),
                "action=" + enc("<script>"), "person=" + "p".repeat(400), "person=" + enc("not an address"),
                "ref=s_zz")) {
            Page page = dpo.get("/admin/audit?" + query);
            assertThat(page.status()).as(query).isEqualTo(400);
            assertThat(page.body()).as(query).contains("<main");
        }
        assertThat(dpo.get("/admin/audit/export?from=bad").status()).isEqualTo(400);
        assertThat(dpo.get("/admin/staff/" + UUID.randomUUID() + "/reinvite").status()).isIn(404, 405);
        assertThat(dpo.post("/admin/staff", "/admin/staff/" + UUID.randomUUID() + "/deactivate", Map.of()).status())
                .isEqualTo(404);
        assertThat(dpo.post("/admin/staff", "/admin/staff/not-an-id/deactivate", Map.of()).status()).isEqualTo(404);
        String id = person("kari.hostile", "+4791234505");
        String page = "/admin/subjects/" + id;
        assertThat(dpo.post(page, page + "/holds", Map.of("reason", "r".repeat(5000))).status()).isEqualTo(422);
        assertThat(dpo.post(page, page + "/kept", Map.of("reason", " ")).status()).isEqualTo(422);
        assertThat(dpo.post(page, page + "/reveal", Map.of("identity", "i".repeat(1000), "reason", "complaint"))
                .status()).isEqualTo(400);
        assertThat(dpo.post(page, page + "/holds/" + UUID.randomUUID() + "/end", Map.of("reason", "r")).status())
                .isEqualTo(404);
        assertThat(dpo.get(page + "/documents/" + UUID.randomUUID()).status()).isEqualTo(404);
    }

    @Test
    void everyPageReadsInEnglishToo() {
        String id = person("kari.english", "+4791234509");
        ConsoleSession dpo = ConsoleSession.dpo(port);
        Map<String, String> pages = Map.of("/admin/subjects?lang=en&kind=email&q=" + enc("kari.english@example.no"),
                "Find a person", "/admin/subjects/" + id + "?lang=en", "Values by activity", "/admin/staff?lang=en",
                "Invite a member of staff", "/admin/audit?lang=en", "Verify the chain");
        for (Map.Entry<String, String> page : pages.entrySet()) {
            Page shown = dpo.get(page.getKey());
            assertThat(shown.status()).as(page.getKey()).isEqualTo(200);
            assertThat(shown.body()).as(page.getKey()).contains(page.getValue()).doesNotContain("??");
        }
        Staff.Invitation invitation = staff.invite("agent.english", "Agent English", "english@example.test",
                StaffRole.AGENT);
        Page form = new ConsoleSession(port).get("/admin/invitation/" + invitation.secret() + "?lang=en");
        assertThat(form.body()).contains("Choose the password for the username agent.english").doesNotContain("??");
        assertThat(new ConsoleSession(port).get("/admin/invitation/gone?lang=en").body())
                .contains("This link no longer works");
    }

    @Test
    void anAgentSeesValuesMaskedRevealsOneWithAReasonAndNeverSeesRestrictedValues() {
        String id = People.in("go", "service-delivery").email("kari.values@example.no").phone("+4791234511")
                .data("user.name", "Kari Verdi").data("user.contact.email", "kari.jobb@example.no")
                .data("user.contact.phone_number", "+4791234512").create(api, Api.ADMIN_TOKEN);
        StaffMember agent = agent("agent.values");
        ConsoleSession session = ConsoleSession.signedIn(port, "agent.values", PASSWORD);
        String page = "/admin/subjects/" + id;
        Page masked = session.get(page);
        assertThat(masked.body()).doesNotContain("kari.jobb").doesNotContain("91234512").doesNotContain("Kari Verdi")
                .contains("k***@example.no").contains("+47 *** ** 512").contains("K***");

        Matcher row = Pattern.compile("user\\.contact\\.email</td>(?:(?!</tr>).)*?name=\"identity\" value=\"(value:\\d+)\"",
                Pattern.DOTALL).matcher(masked.body());
        assertThat(row.find()).as(masked.body()).isTrue();
        assertThat(session.post(page, page + "/reveal", Map.of("identity", row.group(1), "reason", "just looking"))
                .status()).isEqualTo(400);
        Page revealed = session.post(page, page + "/reveal", Map.of("identity", row.group(1), "reason", "rectification"));
        assertThat(revealed.status()).isEqualTo(200);
        assertThat(revealed.body()).contains("kari.jobb@example.no").doesNotContain("91234512")
                .doesNotContain("Kari Verdi");
        assertThat(entries(id, "staff:" + agent.id(), "console.revealed")).extracting(AuditEntry::details)
                .containsExactly(Map.of("what", "value:user.contact.email", "reason", "rectification"));
        assertThat(dpo(page).body()).contains("kari.jobb@example.no").contains("+4791234512").contains("Kari Verdi");

        // Art. 18: a restricted value is not shown to an agent at all, masked or revealed.
        vault.restrict(UUID.fromString(id), new no.personvern.subjects.Hold.Reason.Restriction(UUID.randomUUID()));
        Page restricted = session.get(page);
        assertThat(restricted.body()).contains("user.contact.email").contains("begrenset").doesNotContain("kari.jobb")
                .doesNotContain("+47 *** ** 512").doesNotContain("K***")
                .doesNotContain("value=\"value:");
        assertThat(session.post(page, page + "/reveal", Map.of("identity", row.group(1), "reason", "rectification"))
                .status()).isEqualTo(400);
        assertThat(entries(id, "staff:" + agent.id(), "console.revealed")).hasSize(1);
    }

    @Test
    void anAgentsPageHasNeitherHoldsNorDisclosures() {
        String id = person("kari.secret", "+4791234513");
        String page = "/admin/subjects/" + id;
        ConsoleSession dpo = ConsoleSession.dpo(port);
        Page disclosed = dpo.post(page, page + "/disclosures", Map.of("recipient", "mail-delivery", "categories",
                "user.name", "basis", "dpa"));
        assertThat(disclosed.status()).as(disclosed.body()).isEqualTo(302);
        assertThat(dpo.post(page, page + "/holds", Map.of("reason", "politiets etterforskning 77")).status())
                .isEqualTo(302);
        String shown = dpo.get(page).body();
        assertThat(shown).contains("politiets etterforskning 77").contains(">dpa<");
        String recipient = Pattern.compile("<td>([^<]+)</td>\\s*<td class=\"mono\">user\\.name</td>").matcher(shown)
                .results().map(found -> found.group(1)).findFirst().orElseThrow();

        agent("agent.secret");
        String seen = ConsoleSession.signedIn(port, "agent.secret", PASSWORD).get(page).body();
        assertThat(seen).doesNotContain("politiets etterforskning").doesNotContain(">dpa<")
                .doesNotContain(">" + recipient + "<").doesNotContain("Utleveringer").doesNotContain("/holds/");
    }

    @Test
    void keptDataIsReadOnlyForAReasonFromTheListWhichIsAllTheTrailKeeps() {
        String id = person("kari.kept", "+4791234514");
        String page = "/admin/subjects/" + id;
        ConsoleSession dpo = ConsoleSession.dpo(port);
        Page free = dpo.post(page, page + "/kept", Map.of("reason", "Kari ringte om sin skilsmisse"));
        assertThat(free.status()).isEqualTo(422);
        assertThat(free.body()).contains("Velg hvorfor lagrede data leses").contains("name=\"reason\"")
                .contains("value=\"legal-claims\"");
        Page read = dpo.post(page, page + "/kept", Map.of("reason", "legal-claims"));
        assertThat(read.status()).isEqualTo(200);
        List<AuditEntry> reads = entries(id, null, "subject.restricted-read");
        assertThat(reads).hasSize(1);
        assertThat(reads.get(0).details()).containsEntry("reason", "legal-claims");
        assertThat(trail.newestFirst(AuditTrail.Filter.ALL, null, 500)).allSatisfy(entry -> assertThat(
                entry.details().toString()).doesNotContain("skilsmisse"));
    }

    @Test
    void aHoldNeedsAReasonToEndAndRunsThroughTheDayGivenOnBothPages() {
        String id = person("kari.through", "+4791234515");
        String page = "/admin/subjects/" + id;
        ConsoleSession dpo = ConsoleSession.dpo(port);
        java.time.ZoneId oslo = java.time.ZoneId.of("Europe/Oslo");
        java.time.LocalDate yesterday = java.time.LocalDate.now(oslo).minusDays(1);
        for (String until : List.of(yesterday.toString(), "2020-01-01", "+999999999-12-31", "-999999999-01-01",
                "10000-01-01")) {
            Page refused = dpo.post(page, page + "/holds", Map.of("reason", "tvist", "until", until));
            assertThat(refused.status()).as(until).isEqualTo(400);
            assertThat(refused.body()).as(until).contains("<main").contains("Holdets siste dag må være en gyldig dato");
        }
        assertThat(jdbc.sql("SELECT COUNT(*) FROM legal_hold WHERE subject_id = :s").param("s", UUID.fromString(id))
                .query(Long.class).single()).isZero();

        assertThat(dpo.post(page, page + "/holds", Map.of("reason", "tvist om kontrakt", "until", "2031-03-14"))
                .status()).isEqualTo(302);
        Map<String, Object> hold = jdbc.sql("SELECT id, hold_until FROM legal_hold WHERE subject_id = :s")
                .param("s", UUID.fromString(id)).query().singleRow();
        assertThat(instant(hold.get("hold_until"))).isEqualTo(java.time.LocalDate.parse("2031-03-15").atStartOfDay(oslo)
                .toInstant());
        Page held = dpo.get(page);
        assertThat(held.body()).contains("til og med</span> <span>2031-03-14")
                .contains("aria-label=\"Avslutt holdet «tvist om kontrakt»\"");
        String end = page + "/holds/" + hold.get("id") + "/end";
        assertThat(dpo.post(page, end, Map.of()).status()).isEqualTo(422);
        assertThat(dpo.post(page, end, Map.of("reason", " ")).status()).isEqualTo(422);
        assertThat(dpo.get(page).body()).contains("tvist om kontrakt");
        assertThat(dpo.post(page, end, Map.of("reason", "forlik inngått")).status()).isEqualTo(302);
        assertThat(jdbc.sql("SELECT release_reason FROM legal_hold WHERE id = :id").param("id", hold.get("id"))
                .query(String.class).single()).isEqualTo("forlik inngått");

        // The retention page means the same by a day.
        String other = person("kari.through.two", "+4791234516");
        assertThat(dpo.post("/admin/retention", "/admin/retention/holds", Map.of("subjectId", other, "reason",
                "tvist", "until", "2031-03-14")).status()).isEqualTo(302);
        assertThat(instant(jdbc.sql("SELECT hold_until FROM legal_hold WHERE subject_id = :s")
                .param("s", UUID.fromString(other)).query().singleValue()))
                .isEqualTo(java.time.LocalDate.parse("2031-03-15").atStartOfDay(oslo).toInstant());
        Page today = dpo.post("/admin/retention", "/admin/retention/holds", Map.of("subjectId", other, "reason",
                "tvist", "until", yesterday.toString()));
        assertThat(today.status()).isEqualTo(400);
    }

    @Test
    void extremeDatesOnTheAuditPageGetAPageWithTheError() {
        ConsoleSession dpo = ConsoleSession.dpo(port);
        for (String query : List.of("from=-999999999-01-01", "to=%2B999999999-12-31", "from=1969-12-31",
                "to=9999-12-31", "from=%2B10000-01-01")) {
            Page page = dpo.get("/admin/audit?" + query);
            assertThat(page.status()).as(query).isEqualTo(400);
            assertThat(page.body()).as(query).contains("<main").contains("Oppgi datoer");
            assertThat(dpo.get("/admin/audit/export?" + query).status()).as(query).isEqualTo(400);
        }
        assertThat(dpo.get("/admin/audit?from=1970-01-01&to=9998-12-31").status()).isEqualTo(200);
    }

    @Test
    void theAuditPagesLinksOnwardsWorkWhenFilteringByActor() {
        String id = person("kari.links", "+4791234517");
        ConsoleSession dpo = ConsoleSession.dpo(port);
        for (int i = 0; i < 55; i++) {
            dpo.get("/admin/subjects/" + id);
        }
        Page first = dpo.get("/admin/audit?actor=" + enc("staff:" + dpoId()));
        assertThat(first.status()).isEqualTo(200);
        Matcher older = Pattern.compile("href=\"([^\"]*before=[^\"]*)\"").matcher(first.body());
        assertThat(older.find()).as("a page of 50 has a next page").isTrue();
        Page next = dpo.get(older.group(1).replace("&amp;", "&"));
        assertThat(next.status()).as(older.group(1)).isEqualTo(200);
        assertThat(next.body()).contains("id=\"seq-");
        Matcher export = Pattern.compile("href=\"(/admin/audit/export[^\"]*)\"").matcher(first.body());
        assertThat(export.find()).isTrue();
        Page csv = dpo.get(export.group(1).replace("&amp;", "&"));
        assertThat(csv.status()).as(export.group(1)).isEqualTo(200);
        assertThat(csv.body().lines().skip(1)).isNotEmpty()
                .allSatisfy(line -> assertThat(line).contains("staff:" + dpoId()));
    }

    @Test
    void aSearchIsPostedAndNoLinkOnTheAnswerCarriesTheAddressOrNumber() {
        String id = person("kari.url", "+4791234518");
        agent("agent.url");
        for (ConsoleSession session : List.of(ConsoleSession.dpo(port),
                ConsoleSession.signedIn(port, "agent.url", PASSWORD))) {
            for (Map.Entry<String, String> query : Map.of("email", "kari.url@example.no", "phone", "+4791234518")
                    .entrySet()) {
                Page found = search(session, query.getKey(), query.getValue());
                assertThat(found.status()).isEqualTo(200);
                assertThat(found.body()).contains("/admin/subjects/" + id);
                List<String> links = Pattern.compile("(?:href|action|src)=\"([^\"]*)\"").matcher(found.body()).results()
                        .map(link -> java.net.URLDecoder.decode(link.group(1).replace("&amp;", "&"),
                                StandardCharsets.UTF_8)).toList();
                assertThat(links).isNotEmpty().allSatisfy(link -> assertThat(link).doesNotContain("kari.url")
                        .doesNotContain("91234518"));
                assertThat(found.body()).contains("method=\"post\" action=\"/admin/subjects\"");
            }
        }
        assertThat(ConsoleSession.dpo(port).get("/admin/subjects?kind=email&q=" + enc("kari.url@example.no")).body())
                .as("a search in the address is not run").doesNotContain("/admin/subjects/" + id);
    }

    @Test
    void timesAreShownInNorwegianTime() {
        String id = person("kari.time", "+4791234519");
        ConsoleSession dpo = ConsoleSession.dpo(port);
        Api.Response consent = api.post("/api/v1/subjects/" + id + "/consents", Api.ADMIN_TOKEN, """
                {"purpose":"marketing.communications.email","granted":true,"method":"web-form","source":"test"}""");
        assertThat(consent.status()).as(consent.body()).isIn(200, 201);
        java.time.format.DateTimeFormatter minutes = java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm");
        java.time.ZoneId oslo = java.time.ZoneId.of("Europe/Oslo");
        java.time.Instant recorded = instant(jdbc.sql("SELECT recorded_at FROM consent_record WHERE subject_id = :s")
                .param("s", UUID.fromString(id)).query().listOfRows().get(0).get("recorded_at"));
        assertThat(dpo.get("/admin/subjects/" + id).body()).contains(minutes.format(recorded.atZone(oslo)))
                .doesNotContain(minutes.format(recorded.atZone(java.time.ZoneOffset.UTC)));

        java.time.Instant signedIn = staff.find(dpoId()).orElseThrow().lastSignInAt();
        assertThat(dpo.get("/admin/staff").body()).contains(minutes.format(signedIn.atZone(oslo)))
                .doesNotContain(minutes.format(signedIn.atZone(java.time.ZoneOffset.UTC)));

        AuditEntry entry = entries(id, "staff:" + dpoId(), "console.viewed").get(0);
        java.time.format.DateTimeFormatter seconds = java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
        String audit = dpo.get("/admin/audit?before=" + (entry.seq() + 1)).body();
        String row = audit.substring(audit.indexOf("id=\"seq-" + entry.seq() + "\""));
        row = row.substring(0, row.indexOf("</tr>"));
        assertThat(row).contains(seconds.format(entry.at().atZone(oslo)));
    }

    @Test
    void repeatedButtonsNameTheirRow() {
        StaffMember agent = agent("agent.named");
        String page = ConsoleSession.dpo(port).get("/admin/staff").body();
        assertThat(page).contains("aria-label=\"Endre rolle for " + agent.displayName() + "\"")
                .contains("aria-label=\"Deaktiver " + agent.displayName() + "\"");
    }

    @Test
    void anAddressThatNamesSeveralPeopleIsSaidToOnTheAuditPage() {
        String one = person("kari.twin", "+4791234521");
        String two = person("kari.twin.two", "+4791234522");
        org.mockito.Mockito.doReturn(List.of(UUID.fromString(one), UUID.fromString(two))).when(vault)
                .find("email", "kari.twin@example.no");
        ConsoleSession dpo = ConsoleSession.dpo(port);
        dpo.get("/admin/subjects/" + two);
        Page page = dpo.get("/admin/audit?person=" + enc("kari.twin@example.no") + "&action=console.viewed");
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.body()).contains("2 personer har denne adressen")
                .contains("ref=" + trail.subjectRef(UUID.fromString(one)))
                .contains("ref=" + trail.subjectRef(UUID.fromString(two)));
        Page chosen = dpo.get("/admin/audit?ref=" + trail.subjectRef(UUID.fromString(two)) + "&action=console.viewed");
        assertThat(chosen.body()).contains(trail.subjectRef(UUID.fromString(two)));
    }

    private static java.time.Instant instant(Object value) {
        if (value instanceof java.time.OffsetDateTime offset) {
            return offset.toInstant();
        }
        if (value instanceof java.sql.Timestamp timestamp) {
            return timestamp.toInstant();
        }
        if (value instanceof java.time.Instant instant) {
            return instant;
        }
        throw new IllegalStateException(String.valueOf(value == null ? null : value.getClass()));
    }

    private Page search(ConsoleSession session, String kind, String q) {
        return session.post("/admin/subjects", "/admin/subjects", Map.of("kind", kind, "q", q));
    }

    private Page dpo(String path) {
        return ConsoleSession.dpo(port).get(path);
    }

    private static String enc(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }
}
