package no.personvern.web;

import static org.assertj.core.api.Assertions.assertThat;

import no.personvern.testing.DatabaseTest;
import no.personvern.testing.PageBrowser;
import no.personvern.testing.PageBrowser.Way;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

/** The landing page and the privacy centre's home in Chromium, in each way a person comes. */
@DatabaseTest
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
class PrivacyCentreBrowserTests {

    @LocalServerPort
    int port;

    @ParameterizedTest
    @EnumSource(Way.class)
    void theLandingPageLeadsToTheCentreTheNoticeAndTheStaffLogin(Way way) {
        try (PageBrowser browser = PageBrowser.open(way, port)) {
            browser.go("/").check("landing");
            assertThat(browser.find("html").getAttribute("lang")).isEqualTo(way.lang);
            assertThat(browser.all("main a")).extracting(link -> link.getAttribute("href"))
                    .anySatisfy(href -> assertThat(href).contains("/privacy-center"))
                    .anySatisfy(href -> assertThat(href).contains("/privacy?"))
                    .anySatisfy(href -> assertThat(href).endsWith("/admin/login"));

            browser.find("main a[href*='/privacy-center']").click();
            browser.check("centre-home");
            assertThat(browser.path()).isEqualTo("/privacy-center");
            assertThat(browser.find("h1").getText()).isEqualTo(way.nb() ? "Personvernsenter" : "Privacy centre");
            assertThat(browser.all("a[id^=right-]")).hasSize(6);
            assertThat(browser.text()).contains("Datatilsynet");
        }
    }
}
