package no.personvern.web.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import no.personvern.testing.Api;
import no.personvern.testing.ConsoleBrowser;
import no.personvern.testing.ConsoleSession;
import no.personvern.testing.DatabaseTest;
import no.personvern.testing.Json;
import no.personvern.testing.PageBrowser;
import no.personvern.testing.PageBrowser.Way;
import no.personvern.testing.People;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The DPO's dashboard, record and processors pages in Chromium, with data: the charts are drawn with
 * their figures as tables a keyboard reaches, and axe-core finds nothing on any of the three pages.
 */
@DatabaseTest
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = {ConsoleSession.FIRST_DPO,
    ConsoleSession.FIRST_DPO_PASSWORD, "personvern.breaches.deadline-check-cron=-"})
class ConsoleDashboardBrowserTests {

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    @Test
    void theDpoReadsTheDashboardTheRecordAndTheProcessors() {
        Api api = new Api(port);
        String email = "tavle-" + UUID.randomUUID() + "@example.no";
        String subject = People.in("go", "service-delivery").email(email).data("user.name", "Tore Tavle")
                .create(api, Api.ADMIN_TOKEN);
        assertThat(api.post("/api/v1/requests", Api.ADMIN_TOKEN, Json.object("type", "rectification", "email", email,
                "channel", "phone", "verifiedBy", "agent 7: BankID", "message", "Feil navn")).status()).isEqualTo(201);
        for (boolean granted : new boolean[] {true, false, true}) {
            assertThat(api.post("/api/v1/subjects/" + subject + "/consents", Api.ADMIN_TOKEN,
                    Json.object("purpose", "marketing.communications.email", "granted", granted, "method", "web-form"))
                    .status()).isEqualTo(201);
        }
        LocalDate today = LocalDate.now(ZoneId.of("Europe/Oslo"));
        for (int day = 0; day < 10; day++) {
            for (int hit = 0; hit <= day % 4; hit++) {
                jdbc.sql("INSERT INTO page_hit (at, hit_day, event, path) VALUES (:at, :day, 'pageview', '/')")
                        .param("at", OffsetDateTime.now(ZoneOffset.UTC)).param("day", today.minusDays(day)).update();
            }
        }
        assertThat(api.post("/api/v1/breaches", Api.ADMIN_TOKEN, Json.write(Map.of(
                "discoveredAt", Instant.now().minus(Duration.ofHours(80)).toString(), "summary", "En stjålet PC",
                "dataCategories", List.of("user.name"), "systems", List.of("go"), "measures", "Kontoene er låst.",
                "likelyConsequences", "Phishing."))).status()).isEqualTo(201);
        assertThat(api.post("/api/v1/disclosures", Api.ADMIN_TOKEN, """
                {"recipient":"mail-delivery","subjectId":"%s","dataCategories":["user.contact.email"],
                 "basis":"dpa"}""".formatted(subject)).status()).isEqualTo(201);
        assertThat(api.post("/api/v1/disclosures", Api.ADMIN_TOKEN, """
                {"recipient":"mail-delivery","subjectId":"%s","dataCategories":["user.name"],
                 "basis":"court-order"}""".formatted(subject)).status()).isEqualTo(422);
        assertThat(api.get("/api/v1/audit/verify", Api.ADMIN_TOKEN).status()).isEqualTo(200);

        try (PageBrowser browser = PageBrowser.open(Way.NB_DESKTOP, port)) {
            ConsoleBrowser.signInAsDpo(browser);
            browser.go("/admin");
            assertThat(browser.find("h1").getText()).isEqualTo("Oversikt");
            List<WebElement> charts = browser.all("figure.chart svg[role=img]");
            assertThat(charts).as("a consent chart and the page views").hasSizeGreaterThanOrEqualTo(2);
            for (WebElement chart : charts) {
                String figures = chart.getAttribute("aria-describedby");
                assertThat(browser.all("table#" + figures.replace(".", "\\."))).as(figures).hasSize(1);
            }
            assertThat(browser.all("#page-views-chart svg rect.views")).hasSize(30);
            assertThat(browser.all("#consent-rates svg rect.accepted")).isNotEmpty();
            browser.find("#page-views-chart details summary").click();
            assertThat(browser.find("#page-views-chart-figures").isDisplayed()).isTrue();
            assertThat(browser.find("#page-views-chart-figures").getText()).contains(today.toString());
            assertThat(browser.find("#breaches .clock.late").getText()).contains("Over fristen");
            assertThat(browser.find("#audit-chain").getText()).contains("Hel");
            browser.check("console-dashboard");

            browser.go("/admin/record");
            assertThat(browser.all("#record-table tbody tr")).isNotEmpty();
            assertThat(browser.find("#notice-version").getText()).startsWith("Versjon ");
            new Select(browser.find("#basis")).selectByValue("consent");
            browser.submit("form.filters button[type=submit]");
            assertThat(browser.driver.getCurrentUrl()).contains("basis=consent");
            assertThat(browser.find("#record-count").getText()).contains(" av ");
            browser.check("console-record");

            browser.go("/admin/processors");
            assertThat(browser.find("#processor-hosting-provider .dpa-state").getText()).isNotBlank();
            assertThat(browser.all("#disclosure-log tbody tr")).hasSize(1);
            assertThat(browser.all("#disclosures-refused li[data-reason=processor-not-dpa]")).hasSize(1);
            browser.check("console-processors");
        }
    }
}
