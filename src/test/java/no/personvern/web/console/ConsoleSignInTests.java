package no.personvern.web.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import no.personvern.security.Staff;
import no.personvern.security.StaffRole;
import no.personvern.testing.ConsoleSession;
import no.personvern.testing.ConsoleSession.Page;
import no.personvern.testing.DatabaseTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The console's door, through HTTP as a browser uses it: sign-in, lock-out per account and per
 * client, the idle timeout, sign-out, form tokens, roles, deactivation, and cookies that a copy of
 * the session table cannot forge. Each test comes from a client address of its own (through the
 * trusted proxy), so the per-client limit of one does not touch another.
 */
@DatabaseTest
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = {ConsoleSession.FIRST_DPO,
    ConsoleSession.FIRST_DPO_PASSWORD, "personvern.trusted-proxies=127.0.0.1/32,::1/128",
    "personvern.staff.client-attempts=8"})
class ConsoleSignInTests {

    @LocalServerPort
    int port;

    @Autowired
    Staff staff;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    org.springframework.core.env.Environment environment;

    private ConsoleSession from(String client) {
        return new ConsoleSession(port).header("X-Forwarded-For", client);
    }

    @Test
    void theFirstDpoSignsInSeesTheConsoleAndSignsOut() {
        ConsoleSession session = from("192.0.2.1");
        Page login = session.get("/admin/login");
        assertThat(login.status()).isEqualTo(200);
        assertThat(login.header("Content-Security-Policy")).contains("script-src 'self'").doesNotContain("unsafe");
        assertThat(login.raw().headers().allValues("Set-Cookie")).as("no session for a visit to the sign-in page")
                .noneMatch(cookie -> cookie.startsWith("pv_staff"));

        Page signedIn = session.signIn(ConsoleSession.DPO, ConsoleSession.DPO_PASSWORD);
        assertThat(signedIn.status()).isEqualTo(302);
        assertThat(signedIn.location()).isEqualTo("/admin");
        String cookie = signedIn.raw().headers().allValues("Set-Cookie").stream()
                .filter(value -> value.startsWith("pv_staff=")).findFirst().orElseThrow();
        assertThat(cookie).contains("HttpOnly").contains("SameSite=Lax").contains("Path=/");

        Page dashboard = session.get("/admin");
        assertThat(dashboard.status()).as(String.valueOf(dashboard.location())).isEqualTo(200);
        assertThat(dashboard.body()).contains("Personvernombud").contains("/admin/staff");
        assertThat(jdbc.sql("SELECT COUNT(*) FROM audit_pending WHERE action = 'staff.signed-in'").query(Long.class)
                .single() + jdbc.sql("SELECT COUNT(*) FROM audit_entry WHERE action = 'staff.signed-in'")
                .query(Long.class).single()).isPositive();

        Page out = session.post("/admin", "/admin/logout", Map.of());
        assertThat(out.status()).isEqualTo(302);
        assertThat(out.location()).startsWith("/admin/login?signed-out");
        Page after = session.get("/admin");
        assertThat(after.status()).isEqualTo(302);
        assertThat(after.location()).startsWith("/admin/login");
    }

    @Test
    void anUnsignedVisitorIsSentToSignInAndBackButNeverToAnotherSite() {
        ConsoleSession session = from("192.0.2.2");
        Page asked = session.get("/admin/requests?status=received");
        assertThat(asked.status()).isEqualTo(302);
        assertThat(asked.location()).startsWith("/admin/login?next=");

        Page back = session.post("/admin/login", "/admin/login", Map.of("username", ConsoleSession.DPO,
                "password", ConsoleSession.DPO_PASSWORD, "next", "/admin/requests?status=received"));
        assertThat(back.location()).isEqualTo("/admin/requests?status=received");

        for (String hostile : List.of("//evil.example/admin", "https://evil.example/", "/admin/../api/v1/catalog",
                "/admin\\@evil.example", "/adminevil")) {
            Page signedIn = from("192.0.2.3").post("/admin/login", "/admin/login", Map.of("username",
                    ConsoleSession.DPO, "password", ConsoleSession.DPO_PASSWORD, "next", hostile));
            assertThat(signedIn.location()).as(hostile).isEqualTo("/admin");
        }
    }

    @Test
    void fiveWrongPasswordsLockTheAccountButNotItsOwnersBrowserAndAnUnknownNameGetsTheSameAnswer() {
        var invitation = staff.invite("locked.agent", "Locked Agent", "locked@example.test", StaffRole.AGENT);
        staff.acceptInvitation(invitation.secret(), "a long enough password");
        // The owner signed in from this browser before: it holds the member's device cookie.
        ConsoleSession owner = from("192.0.2.9");
        assertThat(owner.signIn("locked.agent", "a long enough password").location()).isEqualTo("/admin");
        owner.post("/admin", "/admin/logout", Map.of());

        ConsoleSession wrong = from("192.0.2.10");
        Page unknown = wrong.signIn("nobody.here", "whatever password");
        for (int attempt = 1; attempt <= 5; attempt++) {
            Page failed = from("192.0.2.1" + attempt).signIn("locked.agent", "not the password " + attempt);
            assertThat(failed.status()).isEqualTo(302);
            assertThat(failed.location()).as("the same answer as for an unknown name").isEqualTo(unknown.location());
        }
        Page right = from("192.0.2.20").signIn("locked.agent", "a long enough password");
        assertThat(right.location()).as("locked: even the right password is refused").startsWith("/admin/login?failed");
        assertThat(from("192.0.2.21").get(right.location()).body())
                .contains("Etter fem feil på rad stenges kontoen i et kvarter");
        assertThat(jdbc.sql("SELECT COUNT(*) FROM audit_pending WHERE action = 'staff.locked'").query(Long.class).single()
                + jdbc.sql("SELECT COUNT(*) FROM audit_entry WHERE action = 'staff.locked'").query(Long.class).single())
                .as("the lock is in the audit trail").isEqualTo(1);

        Page forgedDevice = from("192.0.2.23").header("Cookie", "pv_device=" + invitation.member().id() + ".00")
                .signIn("locked.agent", "a long enough password");
        assertThat(forgedDevice.location()).as("a device cookie without our signature").startsWith("/admin/login?failed");
        assertThat(owner.signIn("locked.agent", "a long enough password").location())
                .as("the owner's own browser is not held by the lock").isEqualTo("/admin");
        // Signing in from its own browser ends the lock (the password was right).

        // The lock ends after its quarter of an hour.
        jdbc.sql("UPDATE staff_member SET locked_until = :past WHERE username = 'locked.agent'")
                .param("past", java.time.OffsetDateTime.now().minusMinutes(1)).update();
        assertThat(from("192.0.2.22").signIn("locked.agent", "a long enough password").location()).isEqualTo("/admin");
    }

    @Test
    void sessionBytesThatHoldAnythingButASessionAreNotReadAndTheMemberSignsInAgain() throws Exception {
        ConsoleSession session = from("192.0.2.90");
        session.signIn(ConsoleSession.DPO, ConsoleSession.DPO_PASSWORD);
        assertThat(session.get("/admin").status()).isEqualTo(200);
        var bytes = new java.io.ByteArrayOutputStream();
        try (var out = new java.io.ObjectOutputStream(bytes)) {
            out.writeObject(new java.util.HashMap<>(Map.of("x", new java.io.File("/etc/passwd"))));
        }
        jdbc.sql("UPDATE spring_session_attributes SET attribute_bytes = :bytes WHERE attribute_name = 'SPRING_SECURITY_CONTEXT'")
                .param("bytes", bytes.toByteArray()).update();
        Page answer = session.get("/admin");
        assertThat(answer.status()).as("not a 500, not signed in").isEqualTo(302);
        assertThat(answer.location()).startsWith("/admin/login");
    }

    @Test
    void aConsolePageOpenedFromAnotherSiteWaitsForTheMembersClick() {
        ConsoleSession session = from("192.0.2.92");
        session.signIn(ConsoleSession.DPO, ConsoleSession.DPO_PASSWORD);
        String person = "/admin/subjects/" + java.util.UUID.randomUUID();
        long before = jdbc.sql("SELECT COUNT(*) FROM audit_pending").query(Long.class).single()
                + jdbc.sql("SELECT COUNT(*) FROM audit_entry").query(Long.class).single();

        session.header("Sec-Fetch-Site", "cross-site");
        Page held = session.get(person);
        assertThat(held.status()).as("the page itself was not opened (it would be a 404)").isEqualTo(200);
        assertThat(held.body()).contains("Åpne denne siden i konsollen?").contains("href=\"" + person + "\"");
        session.header("Sec-Fetch-Site", "same-site");
        assertThat(session.get(person).body()).contains("Åpne denne siden i konsollen?");
        assertThat(jdbc.sql("SELECT COUNT(*) FROM audit_pending").query(Long.class).single()
                + jdbc.sql("SELECT COUNT(*) FROM audit_entry").query(Long.class).single())
                .as("nothing was read, so nothing audited").isEqualTo(before);

        session.header("Sec-Fetch-Site", "same-origin");
        assertThat(session.get(person).status()).as("the click from the console opens it").isEqualTo(404);
        session.header("Sec-Fetch-Site", "none");
        assertThat(session.get("/admin").status()).as("typed, or from a mail program").isEqualTo(200);
    }

    @Test
    void anUnknownConsoleAddressIsTheConsolesNotFoundPage() {
        ConsoleSession session = from("192.0.2.91");
        session.signIn(ConsoleSession.DPO, ConsoleSession.DPO_PASSWORD);
        Page missing = session.get("/admin/no-such-page");
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.header("Content-Type")).startsWith("text/html");
        assertThat(missing.body()).contains("Vi fant ikke siden");
    }

    @Test
    void oneClientIsStoppedAfterItsAttemptsWhateverNamesItTries() {
        ConsoleSession client = from("198.51.100.7");
        for (int attempt = 1; attempt <= 8; attempt++) {
            assertThat(client.signIn("guess" + attempt, "guess password " + attempt).location())
                    .startsWith("/admin/login?failed");
        }
        Page stopped = client.signIn(ConsoleSession.DPO, ConsoleSession.DPO_PASSWORD);
        assertThat(stopped.location()).as("even the right password, from this client").startsWith("/admin/login?limit");
        assertThat(from("198.51.100.8").signIn(ConsoleSession.DPO, ConsoleSession.DPO_PASSWORD).location())
                .as("another client is not stopped").isEqualTo("/admin");
    }

    @Test
    void aSessionLeftIdleForLongerThanTheTimeoutEndsAndSaysSo() {
        ConsoleSession session = from("192.0.2.30");
        session.signIn(ConsoleSession.DPO, ConsoleSession.DPO_PASSWORD);
        assertThat(session.get("/admin").status()).isEqualTo(200);

        // 31 minutes without a request (the default idle timeout is 30).
        long idle = Instant.now().minusSeconds(31 * 60).toEpochMilli();
        jdbc.sql("UPDATE spring_session SET last_access_time = :idle, expiry_time = :idle").param("idle", idle).update();

        Page expired = session.get("/admin");
        assertThat(expired.status()).isEqualTo(302);
        assertThat(expired.location()).startsWith("/admin/login?expired");
        assertThat(session.get(expired.location()).body()).contains("Økten din er avsluttet");
    }

    @Test
    void formsWithoutTheSessionsTokenOrFromAnotherSiteAreRefused() {
        ConsoleSession session = from("192.0.2.40");
        session.signIn(ConsoleSession.DPO, ConsoleSession.DPO_PASSWORD);

        Page noToken = session.postRaw("/admin/logout", Map.of());
        assertThat(noToken.status()).as(String.valueOf(noToken.location())).isEqualTo(403);
        assertThat(noToken.body()).contains("Skjemaet var for gammelt");

        String token = session.get("/admin").token();
        Page tokenInAddress = session.postRaw("/admin/logout?_csrf=" + java.net.URLEncoder.encode(token,
                java.nio.charset.StandardCharsets.UTF_8), Map.of());
        assertThat(tokenInAddress.status()).as("a token in the address is not read").isEqualTo(403);

        ConsoleSession other = from("192.0.2.41");
        other.signIn(ConsoleSession.DPO, ConsoleSession.DPO_PASSWORD);
        Page someoneElsesToken = session.postRaw("/admin/logout", Map.of("_csrf", other.get("/admin").token()));
        assertThat(someoneElsesToken.status()).as("another session's token").isEqualTo(403);

        session.header("Sec-Fetch-Site", "cross-site");
        assertThat(session.postRaw("/admin/logout", Map.of("_csrf", token)).status()).isEqualTo(403);
        session.header("Sec-Fetch-Site", "same-origin");
        assertThat(session.get("/admin").status()).as("still signed in after the refusals").isEqualTo(200);
        assertThat(session.postRaw("/admin/logout", Map.of("_csrf", session.get("/admin").token())).location())
                .startsWith("/admin/login?signed-out");
    }

    @Test
    void anAgentIsKeptOutOfTheDposAreasAndADeactivatedMemberIsSignedOutAtOnce() {
        var invitation = staff.invite("agent.one", "Agent One", "agent.one@example.test", StaffRole.AGENT);
        staff.acceptInvitation(invitation.secret(), "agent one's password");
        ConsoleSession agent = from("192.0.2.50");
        agent.signIn("agent.one", "agent one's password");

        Page dashboard = agent.get("/admin");
        assertThat(dashboard.status()).isEqualTo(200);
        assertThat(dashboard.body()).contains("Kundebehandler").doesNotContain("href=\"/admin/staff\"");
        for (String area : List.of("/admin/staff", "/admin/breaches", "/admin/audit", "/admin/record",
                "/admin/processors", "/admin/disclosures", "/admin/retention", "/admin/staff/invite")) {
            Page refused = agent.get(area);
            assertThat(refused.status()).as(area).isEqualTo(403);
            assertThat(refused.body()).as(area).contains("bare for personvernombudet");
        }

        // Made DPO: the next request has the role, without signing in again.
        staff.changeRole(invitation.member().id(), StaffRole.DPO);
        assertThat(agent.get("/admin/staff").status()).isNotEqualTo(403);
        staff.changeRole(invitation.member().id(), StaffRole.AGENT);
        assertThat(agent.get("/admin/staff").status()).isEqualTo(403);

        staff.deactivate(invitation.member().id());
        Page out = agent.get("/admin");
        assertThat(out.status()).isEqualTo(302);
        assertThat(out.location()).startsWith("/admin/login");
        assertThat(agent.signIn("agent.one", "agent one's password").location()).startsWith("/admin/login?failed");
    }

    @Test
    void aSessionIdReadFromTheDatabaseIsNotACookieAndATamperedCookieIsIgnored() {
        ConsoleSession session = from("192.0.2.60");
        session.signIn(ConsoleSession.DPO, ConsoleSession.DPO_PASSWORD);
        String id = jdbc.sql("SELECT session_id FROM spring_session WHERE principal_name IS NOT NULL").query(String.class)
                .list().get(0);

        for (String forged : List.of(id, id + ".", id + ".0000000000000000000000000000000")) {
            ConsoleSession thief = from("192.0.2.61");
            thief.cookies().getCookieStore().add(java.net.URI.create("http://localhost:" + port),
                    cookie("pv_staff", forged));
            Page answer = thief.get("/admin");
            assertThat(answer.status()).as(forged).isEqualTo(302);
            assertThat(answer.location()).as(forged).startsWith("/admin/login");
        }
    }

    @Test
    void behindATlsProxyTheCookieIsHostOnlyAndSecure() {
        ConsoleSession session = from("192.0.2.70").header("X-Forwarded-Proto", "https");
        Page login = session.get("/admin/login");
        // A Secure cookie is not sent back over this test's plain connection by the client, so by hand.
        String csrf = login.raw().headers().allValues("Set-Cookie").stream()
                .filter(cookie -> cookie.startsWith("__Host-pv_csrf=")).findFirst().orElseThrow();
        assertThat(csrf).contains("Secure");
        session.header("Cookie", csrf.substring(0, csrf.indexOf(';')));
        Page signedIn = session.postRaw("/admin/login", Map.of("username", ConsoleSession.DPO,
                "password", ConsoleSession.DPO_PASSWORD, "_csrf", login.token()));
        assertThat(signedIn.location()).isEqualTo("/admin");
        assertThat(signedIn.raw().headers().allValues("Set-Cookie"))
                .anySatisfy(cookie -> assertThat(cookie).startsWith("__Host-pv_staff=").contains("Secure")
                        .contains("HttpOnly").contains("Path=/").doesNotContain("Domain"));
    }

    @Test
    void staffChangesRefuseWhatWouldLeaveNoDpoOrAWeakPassword() {
        var dpo = staff.list().stream().filter(member -> member.username().equals(ConsoleSession.DPO)).findFirst()
                .orElseThrow();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> staff.deactivate(dpo.id()))
                .hasMessageContaining("last active DPO");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> staff.changeRole(dpo.id(), StaffRole.AGENT))
                .hasMessageContaining("last active DPO");
        // An invited DPO who has not set a password yet does not count as another DPO.
        staff.invite("invited.dpo", "Invited DPO", "invited.dpo@example.test", StaffRole.DPO);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> staff.deactivate(dpo.id()))
                .hasMessageContaining("last active DPO");
        var invitation = staff.invite("short.password", "Short", "short@example.test", StaffRole.AGENT);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> staff.acceptInvitation(invitation.secret(), "short"))
                .hasMessageContaining("at least 12");
        for (String guessable : List.of("passwordpassword", "Passord12345", "aaaaaaaaaaaaaaaa", "short.password!!",
                "my short.password")) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> staff.acceptInvitation(invitation.secret(),
                    guessable)).as(guessable).hasMessageContaining("too easy to guess");
        }
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> staff.acceptInvitation(invitation.secret(),
                "ø".repeat(40))).as("80 bytes").hasMessageContaining("72 bytes");
        staff.acceptInvitation(invitation.secret(), "twelve chars");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> staff.acceptInvitation(invitation.secret(),
                "twelve chars again")).as("single use").hasMessageContaining("used");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> staff.invite("SHORT.password", "Again",
                "again@example.test", StaffRole.AGENT)).as("usernames ignore case").hasMessageContaining("username");
    }

    @Test
    void aSessionIsOneOnEveryInstanceAndSigningOutOnOneEndsItOnAll() {
        Map<String, Object> sameDatabase = new java.util.HashMap<>();
        for (String key : List.of("spring.datasource.url", "spring.datasource.username", "spring.datasource.password",
                "spring.flyway.default-schema", "personvern.data-dir")) {
            String value = environment.getProperty(key);
            if (value != null) {
                sameDatabase.put(key, value);
            }
        }
        try (var second = no.personvern.testing.Instances.start(sameDatabase,
                Map.of("personvern.trusted-proxies", "127.0.0.1/32,::1/128"))) {
            ConsoleSession here = from("192.0.2.80");
            here.signIn(ConsoleSession.DPO, ConsoleSession.DPO_PASSWORD);
            ConsoleSession there = here.onPort(no.personvern.testing.Instances.port(second));
            assertThat(there.get("/admin").status()).as("the other instance knows the session").isEqualTo(200);

            assertThat(there.post("/admin", "/admin/logout", Map.of()).location()).startsWith("/admin/login?signed-out");
            assertThat(here.get("/admin").status()).as("signed out on the other instance").isEqualTo(302);
        }
    }

    private static java.net.HttpCookie cookie(String name, String value) {
        java.net.HttpCookie cookie = new java.net.HttpCookie(name, value);
        cookie.setPath("/");
        cookie.setVersion(0);
        return cookie;
    }
}
