package no.personvern.web.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
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

    @Autowired
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

        Page byEmail = dpo.get("/admin/subjects?kind=email&q=" + enc(" Kari.DPO@example.no "));
        assertThat(byEmail.status()).isEqualTo(200);
        assertThat(byEmail.body()).contains("/admin/subjects/" + id).contains("kari.dpo@example.no");
        assertThat(dpo.get("/admin/subjects?kind=phone&q=" + enc("912 34 501")).body()).contains("/admin/subjects/" + id);
        assertThat(dpo.get("/admin/subjects?kind=email&q=" + enc("nobody.here@example.no")).body())
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

        Page found = session.get("/admin/subjects?kind=email&q=" + enc("kari.agent@example.no"));
        // The form keeps what the agent typed; the results show the person's identities masked.
        String results = found.body().substring(found.body().indexOf("<ul class=\"results\""));
        assertThat(results).contains("/admin/subjects/" + id).contains("k***@example.no").contains("+47 *** ** 502")
                .doesNotContain("kari.agent").doesNotContain("91234502");
        Page page = session.get("/admin/subjects/" + id);
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.body()).contains("k***@example.no").contains("+47 *** ** 502")
                .doesNotContain("kari.agent").doesNotContain("91234502").doesNotContain("Legg rettslig hold")
                .contains("Kari Nordmann");
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
        assertThat(jdbc.sql("SELECT COUNT(*) FROM legal_hold").query(Long.class).single()).isZero();

        // Rectification is part of handling a request: the agent may correct a value.
        Page rectified = agent.post(page, page + "/rectify", Map.of("category", "user.name", "value", "Kari Retta"));
        assertThat(rectified.status()).isEqualTo(302);
        assertThat(agent.get(page).body()).contains("Kari Retta");
        assertThat(agent.post(page, page + "/rectify", Map.of("category", "user.unknown", "value", "x")).status())
                .isEqualTo(422);

        ConsoleSession dpo = ConsoleSession.dpo(port);
        assertThat(dpo.post(page, page + "/holds", Map.of("reason", "tvist om faktura", "until", "2031-01-01")).status())
                .isEqualTo(302);
        Page held = dpo.get(page);
        assertThat(held.body()).contains("tvist om faktura").contains("Avslutt holdet");
        assertThat(dpo.post(page, page + "/holds", Map.of("reason", "x", "until", "2031-13-45")).status())
                .isEqualTo(422);
        Matcher end = Pattern.compile("(/admin/subjects/[0-9a-f-]+/holds/[0-9a-f-]+/end)").matcher(held.body());
        assertThat(end.find()).isTrue();
        assertThat(dpo.post(page, end.group(1), Map.of()).status()).isEqualTo(302);
        assertThat(dpo.get(page).body()).doesNotContain("tvist om faktura");
        Page kept = dpo.post(page, page + "/kept", Map.of("reason", "skatterevisjon 2026"));
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
    void theDpoLiftsARestrictionThatAnAgentOnlySees() {
        String id = person("kari.restricted", "+4791234507");
        vault.restrict(UUID.fromString(id), new no.personvern.subjects.Hold.Reason.Restriction(UUID.randomUUID()));
        agent("agent.five");
        String page = "/admin/subjects/" + id;
        Page seen = ConsoleSession.signedIn(port, "agent.five", PASSWORD).get(page);
        assertThat(seen.body()).contains("Personens data er begrenset").doesNotContain("/restriction/lift");
        ConsoleSession dpo = ConsoleSession.dpo(port);
        assertThat(dpo.get(page).body()).contains("/restriction/lift").contains("begrenset");
        assertThat(dpo.post(page, page + "/restriction/lift", Map.of()).status()).isEqualTo(302);
        assertThat(vault.isRestricted(UUID.fromString(id))).isFalse();
        assertThat(dpo.get(page).body()).doesNotContain("Personens data er begrenset");
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
        assertThat(dpo.get("/admin/subjects?kind=email&q=" + "a".repeat(2000)).status()).isEqualTo(400);
        assertThat(dpo.get("/admin/subjects?kind=drop&q=x").status()).isEqualTo(400);
        assertThat(dpo.get("/admin/subjects?kind=email&q=" + enc("not an address")).status()).isIn(200, 400);
        assertThat(dpo.get("/admin/subjects?kind=externalId&q=" + enc("no-colon")).status()).isIn(200, 400);
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
        assertThat(dpo.post(page, page + "/holds/" + UUID.randomUUID() + "/end", Map.of()).status()).isEqualTo(404);
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

    private static String enc(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }
}
