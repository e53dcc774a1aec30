package no.personvern.web.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import java.time.Duration;
import java.util.UUID;
import no.personvern.requests.DataRequest;
import no.personvern.requests.RequestDesk;
import no.personvern.requests.RequestStatus;
import no.personvern.requests.RequestType;
import no.personvern.security.Staff;
import no.personvern.security.StaffMember;
import no.personvern.security.StaffRole;
import no.personvern.subjects.Vault;
import no.personvern.testing.Api;
import no.personvern.testing.ConsoleBrowser;
import no.personvern.testing.ConsoleSession;
import no.personvern.testing.DatabaseTest;
import no.personvern.testing.Mailbox;
import no.personvern.testing.PageBrowser;
import no.personvern.testing.People;
import no.personvern.testing.Smtp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The request pages in Chromium (nb, desktop), one browser for the whole flow: a support agent takes
 * a caller's request, sees identities masked and reveals one with a reason; the agent's erasure
 * waits for the DPO, who approves it; the DPO extends one request, rejects another and completes a
 * third — the last with the keyboard alone, from the queue to the request's page. Every page state
 * is checked with axe.
 */
@DatabaseTest
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = {ConsoleSession.FIRST_DPO,
    ConsoleSession.FIRST_DPO_PASSWORD, "personvern.mail.poll-interval=PT0.1S",
    "personvern.mail.retry.initial-delay=PT0S"})
class RequestsConsoleBrowserTests {

    static final String AGENT = "agent.browser";
    static final String AGENT_PASSWORD = "a long browser password";

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

    private static String unique(String name) {
        return name + "-" + UUID.randomUUID().toString().substring(0, 8) + "@example.no";
    }

    private UUID person(Api api, String email) {
        return UUID.fromString(People.in("go", "service-delivery").email(email).verified("email")
                .create(api, Api.ADMIN_TOKEN));
    }

    @Test
    void anAgentTakesCallsTheDpoApprovesExtendsRejectsAndCompletesTheLastByKeyboardAlone() {
        Api api = new Api(port);
        Mailbox mailbox = Mailbox.of(MAIL, jdbc);
        if (staff.list().stream().map(StaffMember::username).noneMatch(AGENT::equals)) {
            var invitation = staff.invite(AGENT, "Bjørn Agent", "bjorn@example.test", StaffRole.AGENT);
            staff.acceptInvitation(invitation.secret(), AGENT_PASSWORD);
        }
        String caller = unique("innringer");
        UUID callerId = person(api, caller);
        String eraser = unique("sletter");
        UUID eraserId = person(api, eraser);

        try (PageBrowser browser = PageBrowser.open(PageBrowser.Way.NB_DESKTOP, port)) {
            // The agent finds the caller: the address masked until revealed with a reason.
            ConsoleBrowser.signIn(browser, AGENT, AGENT_PASSWORD);
            browser.go("/admin/intake").check("console-intake");
            browser.fill("q", caller).submit("main form[role=search] button[type=submit]");
            assertThat(browser.find(".identity").getText()).isEqualTo(Masks.email(caller));
            assertThat(browser.find("main .person").getText()).doesNotContain(caller);
            browser.check("console-intake-found");
            new Select(browser.find("#what-0")).selectByValue("email");
            new Select(browser.find("#reason-0")).selectByValue("caller-verified");
            browser.submit("#reveal-0");
            assertThat(browser.find(".identity").getText()).isEqualTo(caller);
            browser.check("console-intake-revealed");

            // … and files a rectification for the caller.
            new Select(browser.find("#type-0")).selectByValue("rectification");
            new Select(browser.find("#method-0")).selectByValue("bankid");
            browser.fill("message-0", "Etternavnet mitt er feilstavet");
            browser.submit("#file-0");
            assertThat(browser.path()).startsWith("/admin/requests/");
            assertThat(browser.text()).contains("Etternavnet mitt er feilstavet");
            assertThat(browser.find(".identity").getText()).isEqualTo(Masks.email(caller));
            browser.check("console-request-filed");
            UUID rectification = UUID.fromString(browser.path().substring("/admin/requests/".length()));
            assertThat(Mailbox.recipients(mailbox.lastTo(caller))).contains(caller);

            // The agent's erasure waits for the DPO: nothing is erased meanwhile.
            browser.go("/admin/intake");
            browser.fill("q", eraser).submit("main form[role=search] button[type=submit]");
            new Select(browser.find("#type-0")).selectByValue("erasure");
            new Select(browser.find("#method-0")).selectByValue("known-number");
            browser.submit("#file-0");
            UUID erasure = UUID.fromString(browser.path().substring("/admin/requests/".length()));
            assertThat(browser.all("#approve")).as("an agent cannot approve").isEmpty();
            assertThat(browser.find(".notice.bad").getText()).contains("venter på godkjenning");
            browser.check("console-request-awaiting");
            assertThat(desk.get(erasure).status()).isEqualTo(RequestStatus.AWAITING_APPROVAL);
            assertThat(vault.isLive(eraserId)).isTrue();
            browser.go("/admin/requests?status=awaiting_approval").check("console-queue-awaiting");
            assertThat(browser.text()).contains(erasure.toString().substring(0, 8));
            browser.submit("header .who form button");

            // The DPO approves it.
            ConsoleBrowser.signInAsDpo(browser);
            browser.go("/admin/requests/" + erasure);
            assertThat(browser.find(".identity").getText()).isEqualTo(eraser);
            browser.check("console-request-approval");
            browser.submit("#approve");
            assertThat(browser.find(".notice.good").getText()).isNotBlank();
            browser.check("console-request-approved");
            assertThat(vault.isLive(eraserId)).as("erased once approved").isFalse();
            assertThat(desk.get(erasure).status()).isEqualTo(RequestStatus.COMPLETED);

            // Extends the caller's rectification, rejects another.
            browser.go("/admin/requests/" + rectification);
            browser.fill("extend-reason", "Vi må hente opplysninger fra arkivet").submit("#extend");
            assertThat(browser.find(".notice.good").getText()).contains("forlenget");
            browser.check("console-request-extended");
            assertThat(desk.get(rectification).extendedUntil()).isNotNull();
            assertThat(Mailbox.text(mailbox.lastTo(caller))).contains("Vi må hente opplysninger fra arkivet");

            String channel = "k-" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
            String second = unique("avvist");
            DataRequest toReject = desk.submitVerified(RequestType.RECTIFICATION, second, null, channel, "bankid", null);
            browser.go("/admin/requests/" + toReject.id());
            browser.fill("reject-reason", "Opplysningene er riktige").submit("#reject");
            browser.check("console-request-rejected");
            assertThat(desk.get(toReject.id()).status()).isEqualTo(RequestStatus.REJECTED);
            assertThat(Mailbox.text(mailbox.lastTo(second))).contains("Opplysningene er riktige");

            // Completes a third with the keyboard alone: from the queue to the request, and the form.
            String third = unique("fullfort");
            DataRequest toComplete = desk.submitVerified(RequestType.RECTIFICATION, third, null, channel, "bankid",
                    null);
            browser.go("/admin/requests?status=open&channel=" + channel).check("console-queue");
            WebElement link = tabTo(browser, "a.request-link", 80);
            assertThat(link.getAttribute("href")).endsWith("/admin/requests/" + toComplete.id());
            assertThat(browser.driver.executeScript("return getComputedStyle(document.activeElement).outlineStyle"))
                    .as("the focus is visible").isNotEqualTo("none");
            press(browser, Keys.ENTER);
            assertThat(browser.path()).isEqualTo("/admin/requests/" + toComplete.id());
            browser.check("console-request-keyboard");
            tabTo(browser, "#complete-outcome", 120).sendKeys("Etternavnet er rettet");
            tabTo(browser, "#complete", 5);
            press(browser, Keys.ENTER);
            assertThat(browser.find(".notice.good").getText()).contains("fullført");
            browser.check("console-request-completed");
            assertThat(desk.get(toComplete.id()).status()).isEqualTo(RequestStatus.COMPLETED);
            assertThat(Mailbox.text(mailbox.lastTo(third))).contains("Etternavnet er rettet");

            // The same pages in English.
            browser.go("/admin/requests?lang=en&channel=" + channel);
            assertThat(browser.find("h1").getText()).isEqualTo("Requests");
            browser.check("console-queue-en");
            browser.go("/admin/requests/" + toComplete.id());
            assertThat(browser.find(".badge").getText()).isEqualTo("Completed");
            browser.check("console-request-en");
            browser.go("/admin/intake");
            browser.fill("q", caller).submit("main form[role=search] button[type=submit]");
            assertThat(browser.path()).as("the search is posted").doesNotContain(caller);
            browser.check("console-intake-en");
        }
    }

    /** Presses Tab until the focus is on an element matching {@code css}. */
    private static WebElement tabTo(PageBrowser browser, String css, int most) {
        for (int i = 0; i < most; i++) {
            browser.driver.switchTo().activeElement().sendKeys(Keys.TAB);
            Object matches = browser.driver.executeScript(
                    "return document.activeElement && document.activeElement.matches(arguments[0])", css);
            if (Boolean.TRUE.equals(matches)) {
                return browser.driver.switchTo().activeElement();
            }
        }
        throw new AssertionError("no " + css + " within " + most + " presses of Tab");
    }

    /** Presses a key on the focused element and waits for the page it leads to. */
    private static void press(PageBrowser browser, CharSequence key) {
        WebElement page = browser.find("html");
        browser.driver.switchTo().activeElement().sendKeys(key);
        new WebDriverWait(browser.driver, Duration.ofSeconds(15)).until(ignored -> {
            try {
                page.isEnabled();
                return false;
            } catch (WebDriverException gone) {
                return true;
            }
        });
        new WebDriverWait(browser.driver, Duration.ofSeconds(15))
                .until(ignored -> "complete".equals(browser.driver.executeScript("return document.readyState")));
    }
}
