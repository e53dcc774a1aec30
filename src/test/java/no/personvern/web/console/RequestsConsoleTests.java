package no.personvern.web.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import no.personvern.requests.DataRequest;
import no.personvern.requests.RequestDesk;
import no.personvern.requests.RequestStatus;
import no.personvern.requests.RequestType;
import no.personvern.security.Staff;
import no.personvern.security.StaffMember;
import no.personvern.security.StaffRole;
import no.personvern.subjects.Vault;
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
 * The request pages of the console through HTTP as a browser uses them: the queue's filters, search
 * by e-mail (blind index) and by id, keyset pages, the CSV export, roles (masked identities for
 * agents, approval for the DPO only), four eyes on an agent's erasure, the decisions mailed to the
 * person, assignment, and hostile input answered with a page, never a 500.
 */
@DatabaseTest
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = {ConsoleSession.FIRST_DPO,
    ConsoleSession.FIRST_DPO_PASSWORD, "personvern.mail.poll-interval=PT0.1S",
    "personvern.mail.retry.initial-delay=PT0S", "personvern.trusted-proxies=127.0.0.1/32,::1/128"})
class RequestsConsoleTests {

    static final String AGENT = "agent.requests";
    static final String AGENT_PASSWORD = "a long agent password";
    private static final Pattern REQUEST_LINK = Pattern.compile("/admin/requests/([0-9a-f-]{36})\"");

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
    RequestDesk desk;

    @Autowired
    Vault vault;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    no.personvern.catalog.Catalog catalog;

    Api api;
    Mailbox mailbox;
    UUID agentId;

    @BeforeEach
    void setUp() {
        api = new Api(port);
        mailbox = Mailbox.of(MAIL, jdbc);
        agentId = staff.list().stream().filter(member -> member.username().equals(AGENT)).map(StaffMember::id)
                .findFirst().orElseGet(() -> {
                    var invitation = staff.invite(AGENT, "Agnes Agent", "agnes@example.test", StaffRole.AGENT);
                    return staff.acceptInvitation(invitation.secret(), AGENT_PASSWORD).id();
                });
    }

    private ConsoleSession dpo() {
        return ConsoleSession.dpo(port);
    }

    private ConsoleSession agent() {
        return ConsoleSession.signedIn(port, AGENT, AGENT_PASSWORD);
    }

    private static String unique(String name) {
        return name + "-" + UUID.randomUUID().toString().substring(0, 8) + "@example.no";
    }

    /** A channel of a test's own, so that its filters see only its requests. */
    private static String channel() {
        return "t-" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    }

    /** A person the vault knows by a verified address. */
    private UUID person(String email) {
        return UUID.fromString(People.in("go", "service-delivery").email(email).verified("email")
                .create(api, Api.ADMIN_TOKEN));
    }

    /** A rectification (it stays open for staff to decide) filed for a new person with this address. */
    private DataRequest rectification(String email, String channel) {
        return desk.submitVerified(RequestType.RECTIFICATION, email, null, channel, "bankid", "Mitt navn er feil");
    }

    private static List<String> ids(Page page) {
        List<String> ids = new ArrayList<>();
        Matcher matcher = REQUEST_LINK.matcher(page.body());
        while (matcher.find()) {
            ids.add(matcher.group(1));
        }
        return ids;
    }

    /** The identities a page shows of the people on it. */
    private static List<String> identities(Page page) {
        List<String> shown = new ArrayList<>();
        Matcher matcher = Pattern.compile("class=\"mono identity[^\"]*\">([^<]*)<").matcher(page.body());
        while (matcher.find()) {
            shown.add(matcher.group(1));
        }
        return shown;
    }

    private long audited(String action, String like) {
        String where = " WHERE action = :action AND details LIKE :like";
        return jdbc.sql("SELECT COUNT(*) FROM audit_pending" + where).param("action", action).param("like", like)
                .query(Long.class).single()
                + jdbc.sql("SELECT COUNT(*) FROM audit_entry" + where).param("action", action).param("like", like)
                        .query(Long.class).single();
    }

    private long auditedAnywhere(String like) {
        return jdbc.sql("SELECT COUNT(*) FROM audit_pending WHERE details LIKE :like").param("like", like)
                .query(Long.class).single()
                + jdbc.sql("SELECT COUNT(*) FROM audit_entry WHERE details LIKE :like").param("like", like)
                        .query(Long.class).single();
    }

    @Test
    void theQueueFiltersSearchesByEmailAndIdAndPagesByKeysetAcrossPages() {
        String channel = channel();
        List<String> filed = new ArrayList<>();
        List<String> emails = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            String email = unique("queue" + i);
            emails.add(email);
            filed.add(rectification(email, channel).id().toString());
        }
        ConsoleSession dpo = dpo();

        // Pages of two, sorted by deadline (then id), each "next" link carrying the last row's (due, id).
        List<String> seen = new ArrayList<>();
        String next = "/admin/requests?channel=" + channel + "&size=2";
        int pages = 0;
        while (next != null) {
            Page page = dpo.get(next.replace("&amp;", "&"));
            assertThat(page.status()).as(page.body()).isEqualTo(200);
            List<String> onPage = ids(page);
            assertThat(onPage).hasSizeLessThanOrEqualTo(2);
            seen.addAll(onPage);
            Matcher link = Pattern.compile("href=\"([^\"]+)\" rel=\"next\"").matcher(page.body());
            next = link.find() ? link.group(1) : null;
            if (next != null) {
                assertThat(next).contains("after=").doesNotContain("offset").doesNotContain("page=");
            }
            pages++;
        }
        assertThat(pages).isEqualTo(3);
        assertThat(seen).containsExactlyElementsOf(filed);

        // Filters: type and status narrow it; a type it does not hold finds nothing.
        assertThat(ids(dpo.get("/admin/requests?channel=" + channel + "&type=rectification&status=open")))
                .containsExactlyElementsOf(filed);
        assertThat(ids(dpo.get("/admin/requests?channel=" + channel + "&type=access"))).isEmpty();
        assertThat(ids(dpo.get("/admin/requests?channel=" + channel + "&overdue=on"))).isEmpty();
        assertThat(ids(dpo.get("/admin/requests?channel=" + channel + "&dueBefore=2000-01-01"))).isEmpty();
        assertThat(ids(dpo.get("/admin/requests?channel=" + channel + "&dueBefore=2999-01-01"))).hasSize(5);

        // Search by e-mail (through the blind index, whatever its case) and by id.
        assertThat(ids(dpo.get("/admin/requests?q=" + emails.get(2).toUpperCase()))).containsExactly(filed.get(2));
        assertThat(ids(dpo.get("/admin/requests?q=" + filed.get(3)))).containsExactly(filed.get(3));
        assertThat(ids(dpo.get("/admin/requests?q=" + unique("nobody")))).isEmpty();
        assertThat(auditedAnywhere("%" + emails.get(2) + "%")).as("no address on the trail").isZero();

        // The export: the filtered list, streamed as CSV, without any address.
        Page csv = dpo.get("/admin/requests/export?channel=" + channel);
        assertThat(csv.status()).isEqualTo(200);
        assertThat(csv.header("Content-Type")).startsWith("text/csv");
        List<String> lines = csv.body().lines().toList();
        assertThat(lines.get(0)).isEqualTo("request,type,status,channel,received,due,assignee");
        assertThat(lines).hasSize(6);
        assertThat(lines.subList(1, 6)).allSatisfy(line -> assertThat(line).contains(",rectification,open," + channel));
        assertThat(lines.subList(1, 6).stream().map(line -> line.substring(0, 36)).toList())
                .containsExactlyElementsOf(filed);
        assertThat(csv.body()).doesNotContain("@");
    }

    @Test
    void anAgentSeesTheAddressMaskedUntilRevealedWithAReasonAndTheDpoSeesItInFull() {
        String email = unique("maskert");
        DataRequest request = rectification(email, channel());
        String path = "/admin/requests/" + request.id();

        Page asAgent = agent().get(path);
        assertThat(asAgent.status()).isEqualTo(200);
        assertThat(asAgent.body()).contains(Masks.email(email)).doesNotContain(email).contains("Mitt navn er feil");
        assertThat(audited("console.viewed", "%" + request.id() + "%")).isPositive();

        ConsoleSession agent = agent();
        Page noReason = agent.post(path, path + "/reveal", Map.of("what", "email", "reason", "curious"));
        assertThat(noReason.status()).isEqualTo(400);
        assertThat(noReason.body()).doesNotContain(email);
        Page revealed = agent.post(path, path + "/reveal", Map.of("what", "email", "reason", "request-handling"));
        assertThat(revealed.status()).isEqualTo(200);
        assertThat(revealed.body()).contains(email);
        assertThat(audited("console.revealed", "%request-handling%")).isPositive();

        Page asDpo = dpo().get(path);
        assertThat(asDpo.body()).contains(email);
    }

    @Test
    void anAgentsErasureWaitsForTheDpoWhoAloneApprovesItAndOnlyThenIsThePersonErased() {
        String email = unique("slett");
        UUID subject = person(email);
        ConsoleSession agent = agent();
        Page search = agent.post("/admin/intake", "/admin/intake/search", Map.of("kind", "email", "q", email));
        assertThat(search.status()).isEqualTo(200);
        assertThat(identities(search)).containsExactly(Masks.email(email));
        String marker = "passport-" + UUID.randomUUID();
        Page filed = agent.post("/admin/intake", "/admin/intake", Map.of("kind", "email",
                "q", email, "subject", subject.toString(), "type", "erasure", "channel", "phone", "method", "other",
                "note", marker));
        assertThat(filed.status()).as(filed.body()).isEqualTo(302);
        UUID id = UUID.fromString(filed.location().replaceAll(".*/admin/requests/([0-9a-f-]{36}).*", "$1"));

        assertThat(desk.get(id).status()).isEqualTo(RequestStatus.AWAITING_APPROVAL);
        assertThat(vault.isLive(subject)).as("nothing erased before the approval").isTrue();
        assertThat(jdbc.sql("SELECT COUNT(*) FROM request_delivery WHERE request_id = :id").param("id", id)
                .query(Long.class).single()).as("nothing sent to a connected system").isZero();
        assertThat(jdbc.sql("SELECT COUNT(*) FROM data_request WHERE id = :id AND executed_at IS NOT NULL")
                .param("id", id).query(Long.class).single()).as("not carried out").isZero();
        assertThat(auditedAnywhere("%" + marker + "%")).as("how the caller was verified stays off the trail").isZero();
        assertThat(jdbc.sql("SELECT verified_by FROM data_request WHERE id = :id").param("id", id).query(String.class)
                .single()).as("one of the fixed methods, never free text (it outlives an erasure)").isEqualTo("other");
        assertThat(search.body()).doesNotContain("name=\"note\"");
        assertThat(Mailbox.recipients(mailbox.lastTo(email))).as("the person is mailed at the address on file")
                .contains(email);
        assertThat(ids(dpo().get("/admin/requests?status=awaiting_approval"))).contains(id.toString());

        Page refused = agent.post("/admin/requests/" + id, "/admin/requests/" + id + "/approve", Map.of());
        assertThat(refused.status()).as("an agent cannot approve").isEqualTo(403);
        assertThat(vault.isLive(subject)).isTrue();
        assertThat(agent.get("/admin/requests/" + id).body()).doesNotContain("/approve\"");

        ConsoleSession dpo = dpo();
        Page page = dpo.get("/admin/requests/" + id);
        assertThat(page.body()).contains("/admin/requests/" + id + "/approve");
        Page approved = dpo.post("/admin/requests/" + id, "/admin/requests/" + id + "/approve", Map.of());
        assertThat(approved.status()).isEqualTo(302);
        assertThat(approved.location()).endsWith("/admin/requests/" + id + "?done=approved");
        assertThat(desk.get(id).status()).isEqualTo(RequestStatus.COMPLETED);
        assertThat(vault.isLive(subject)).as("erased once approved").isFalse();
        assertThat(audited("request.approved", "%staff:" + agentId + "%")).isPositive();
        assertThat(dpo.post("/admin/requests", "/admin/requests/" + id + "/approve", Map.of()).status())
                .as("approved once only").isEqualTo(409);
    }

    @Test
    void theDpoRefusesAnAgentsErasureWithReasonsThePersonIsTold() {
        String email = unique("avslag");
        UUID subject = person(email);
        ConsoleSession agent = agent();
        Page filed = agent.post("/admin/intake", "/admin/intake", Map.of("kind", "email",
                "q", email, "subject", subject.toString(), "type", "erasure", "channel", "phone", "method", "bankid"));
        UUID id = UUID.fromString(filed.location().replaceAll(".*/admin/requests/([0-9a-f-]{36}).*", "$1"));
        String reason = "Innringeren kunne ikke bekreftes " + UUID.randomUUID();
        Page refused = dpo().post("/admin/requests/" + id, "/admin/requests/" + id + "/refuse", Map.of("reason", reason));
        assertThat(refused.status()).isEqualTo(302);
        assertThat(desk.get(id).status()).isEqualTo(RequestStatus.REJECTED);
        assertThat(vault.isLive(subject)).isTrue();
        assertThat(Mailbox.text(mailbox.lastTo(email))).contains(reason);
        assertThat(audited("request.approval-refused", "%staff:" + agentId + "%")).isPositive();
    }

    @Test
    void fourEyesAreTwoPeopleAnAgentMadeDpoCannotApproveTheirOwnErasure() {
        String username = "agent.promoted-" + UUID.randomUUID().toString().substring(0, 6);
        var invitation = staff.invite(username, "Per Forfremmet", "per@example.test", StaffRole.AGENT);
        UUID member = staff.acceptInvitation(invitation.secret(), AGENT_PASSWORD).id();
        String email = unique("egen");
        UUID subject = person(email);
        ConsoleSession filer = ConsoleSession.signedIn(port, username, AGENT_PASSWORD);
        Page filed = filer.post("/admin/intake", "/admin/intake", Map.of("kind", "email",
                "q", email, "subject", subject.toString(), "type", "erasure", "channel", "phone", "method", "bankid"));
        UUID id = UUID.fromString(filed.location().replaceAll(".*/admin/requests/([0-9a-f-]{36}).*", "$1"));
        staff.changeRole(member, StaffRole.DPO);

        Page own = filer.get("/admin/requests/" + id);
        assertThat(own.body()).doesNotContain("/admin/requests/" + id + "/approve");
        Page refused = filer.post("/admin/requests/" + id, "/admin/requests/" + id + "/approve", Map.of());
        assertThat(refused.status()).isEqualTo(403);
        assertThat(vault.isLive(subject)).isTrue();
        assertThat(desk.get(id).status()).isEqualTo(RequestStatus.AWAITING_APPROVAL);
        assertThat(dpo().post("/admin/requests/" + id, "/admin/requests/" + id + "/approve", Map.of()).status())
                .as("another DPO may").isEqualTo(302);
        assertThat(vault.isLive(subject)).isFalse();
    }

    @Test
    void extendRejectAndCompleteMailThePersonTheReasons() {
        String channel = channel();
        String first = unique("forleng");
        String second = unique("avvis");
        String third = unique("fullfor");
        DataRequest extend = rectification(first, channel);
        DataRequest reject = rectification(second, channel);
        DataRequest complete = rectification(third, channel);
        ConsoleSession dpo = dpo();

        String why = "Vi må hente opplysninger fra arkivet " + UUID.randomUUID();
        Page extended = dpo.post("/admin/requests/" + extend.id(), "/admin/requests/" + extend.id() + "/extend",
                Map.of("reason", why));
        assertThat(extended.status()).isEqualTo(302);
        assertThat(desk.get(extend.id()).extendedUntil()).isNotNull();
        assertThat(Mailbox.text(mailbox.lastTo(first))).contains(why);
        Page again = dpo.post("/admin/requests/" + extend.id(), "/admin/requests/" + extend.id() + "/extend",
                Map.of("reason", "once more"));
        assertThat(again.status()).as("extended once only (Art. 12(3))").isEqualTo(409);
        assertThat(again.body()).contains("extended once");
        // The queue sorts by the deadline that counts now: the extended one is last.
        assertThat(ids(dpo.get("/admin/requests?channel=" + channel))).containsExactly(reject.id().toString(),
                complete.id().toString(), extend.id().toString());

        String no = "Opplysningene er riktige " + UUID.randomUUID();
        assertThat(dpo.post("/admin/requests/" + reject.id(), "/admin/requests/" + reject.id() + "/reject",
                Map.of("reason", no)).status()).isEqualTo(302);
        assertThat(desk.get(reject.id()).status()).isEqualTo(RequestStatus.REJECTED);
        assertThat(Mailbox.text(mailbox.lastTo(second))).contains(no);

        String done = "Navnet er rettet " + UUID.randomUUID();
        Page completed = dpo.post("/admin/requests/" + complete.id(), "/admin/requests/" + complete.id() + "/complete",
                Map.of("outcome", done));
        assertThat(completed.status()).isEqualTo(302);
        assertThat(dpo.get(completed.location()).body()).contains(done);
        assertThat(desk.get(complete.id()).status()).isEqualTo(RequestStatus.COMPLETED);
        assertThat(Mailbox.text(mailbox.lastTo(third))).contains(done);

        Page empty = dpo.post("/admin/requests/" + reject.id(), "/admin/requests/" + reject.id() + "/complete",
                Map.of("outcome", " "));
        assertThat(empty.status()).isIn(400, 409);
    }

    @Test
    void aRequestIsAssignedByStaffIdsAndFoundByAssigneeAndMine() {
        String channel = channel();
        DataRequest request = rectification(unique("tildel"), channel);
        DataRequest other = rectification(unique("annen"), channel);
        ConsoleSession dpo = dpo();
        Page assigned = dpo.post("/admin/requests/" + request.id(), "/admin/requests/" + request.id() + "/assign",
                Map.of("assignee", agentId.toString()));
        assertThat(assigned.status()).isEqualTo(302);
        assertThat(dpo.get("/admin/requests/" + request.id()).body()).contains("Agnes Agent");
        assertThat(ids(dpo.get("/admin/requests?channel=" + channel + "&assignee=" + agentId)))
                .containsExactly(request.id().toString());
        assertThat(ids(agent().get("/admin/requests?channel=" + channel + "&mine=on")))
                .containsExactly(request.id().toString());
        assertThat(ids(dpo.get("/admin/requests?channel=" + channel + "&mine=on"))).isEmpty();
        assertThat(audited("request.assigned", "%staff:" + agentId + "%")).isPositive();
        assertThat(dpo.get("/admin/requests/export?channel=" + channel).body()).contains(request.id() + ",")
                .contains(AGENT).contains(other.id().toString());

        Page unknown = dpo.post("/admin/requests/" + request.id(), "/admin/requests/" + request.id() + "/assign",
                Map.of("assignee", UUID.randomUUID().toString()));
        assertThat(unknown.status()).isEqualTo(400);
    }

    @Test
    void hostileInputGetsAPageNeverAServerError() {
        ConsoleSession dpo = dpo();
        for (String path : List.of("/admin/requests/not-a-uuid", "/admin/requests/" + UUID.randomUUID(),
                "/admin/requests/%27%20OR%201=1--")) {
            Page page = dpo.get(path);
            assertThat(page.status()).as(path).isEqualTo(404);
            assertThat(page.body()).as(path).contains("<main").doesNotContain("Exception");
        }
        String longValue = "x".repeat(5000);
        for (String query : List.of("status=bogus", "type=x", "channel=DROP%20TABLE", "dueBefore=2026-13-45",
                "assignee=me", "size=99999", "size=-1", "after=garbage", "after=2026-01-01T00:00:00Z_nope",
                "q=" + longValue, "q=not-an-email", "q=%3Cscript%3E@", "channel=" + longValue,
                "dueBefore=-999999999-01-01", "dueBefore=%2B999999999-12-31", "dueBefore=1969-12-31",
                "dueBefore=9999-01-01", "after=-1000000000-01-01T00:00:00Z_" + UUID.randomUUID(),
                "after=%2B1000000000-12-31T23:59:59Z_" + UUID.randomUUID(), "status=" + "any".repeat(2),
                "subject=nobody")) {
            Page page = dpo.get("/admin/requests?" + query);
            assertThat(page.status()).as(query).isEqualTo(400);
            assertThat(page.body()).as(query).contains("error-summary").doesNotContain("<script>@");
            assertThat(dpo.get("/admin/requests/export?" + query).status()).as("export " + query).isEqualTo(400);
        }
        String unknown = "/admin/requests/" + UUID.randomUUID();
        assertThat(dpo.post("/admin/requests", unknown + "/extend", Map.of("reason", "x")).status()).isEqualTo(404);
        assertThat(dpo.post("/admin/requests", "/admin/requests/x/extend", Map.of("reason", "x")).status())
                .isEqualTo(404);
        DataRequest request = rectification(unique("fiendtlig"), channel());
        String path = "/admin/requests/" + request.id();
        assertThat(dpo.post(path, path + "/systems/nowhere/retry", Map.of()).status()).isEqualTo(404);
        assertThat(dpo.post(path, path + "/extend", Map.of("reason", longValue)).status()).isEqualTo(400);
        assertThat(dpo.post(path, path + "/reveal", Map.of("what", "password", "reason", "complaint")).status())
                .isEqualTo(400);
        assertThat(dpo.postRaw(path + "/reject", Map.of("reason", "no token")).status()).isEqualTo(403);
        assertThat(dpo.post("/admin/intake", "/admin/intake/search", Map.of("kind", "email", "q", "not-an-address"))
                .status()).isEqualTo(400);
        assertThat(dpo.post("/admin/intake", "/admin/intake/search", Map.of("kind", "nothing", "q", "x")).status())
                .isEqualTo(400);
        assertThat(dpo.post("/admin/intake", "/admin/intake", Map.of("kind", "email", "q", unique("ingen"),
                "subject", UUID.randomUUID().toString(), "type", "erasure", "channel", "phone", "method", "bankid"))
                .status()).as("only a person the search found").isEqualTo(404);
        assertThat(desk.get(request.id()).status()).isEqualTo(RequestStatus.OPEN);
    }

    /** A person with an access request whose package waits for the DPO's review (a disclosure to a court). */
    private DataRequest accessUnderReview(String email) {
        String subject = People.in("go", "service-delivery").email(email).verified("email")
                .data("user.contact.address", "Gata 1").create(api, Api.ADMIN_TOKEN);
        assertThat(api.post("/api/v1/disclosures", Api.ADMIN_TOKEN, no.personvern.testing.Json.object("recipient",
                "domstolene", "subjectId", subject, "dataCategories", List.of("user.contact.address"), "basis",
                "court-order", "reference", "26-012345TVI-OTIR")).status()).isEqualTo(201);
        DataRequest filed = desk.submitVerified(RequestType.ACCESS, null, UUID.fromString(subject), channel(), "bankid",
                null);
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(20)).until(() -> {
            DataRequest now = desk.get(filed.id());
            return now.review() != null && "pending".equals(now.review().state());
        });
        return desk.get(filed.id());
    }

    @Test
    void whileAPackageWaitsForTheDposReviewNobodyCompletesRejectsOrExtendsItAroundTheReview() {
        DataRequest request = accessUnderReview(unique("gjennomgang"));
        assertThat(request.status()).isEqualTo(RequestStatus.IN_PROGRESS);
        String path = "/admin/requests/" + request.id();
        ConsoleSession agent = agent();
        Page page = agent.get(path);
        assertThat(page.body()).as("no way around the review on the agent's page").doesNotContain(path + "/complete")
                .doesNotContain(path + "/reject").doesNotContain(path + "/extend").doesNotContain(path + "/release");
        for (String action : List.of("complete", "reject", "extend")) {
            Page refused = agent.post(path, path + "/" + action, Map.of("outcome", "Her er alt", "reason", "Fordi"));
            assertThat(refused.status()).as(action).isEqualTo(409);
            assertThat(desk.get(request.id()).status()).as(action).isEqualTo(RequestStatus.IN_PROGRESS);
        }
        assertThat(desk.get(request.id()).extendedUntil()).isNull();
        assertThat(dpo().get(path).body()).as("the DPO releases it").contains(path + "/release");
        Page released = dpo().post(path, path + "/release", Map.of("reason", "Ingenting holdes tilbake"));
        assertThat(released.status()).as(released.body()).isEqualTo(302);
        assertThat(desk.get(request.id()).status()).isEqualTo(RequestStatus.COMPLETED);
        assertThat(dpo().get(path).body()).doesNotContain(path + "/release");
    }

    @Test
    void anErasureAwaitingApprovalStaysOnTheClockOverdueOnTheDashboardRemindedAndJoinedByTheNextOne() {
        String email = unique("venter");
        UUID subject = person(email);
        ConsoleSession agent = agent();
        Map<String, String> erasure = Map.of("kind", "email", "q", email, "subject", subject.toString(), "type",
                "erasure", "channel", "phone", "method", "bankid");
        Page filed = agent.post("/admin/intake", "/admin/intake", erasure);
        UUID id = UUID.fromString(filed.location().replaceAll(".*/admin/requests/([0-9a-f-]{36}).*", "$1"));
        assertThat(desk.get(id).status()).isEqualTo(RequestStatus.AWAITING_APPROVAL);

        // The same erasure asked for again is joined to the waiting one, not filed twice.
        Page again = agent.post("/admin/intake", "/admin/intake", erasure);
        assertThat(again.location()).contains("/admin/requests/" + id);

        long before = Long.parseLong(figure(dpo().get("/admin").body(), "due-overdue"));
        java.time.OffsetDateTime past = java.time.OffsetDateTime.now(java.time.ZoneOffset.UTC).minusDays(2);
        jdbc.sql("UPDATE data_request SET due_at = :past, due_by = :past WHERE id = :id").param("past", past)
                .param("id", id).update();
        assertThat(Long.parseLong(figure(dpo().get("/admin").body(), "due-overdue"))).as("counted overdue")
                .isEqualTo(before + 1);

        desk.remindDeadlines();
        assertThat(jdbc.sql("SELECT overdue_mailed_at IS NOT NULL FROM data_request WHERE id = :id").param("id", id)
                .query(Boolean.class).single()).as("the DPO is reminded it is overdue").isTrue();
        String dpoMailbox = catalog.controller().privacyMailbox();
        assertThat(mailbox.all().stream().filter(mail -> Mailbox.recipients(mail).anyMatch(dpoMailbox::equals))
                .map(RequestsConsoleTests::subject).filter(line -> line.contains(id.toString())))
                .anySatisfy(line -> assertThat(line).startsWith("Overdue"));
    }

    private static String subject(jakarta.mail.internet.MimeMessage mail) {
        try {
            return mail.getSubject();
        } catch (jakarta.mail.MessagingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String figure(String body, String id) {
        Matcher matcher = Pattern.compile("id=\"" + Pattern.quote(id) + "\"[^>]*>\\s*([0-9]+)\\s*<").matcher(body);
        assertThat(matcher.find()).as("figure " + id).isTrue();
        return matcher.group(1);
    }

    @Test
    void theQueueShowsTheWaitingRequestsFirstAndClosedOnesOnAskingForAnyStatus() {
        String channel = channel();
        DataRequest old = rectification(unique("gammel"), channel);
        desk.complete(old.id(), "Rettet for lenge siden.");
        java.time.OffsetDateTime longAgo = java.time.OffsetDateTime.parse("2001-01-01T00:00:00Z");
        jdbc.sql("UPDATE data_request SET due_by = :at WHERE id = :id").param("at", longAgo).param("id", old.id())
                .update();
        DataRequest open = rectification(unique("aapen"), channel);
        ConsoleSession dpo = dpo();
        assertThat(ids(dpo.get("/admin/requests?channel=" + channel))).containsExactly(open.id().toString());
        assertThat(ids(dpo.get("/admin/requests?size=1"))).as("the first page of the whole queue")
                .doesNotContain(old.id().toString());
        assertThat(ids(dpo.get("/admin/requests?channel=" + channel + "&status=any")))
                .containsExactly(old.id().toString(), open.id().toString());
        assertThat(ids(dpo.get("/admin/requests?channel=" + channel + "&status=completed")))
                .containsExactly(old.id().toString());
        assertThat(dpo.get("/admin/requests/export?channel=" + channel).body()).doesNotContain(old.id().toString())
                .contains(open.id().toString());
        assertThat(ids(dpo.get("/admin/requests?q=" + old.id()))).as("found by id whatever its status")
                .containsExactly(old.id().toString());
    }

    @Test
    void anEmailSearchedForNeverGoesIntoALinkOnlyThePersonsId() {
        String email = unique("lenke");
        String channel = channel();
        DataRequest first = rectification(email, channel);
        UUID subject = jdbc.sql("SELECT subject_id FROM data_request WHERE id = :id").param("id", first.id())
                .query(UUID.class).single();
        DataRequest second = desk.submitVerified(RequestType.ACCESS, null, subject, channel, "bankid", null);
        ConsoleSession dpo = dpo();
        Page found = dpo.post("/admin/requests", "/admin/requests", Map.of("q", email, "size", "1", "status", "any"));
        assertThat(found.status()).as(found.body()).isEqualTo(200);
        assertThat(ids(found)).as(found.body()).hasSize(1);
        Matcher links = Pattern.compile("(?:href|action)=\"([^\"]*)\"").matcher(found.body());
        List<String> urls = new ArrayList<>();
        while (links.find()) {
            urls.add(links.group(1));
        }
        assertThat(urls).isNotEmpty().noneSatisfy(url -> assertThat(url.toLowerCase()).contains("lenke-"));
        assertThat(urls).noneSatisfy(url -> assertThat(url).contains("%40"));
        Matcher next = Pattern.compile("href=\"([^\"]+)\" rel=\"next\"").matcher(found.body());
        assertThat(next.find()).isTrue();
        assertThat(next.group(1)).contains("subject=" + subject).doesNotContain("q=");
        List<String> both = new ArrayList<>(ids(found));
        both.addAll(ids(dpo.get(next.group(1).replace("&amp;", "&"))));
        assertThat(both).containsExactlyInAnyOrder(first.id().toString(), second.id().toString());
        assertThat(found.body()).containsPattern("href=\"/admin/requests/export\\?[^\"]*subject=" + subject);
        Page none = dpo.post("/admin/requests", "/admin/requests", Map.of("q", unique("ingen")));
        assertThat(ids(none)).isEmpty();
        assertThat(none.body()).doesNotContain("/admin/requests/export");

        // The intake's search is posted too: the address is in no URL of the page.
        Page intake = dpo.post("/admin/intake", "/admin/intake/search", Map.of("kind", "email", "q", email));
        assertThat(intake.status()).isEqualTo(200);
        assertThat(intake.body()).contains(email).contains("method=\"post\" action=\"/admin/intake/search\"")
                .doesNotContainPattern("(?:href|action)=\"[^\"]*lenke-");
        assertThat(dpo.get("/admin/intake?kind=email&q=" + email).body()).as("a search in a URL is not run")
                .doesNotContain("class=\"card person\"");
        assertThat(dpo.get("/admin/intake/search?lang=en").status()).as("the language link of a posted search")
                .isEqualTo(302);
    }

    @Test
    void theRequestPageShowsHowThePersonWasVerifiedAndAsksForAReasonBeforeRevealing() {
        DataRequest request = rectification(unique("bekreftet"), channel());
        Page page = agent().get("/admin/requests/" + request.id() + "?lang=en");
        assertThat(page.body()).contains("class=\"verified-by\">BankID<");
        assertThat(page.body()).containsPattern("<select id=\"reason-email\" name=\"reason\" required>\\s*"
                + "<option value=\"\">");
        DataRequest byApi = desk.submitVerified(RequestType.RECTIFICATION, unique("api"), null, channel(),
                "Kari at the front desk, passport", null);
        assertThat(dpo().get("/admin/requests/" + byApi.id()).body())
                .contains("class=\"verified-by\">Kari at the front desk, passport<");
        String email = unique("avsloer");
        UUID subject = person(email);
        Page intake = agent().post("/admin/intake", "/admin/intake/search", Map.of("kind", "email", "q", email));
        assertThat(subject).isNotNull();
        assertThat(intake.body()).containsPattern("<select id=\"reason-0\" name=\"reason\" required>\\s*"
                + "<option value=\"\">");
    }

    @Test
    void theExtendFormIsGoneOnceTheDeadlineHasPassedWithASentenceWhy() {
        DataRequest request = rectification(unique("sent"), channel());
        String path = "/admin/requests/" + request.id();
        assertThat(dpo().get(path).body()).contains(path + "/extend").doesNotContain("extend-too-late");
        java.time.OffsetDateTime past = java.time.OffsetDateTime.now(java.time.ZoneOffset.UTC).minusHours(1);
        jdbc.sql("UPDATE data_request SET due_at = :past, due_by = :past WHERE id = :id").param("past", past)
                .param("id", request.id()).update();
        Page late = dpo().get(path);
        assertThat(late.body()).doesNotContain(path + "/extend").contains("extend-too-late")
                .contains(path + "/complete");
    }

    @Test
    void theTimelineShowsTheRequestsOwnStepsNewestFirst() {
        DataRequest request = rectification(unique("tidslinje"), channel());
        String path = "/admin/requests/" + request.id();
        ConsoleSession dpo = dpo();
        assertThat(dpo.post(path, path + "/assign", Map.of("assignee", agentId.toString())).status()).isEqualTo(302);
        assertThat(dpo.post(path, path + "/extend", Map.of("reason", "Arkivet")).status()).isEqualTo(302);
        String body = dpo.get(path).body();
        String timeline = body.substring(body.indexOf("class=\"steps timeline\""));
        List<String> actions = new ArrayList<>();
        Matcher action = Pattern.compile("<span class=\"mono\">(request\\.[a-z-]+)</span>").matcher(timeline);
        while (action.find()) {
            actions.add(action.group(1));
        }
        assertThat(actions).as(timeline).contains("request.assigned", "request.extended");
        assertThat(actions.indexOf("request.extended")).as("newest first").isLessThan(actions.indexOf("request.assigned"));
        assertThat(actions.get(actions.size() - 1)).as("the oldest last").isNotEqualTo("request.extended");
        assertThat(body).doesNotContain("timeline-cut");
    }

    @Test
    void theDoneNoticeNamesOnlyTheActionsThePageKnows() {
        DataRequest request = rectification(unique("gjort"), channel());
        String path = "/admin/requests/" + request.id();
        assertThat(dpo().get(path + "?done=assigned").body()).contains("notice good");
        Page odd = dpo().get(path + "?done=bogus");
        assertThat(odd.status()).isEqualTo(200);
        assertThat(odd.body()).doesNotContain("notice good").doesNotContain("??");
    }
}
