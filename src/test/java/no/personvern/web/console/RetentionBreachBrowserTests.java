package no.personvern.web.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import no.personvern.testing.Api;
import no.personvern.testing.ConsoleBrowser;
import no.personvern.testing.ConsoleSession;
import no.personvern.testing.DatabaseTest;
import no.personvern.testing.MutableClock;
import no.personvern.testing.PageBrowser;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The DPO in Chromium (Norwegian, desktop, with JavaScript): a dry run as of a day and a real
 * retention run, watching the counts and the status change on the run's page without a reload;
 * then a breach recorded from the form with its 72-hour clock. Every state is checked with axe.
 */
@DatabaseTest
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = {ConsoleSession.FIRST_DPO,
    ConsoleSession.FIRST_DPO_PASSWORD, "personvern.retention.batch-size=1", "personvern.retention.batch-pause=PT0.15S",
    "personvern.retention.cron=-", "personvern.breaches.deadline-check-cron=-"})
@Import(RetentionConsoleSetup.class)
class RetentionBreachBrowserTests {

    @LocalServerPort
    int port;

    @Autowired
    MutableClock clock;

    @Autowired
    JdbcClient jdbc;

    @Test
    void theDpoWatchesADryRunAndARealRunThenRecordsABreachAndSeesItsClock() {
        clock.set(Instant.parse("2031-06-01T09:00:00Z"));
        RetentionPagesTests.clean(jdbc);
        RetentionPagesTests.withUploads(new Api(port), 4);
        clock.set(Instant.parse("2031-09-03T09:00:00Z"));

        try (PageBrowser browser = PageBrowser.open(PageBrowser.Way.NB_DESKTOP, port)) {
            ConsoleBrowser.signInAsDpo(browser);
            browser.go("/admin/retention").check("retention");

            browser.driver.executeScript("document.getElementById('asOf').value = '2031-09-10'");
            browser.submit("#start-dry");
            assertThat(browser.path()).startsWith("/admin/retention/runs/");
            watch(browser, "retention-dry-run");
            assertThat(browser.find("#activity-mobile-uploads").getText()).contains("4");

            browser.go("/admin/retention").submit("#start-real");
            List<String> seen = watch(browser, "retention-real-run");
            assertThat(seen.get(0)).as("the run was shown going first").isEqualTo("Pågår");
            assertThat(browser.find("#activity-mobile-uploads").getText()).contains("4");
            assertThat(jdbc.sql("SELECT COUNT(*) FROM subject_document").query(Long.class).single()).isZero();

            browser.go("/admin/retention").check("retention-after-runs");

            browser.go("/admin/breaches").check("breaches");
            browser.fill("summary", "En bærbar PC med en eksport ble stjålet.");
            browser.find("input[name=dataCategories][value='user.name']").click();
            browser.find("input[name=systems][value=go]").click();
            browser.fill("measures", "Kontoene i eksporten er sperret.");
            browser.fill("likelyConsequences", "Navnene kan brukes til svindelforsøk.");
            browser.submit("#record-submit");
            assertThat(browser.path()).matches("/admin/breaches/[0-9a-f-]{36}");
            assertThat(browser.find(".clock").getText()).as("just discovered").matches("7[12] t igjen");
            assertThat(browser.find("#report").getAttribute("value")).contains("En bærbar PC med en eksport ble stjålet.");
            browser.check("breach");

            clock.advance(Duration.ofHours(75));
            browser.go("/admin/breaches").check("breaches-overdue");
            assertThat(browser.find("#breach-list .clock").getText()).isEqualTo("Fristen er passert med 3 t");

            browser.driver.executeScript("document.getElementById('discoveredAt').value = '2031-13-45T25:61'");
            browser.fill("summary", "Et avvik med feil dato.");
            browser.find("input[name=dataCategories][value='user.name']").click();
            browser.find("input[name=systems][value=go]").click();
            browser.fill("measures", "Ingen.");
            browser.fill("likelyConsequences", "Ingen.");
            browser.driver.executeScript("document.getElementById('record-breach').noValidate = true");
            browser.submit("#record-submit");
            assertThat(browser.find("#error").getText()).contains("Oppdaget");
            browser.check("breaches-error");
        }
    }

    /**
     * Stays on a run's page until the run has finished, recording the status shown; a marker set in
     * the page shows that the counts came without a reload. Checks the page with axe on the way.
     */
    private static List<String> watch(PageBrowser browser, String name) {
        browser.driver.executeScript("window.stayed = true");
        List<String> seen = new ArrayList<>();
        seen.add(status(browser));
        if (seen.get(0).equals("Pågår")) {
            browser.check(name + "-going");
        }
        new WebDriverWait(browser.driver, Duration.ofSeconds(60)).pollingEvery(Duration.ofMillis(100))
                .ignoring(StaleElementReferenceException.class).until(ignored -> {
            String status = browser.find("#run-status").getText();
            if (!status.equals(seen.get(seen.size() - 1))) {
                seen.add(status);
            }
            return status.equals("Fullført");
        });
        assertThat(browser.driver.executeScript("return window.stayed === true")).as("no reload").isEqualTo(true);
        browser.check(name);
        return seen;
    }

    /** The status shown, read again if htmx swapped the counts in between finding and reading it. */
    private static String status(PageBrowser browser) {
        return new WebDriverWait(browser.driver, Duration.ofSeconds(10)).ignoring(StaleElementReferenceException.class)
                .until(ignored -> browser.find("#run-status").getText());
    }
}
