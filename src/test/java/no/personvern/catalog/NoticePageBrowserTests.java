package no.personvern.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import no.personvern.testing.Browser;
import no.personvern.testing.DatabaseTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

/** The privacy notice as a person reads it, in Chromium. */
@DatabaseTest
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
class NoticePageBrowserTests {

    @LocalServerPort
    int port;

    @Autowired
    PrivacyNotices notices;

    WebDriver browser;

    @BeforeEach
    void openBrowser() {
        browser = Browser.start();
    }

    @AfterEach
    void closeBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    @Test
    void aVisitorReadsTheNoticeInNorwegianAndSwitchesToEnglish() {
        // The browser asks for English (Accept-Language); the link asks for Norwegian, and the link wins.
        browser.get("http://localhost:" + port + "/privacy?lang=nb");

        assertThat(browser.findElement(By.tagName("html")).getAttribute("lang")).isEqualTo("nb");
        assertThat(browser.findElement(By.tagName("h1")).getText()).isEqualTo("Personvernerklæring");
        assertThat(browser.findElement(By.id("notice-version")).getText()).isEqualTo(notices.currentVersion());
        List<String> headings = browser.findElements(By.tagName("h2")).stream().map(WebElement::getText).toList();
        assertThat(headings).contains("Hvem som er ansvarlig", "Dine rettigheter", "Klage til Datatilsynet",
                "Informasjonskapsler og pikselkoder");

        browser.findElement(By.linkText("English")).click();

        assertThat(browser.findElement(By.tagName("h1")).getText()).isEqualTo("Privacy notice");
        assertThat(browser.getCurrentUrl()).endsWith("/privacy?lang=en");
        assertThat(browser.findElement(By.id("sharing")).getText()).contains("We sell personal data to no one.");
    }

    @Test
    void theTableOfContentsLeadsToEverySection() {
        browser.get("http://localhost:" + port + "/privacy?lang=en");

        List<WebElement> links = browser.findElements(By.cssSelector("nav.toc a"));
        assertThat(links).hasSize(notices.notice(Language.EN).sections().size());
        for (WebElement link : links) {
            String target = link.getAttribute("href").replaceAll(".*#", "");
            assertThat(browser.findElement(By.id(target)).findElement(By.tagName("h2")).getText())
                    .isEqualTo(link.getText());
        }
        browser.findElement(By.linkText("Your rights")).click();
        assertThat(browser.getCurrentUrl()).endsWith("#rights");
        assertThat(browser.findElements(By.cssSelector("#rights li"))).hasSize(7);
    }
}
