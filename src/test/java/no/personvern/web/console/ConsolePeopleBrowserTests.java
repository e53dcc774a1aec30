package no.personvern.web.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import no.personvern.testing.Api;
import no.personvern.testing.ConsoleBrowser;
import no.personvern.testing.ConsoleSession;
import no.personvern.testing.DatabaseTest;
import no.personvern.testing.Mailbox;
import no.personvern.testing.PageBrowser;
import no.personvern.testing.PageBrowser.Way;
import no.personvern.testing.People;
import no.personvern.testing.Smtp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.support.ui.Select;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * In Chromium, one browser for the whole flow: the DPO invites an agent, who opens the mailed link,
 * sets a password and signs in, finds a caller, sees the identities masked and reveals one with a
 * reason; the DPO verifies the audit chain and finds the reveal with the agent as its actor. Every
 * page state is checked with axe.
 */
@DatabaseTest
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = {ConsoleSession.FIRST_DPO,
    ConsoleSession.FIRST_DPO_PASSWORD, "personvern.mail.poll-interval=PT0.1S",
    "personvern.mail.retry.initial-delay=PT0S"})
class ConsolePeopleBrowserTests {

    private static final Pattern INVITATION = Pattern.compile("(/admin/invitation/[A-Za-z0-9_-]+)");
    private static final String PASSWORD = "the agent's long password";

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

    @Test
    void anInvitedAgentRevealsAnIdentityWithAReasonAndTheDpoSeesItInTheVerifiedTrail() {
        String id = People.in("go", "service-delivery").email("ola.innringer@example.no").phone("+4791234599")
                .data("user.name", "Ola Innringer").create(new Api(port), Api.ADMIN_TOKEN);
        try (PageBrowser browser = PageBrowser.open(Way.NB_DESKTOP, port)) {
            ConsoleBrowser.signInAsDpo(browser);
            browser.go("/admin/staff").check("console-staff");
            browser.fill("username", "agent.ola").fill("displayName", "Agent Ola")
                    .fill("email", "agent.ola@example.test");
            new Select(browser.find("#role")).selectByValue("agent");
            browser.submit("form[action='/admin/staff/invite'] button[type=submit]");
            assertThat(browser.text()).contains("Invitasjonen ble sendt").contains("Agent Ola");
            browser.check("console-staff-invited");
            browser.go("/admin/subjects/" + id).check("console-subject-dpo");
            assertThat(browser.text()).contains("ola.innringer@example.no");
            browser.submit("header form button");

            String text = Mailbox.text(Mailbox.of(MAIL, jdbc).lastTo("agent.ola@example.test"));
            Matcher link = INVITATION.matcher(text);
            assertThat(link.find()).as(text).isTrue();
            browser.go(link.group(1)).check("console-invitation");
            browser.fill("password", "too short").fill("repeat", "too short");
            browser.driver.executeScript("document.querySelectorAll('input[minlength]')"
                    + ".forEach(function (field) { field.removeAttribute('minlength'); })");
            browser.submit("main form button[type=submit]");
            assertThat(browser.text()).contains("Passordet må være fra 12 tegn til 72 byte langt");
            browser.check("console-invitation-error");
            browser.fill("password", PASSWORD).fill("repeat", PASSWORD).submit("main form button[type=submit]");
            assertThat(browser.path()).isEqualTo("/admin/login");
            browser.go(link.group(1)).check("console-invitation-gone");
            assertThat(browser.text()).contains("Denne lenken virker ikke lenger");

            ConsoleBrowser.signIn(browser, "agent.ola", PASSWORD);
            browser.go("/admin/subjects").check("console-subjects");
            browser.fill("q", "ola.innringer@example.no").submit("form[role=search] button[type=submit]");
            browser.check("console-subjects-found");
            browser.submit("ul.results a");
            assertThat(browser.text()).contains("o***@example.no").doesNotContain("ola.innringer");
            assertThat(browser.driver.getPageSource()).doesNotContain("ola.innringer").doesNotContain("91234599");
            browser.check("console-subject-agent");
            new Select(browser.find("#reason-0")).selectByValue("caller-verified");
            browser.submit("form.reveal button[type=submit]");
            assertThat(browser.text()).contains("ola.innringer@example.no").contains("Vist (registrert)");
            browser.check("console-subject-revealed");
            browser.submit("header form button");

            ConsoleBrowser.signInAsDpo(browser);
            browser.go("/admin/audit").check("console-audit");
            browser.submit("form[action='/admin/audit/verify'] button");
            assertThat(browser.text()).contains("Kjeden er hel");
            browser.check("console-audit-verified");
            browser.fill("action", "console.revealed").submit("form.filters button[type=submit]");
            assertThat(browser.find("table.audit tbody").getText()).contains("Agent Ola").contains("console.revealed")
                    .contains("caller-verified").doesNotContain("ola.innringer");
            browser.check("console-audit-filtered");
        }
    }
}
