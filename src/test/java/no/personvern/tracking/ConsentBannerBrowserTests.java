package no.personvern.tracking;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import no.personvern.testing.Api;
import no.personvern.testing.Browser;
import no.personvern.testing.DatabaseTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.FluentWait;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.io.ClassPathResource;
import tools.jackson.databind.JsonNode;

/**
 * The consent banner on a company web page, in Chromium: active opt-in, "reject all" as easy as
 * "accept all", nothing pre-ticked, Global Privacy Control honoured, the choice changeable later.
 */
@DatabaseTest
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
class ConsentBannerBrowserTests {

    private static final Duration PATIENCE = Duration.ofSeconds(10);

    /** Records every fetch() the page makes, so the posted choice can be checked whatever the server answers. */
    private static final String RECORD_FETCHES = """
            (() => {
              const original = window.fetch;
              window.__fetches = [];
              window.fetch = function (url, init) {
                window.__fetches.push({url: String(url), method: init && init.method, body: init && init.body,
                    credentials: init && init.credentials});
                return original.apply(this, arguments);
              };
            })();
            """;

    @LocalServerPort
    int port;

    ChromeDriver browser;
    WebDriverWait wait;

    @AfterEach
    void closeBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    @Test
    void theBannerAsksBeforeAnythingIsStored() {
        open("/consent-test.html");

        WebElement dialog = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("pv-consent")));
        assertThat(dialog.getAttribute("role")).isEqualTo("dialog");
        assertThat(browser.findElement(By.id(dialog.getAttribute("aria-labelledby"))).getText()).isNotBlank();
        assertThat(browser.findElement(By.id(dialog.getAttribute("aria-describedby"))).getText()).isNotBlank();
        assertThat(browser.switchTo().activeElement().getAttribute("id")).isEqualTo("pv-reject-all");

        WebElement reject = browser.findElement(By.id("pv-reject-all"));
        WebElement accept = browser.findElement(By.id("pv-accept-all"));
        assertThat(reject.getTagName()).isEqualTo(accept.getTagName()).isEqualTo("button");
        assertThat(reject.getAttribute("class")).isEqualTo(accept.getAttribute("class"));
        for (String property : List.of("font-size", "font-weight", "width", "height", "padding-top", "padding-left",
                "color", "background-color", "border-top-width")) {
            assertThat(reject.getCssValue(property)).as(property).isEqualTo(accept.getCssValue(property));
        }
        assertThat(reject.getSize()).isEqualTo(accept.getSize());
        assertThat(reject.getLocation().getY()).as("side by side").isEqualTo(accept.getLocation().getY());

        assertThat(browser.manage().getCookies()).isEmpty();
        assertThat(pixelRequests()).isEmpty();
        assertThat(consentUpdates()).isEmpty();
        assertThat(browser.executeScript("return window.Personvern.choice()")).isNull();

        browser.findElement(By.id("pv-choose")).click();

        WebElement statistics = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("pv-statistics")));
        WebElement marketing = browser.findElement(By.id("pv-marketing"));
        WebElement necessary = browser.findElement(By.id("pv-necessary"));
        assertThat(statistics.isSelected()).isFalse();
        assertThat(marketing.isSelected()).isFalse();
        assertThat(statistics.isEnabled()).isTrue();
        assertThat(marketing.isEnabled()).isTrue();
        assertThat(necessary.isSelected()).isTrue();
        assertThat(necessary.isEnabled()).isFalse();
        assertThat(browser.findElement(By.cssSelector("label[for=pv-statistics]")).getText()).isEqualTo("Statistikk");
        assertThat(browser.findElements(By.id("pv-gpc"))).isEmpty();
        assertThat(browser.manage().getCookies()).isEmpty();
        assertThat(pixelRequests()).isEmpty();
    }

    @Test
    void escapeNeverDismissesTheFirstQuestion() {
        open("/consent-test.html");
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("pv-consent")));
        browser.findElement(By.id("pv-choose")).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("pv-save")));

        pressEscape();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("pv-accept-all")));
        assertThat(browser.findElement(By.id("pv-save")).isDisplayed()).isFalse();
        assertThat(browser.switchTo().activeElement().getAttribute("id")).isEqualTo("pv-reject-all");

        pressEscape();
        assertThat(browser.findElement(By.id("pv-consent")).isDisplayed()).isTrue();
        assertThat(browser.findElement(By.id("pv-reject-all")).isDisplayed()).isTrue();
        assertThat(browser.findElement(By.id("pv-reopen")).isDisplayed()).isFalse();
        assertThat(browser.manage().getCookies()).isEmpty();
    }

    @Test
    void rejectingSetsOnlyTheChoiceCookie() {
        open("/consent-test-plain.html");
        wait.until(ExpectedConditions.elementToBeClickable(By.id("pv-reject-all"))).click();

        assertThat(postedChoice()).isEqualTo(Map.of("statistics", false, "marketing", false));
        wait.until(ExpectedConditions.invisibilityOfElementLocated(By.id("pv-consent")));
        assertThat(browser.manage().getCookies()).extracting(Cookie::getName).containsExactly("pv_consent");
        assertThat(storedChoice()).containsExactly("0", "0");
        assertThat(pixelRequests()).isEmpty();
        assertThat(consentUpdates()).anySatisfy(update -> {
            assertThat(update).containsEntry("analytics_storage", "denied");
            assertThat(update).containsEntry("ad_storage", "denied");
        });
        assertThat(browser.switchTo().activeElement().getAttribute("id")).isEqualTo("pv-reopen");

        browser.navigate().refresh();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("pv-reopen")));
        assertThat(browser.findElement(By.id("pv-consent")).isDisplayed()).isFalse();
        assertThat(pixelRequests()).isEmpty();
        assertThat(browser.manage().getCookies()).extracting(Cookie::getName).containsExactly("pv_consent");
    }

    @Test
    void acceptingStatisticsMakesThePixelCount() {
        open("/consent-test.html");
        wait.until(ExpectedConditions.elementToBeClickable(By.id("pv-choose"))).click();
        wait.until(ExpectedConditions.elementToBeClickable(By.id("pv-statistics"))).click();
        browser.findElement(By.id("pv-save")).click();

        assertThat(postedChoice()).isEqualTo(Map.of("statistics", true, "marketing", false));
        wait.until(ExpectedConditions.invisibilityOfElementLocated(By.id("pv-consent")));
        assertThat(storedChoice()).containsExactly("1", "0");
        assertThat(consentUpdates()).anySatisfy(update -> {
            assertThat(update).containsEntry("analytics_storage", "granted");
            assertThat(update).containsEntry("ad_storage", "denied");
        });

        browser.navigate().refresh();

        wait.until(driver -> pixelRequests().stream().anyMatch(url -> url.contains("/t.gif?e=pageview")));
        assertThat(pixelRequests()).filteredOn(url -> url.contains("e=pageview")).hasSize(1)
                .allSatisfy(url -> assertThat(url).contains("p=%2Fconsent-test.html"));
        assertThat(browser.findElement(By.id("pv-consent")).isDisplayed()).isFalse();

        // The server counts the page view only because the cookie carries statistics consent.
        Api api = new Api(port);
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        String stats = "/api/v1/stats/pageviews?from=" + today.minusDays(1) + "&to=" + today.plusDays(1);
        JsonNode counted = new FluentWait<>(api).withTimeout(PATIENCE).pollingEvery(Duration.ofMillis(250))
                .until(client -> {
                    Api.Response response = client.get(stats, Api.ADMIN_TOKEN);
                    if (response.status() != 200) {
                        return null;
                    }
                    JsonNode body = response.json();
                    return body.path("total").asLong() >= 1 ? body : null;
                });
        assertThat(counted.path("total").asLong()).isGreaterThanOrEqualTo(1);
    }

    @Test
    void theChoiceCanBeReopenedAndChanged() {
        // A choice made earlier: statistics yes, marketing no (the script reads only the shape, not the signature).
        open("/consent-test.html");
        browser.manage().addCookie(new Cookie("pv_consent",
                "v1.1.0." + Instant.now().getEpochSecond() + ".test-visitor.test-signature"));
        browser.navigate().refresh();

        WebElement reopen = browser.findElement(By.cssSelector("[data-pv-consent-open]"));
        wait.until(driver -> browser.executeScript("const s = document.getElementById('pv-style'); return !!(s && s.sheet)"));
        assertThat(browser.findElement(By.id("pv-consent")).isDisplayed()).isFalse();
        assertThat(browser.findElement(By.id("pv-reopen")).isDisplayed())
                .as("the page has its own way back to the choice: no button of ours").isFalse();
        assertThat(browser.executeScript("return window.Personvern.choice()"))
                .isEqualTo(Map.of("statistics", true, "marketing", false));
        assertThat(consentUpdates()).anySatisfy(update -> assertThat(update)
                .containsEntry("analytics_storage", "granted").containsEntry("ad_storage", "denied"));
        wait.until(driver -> pixelRequests().stream().anyMatch(url -> url.contains("e=pageview")));

        reopen.click();

        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("pv-consent")));
        assertThat(browser.findElement(By.id("pv-save")).isDisplayed()).isTrue();
        assertThat(browser.findElement(By.id("pv-statistics")).isSelected()).isTrue();
        assertThat(browser.findElement(By.id("pv-marketing")).isSelected()).isFalse();

        pressEscape();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("pv-reject-all")));
        pressEscape();
        wait.until(ExpectedConditions.invisibilityOfElementLocated(By.id("pv-consent")));
        assertThat(browser.switchTo().activeElement().getAttribute("data-pv-consent-open")).isNotNull();
        assertThat(browser.findElement(By.id("pv-reopen")).isDisplayed()).isFalse();

        browser.findElement(By.cssSelector("[data-pv-consent-open]")).click();

        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("pv-consent")));
        assertThat(browser.findElement(By.id("pv-statistics")).isSelected()).isTrue();
        browser.findElement(By.id("pv-close")).click();
        wait.until(ExpectedConditions.invisibilityOfElementLocated(By.id("pv-consent")));

        browser.executeScript("window.Personvern.openConsent()");

        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("pv-consent")));
        browser.findElement(By.id("pv-statistics")).click();
        browser.findElement(By.id("pv-marketing")).click();
        browser.findElement(By.id("pv-save")).click();

        assertThat(postedChoice()).isEqualTo(Map.of("statistics", false, "marketing", true));
        wait.until(ExpectedConditions.invisibilityOfElementLocated(By.id("pv-consent")));
        assertThat(storedChoice()).containsExactly("0", "1");
        assertThat(browser.executeScript("return window.Personvern.choice()"))
                .isEqualTo(Map.of("statistics", false, "marketing", true));
        assertThat(consentUpdates()).last().satisfies(update -> assertThat(update)
                .containsEntry("analytics_storage", "denied").containsEntry("ad_storage", "granted")
                .containsEntry("ad_user_data", "granted").containsEntry("ad_personalization", "granted"));
    }

    @Test
    void globalPrivacyControlTurnsMarketingOff() {
        browser().executeCdpCommand("Page.addScriptToEvaluateOnNewDocument", Map.of("source",
                "Object.defineProperty(navigator, 'globalPrivacyControl', {get: () => true});"));
        open("/consent-test-plain.html");
        wait.until(ExpectedConditions.elementToBeClickable(By.id("pv-choose"))).click();

        WebElement marketing = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("pv-marketing")));
        assertThat(marketing.isEnabled()).isFalse();
        assertThat(marketing.isSelected()).isFalse();
        assertThat(browser.findElement(By.id("pv-gpc")).getText())
                .isEqualTo("Nettleseren din ber om at vi ikke bruker data til markedsføring (GPC).");

        pressEscape();
        wait.until(ExpectedConditions.elementToBeClickable(By.id("pv-accept-all"))).click();

        assertThat(postedChoice()).isEqualTo(Map.of("statistics", true, "marketing", false));
        wait.until(ExpectedConditions.invisibilityOfElementLocated(By.id("pv-consent")));
        assertThat(storedChoice()).containsExactly("1", "0");
        assertThat(consentUpdates()).anySatisfy(update -> assertThat(update)
                .containsEntry("analytics_storage", "granted").containsEntry("ad_storage", "denied")
                .containsEntry("ad_user_data", "denied").containsEntry("ad_personalization", "denied"));

        browser.findElement(By.id("pv-reopen")).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("pv-marketing")));
        assertThat(browser.findElement(By.id("pv-marketing")).isEnabled()).isFalse();
        assertThat(browser.findElement(By.id("pv-marketing")).isSelected()).isFalse();
    }

    @Test
    void aChoiceThatCannotBeSavedKeepsTheQuestionOpen() {
        browser().executeCdpCommand("Page.addScriptToEvaluateOnNewDocument", Map.of("source", """
                window.fetch = () => Promise.resolve(new Response('', {status: 503}));
                """));
        open("/consent-test.html");
        wait.until(ExpectedConditions.elementToBeClickable(By.id("pv-accept-all"))).click();

        wait.until(ExpectedConditions.textToBe(By.id("pv-status"), "Vi fikk ikke lagret valget ditt. Prøv igjen."));
        assertThat(browser.findElement(By.id("pv-status")).getAttribute("aria-live")).isEqualTo("polite");
        assertThat(browser.findElement(By.id("pv-consent")).isDisplayed()).isTrue();
        assertThat(browser.findElement(By.id("pv-reopen")).isDisplayed()).isFalse();
        assertThat(browser.executeScript("return window.Personvern.choice()")).isNull();
        assertThat(consentUpdates()).isEmpty();
        assertThat(pixelRequests()).isEmpty();
        assertThat(browser.manage().getCookies()).isEmpty();
    }

    @Test
    void theBannerSpeaksThePageLanguage() {
        open("/consent-test-en.html");
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("pv-consent")));
        assertThat(browser.findElement(By.id("pv-reject-all")).getText()).isEqualTo("Reject all");
        assertThat(browser.findElement(By.id("pv-accept-all")).getText()).isEqualTo("Accept all");
        assertThat(browser.findElement(By.id("pv-choose")).getText()).isEqualTo("Choose");
        assertThat(browser.findElement(By.linkText("Privacy notice")).getAttribute("href"))
                .isEqualTo(url("/privacy?lang=en"));

        open("/consent-test.html");
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("pv-consent")));
        assertThat(browser.findElement(By.id("pv-reject-all")).getText()).isEqualTo("Avvis alle");
        assertThat(browser.findElement(By.id("pv-accept-all")).getText()).isEqualTo("Godta alle");
        assertThat(browser.findElement(By.id("pv-choose")).getText()).isEqualTo("Velg selv");
        assertThat(browser.findElement(By.linkText("Personvernerklæring")).getAttribute("href"))
                .isEqualTo(url("/privacy?lang=nb"));
    }

    @Test
    void onANarrowPhoneBothAnswersStayEqualAndFit() {
        browser().manage().window().setSize(new Dimension(360, 740));
        open("/consent-test.html");
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("pv-consent")));

        WebElement reject = browser.findElement(By.id("pv-reject-all"));
        WebElement accept = browser.findElement(By.id("pv-accept-all"));
        assertThat(reject.getSize()).isEqualTo(accept.getSize());
        assertThat(reject.getCssValue("font-size")).isEqualTo(accept.getCssValue("font-size"));
        long viewport = (Long) browser.executeScript("return window.innerWidth");
        long page = (Long) browser.executeScript("return document.documentElement.scrollWidth");
        assertThat(page).as("no sideways scrolling").isLessThanOrEqualTo(viewport);
        assertThat(accept.getLocation().getX() + accept.getSize().getWidth()).isLessThanOrEqualTo((int) viewport);
    }

    @Test
    void onAPageWithoutItsOwnLinkASmallButtonLeadsBackToTheChoice() {
        browser().manage().window().setSize(new Dimension(360, 740));
        open("/consent-test-plain.html");
        // The banner's look comes from Personvern's origin as a stylesheet (the page's CSP allows no inline style).
        WebElement link = browser.findElement(By.id("pv-style"));
        assertThat(link.getTagName()).isEqualTo("link");
        assertThat(link.getAttribute("href")).startsWith(url("/consent.css?v="));
        assertThat(browser.findElements(By.cssSelector("style"))).isEmpty();
        WebElement banner = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("pv-consent")));
        assertThat(banner.getCssValue("position")).isEqualTo("fixed");
        assertThat(browser.findElement(By.id("pv-reopen")).isDisplayed()).as("not before a choice").isFalse();

        wait.until(ExpectedConditions.elementToBeClickable(By.id("pv-reject-all"))).click();
        WebElement reopen = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("pv-reopen")));
        assertThat(reopen.getText()).isEqualTo("Innstillinger for informasjonskapsler");

        // Reachable with the keyboard alone, with a visible focus ring.
        browser.navigate().refresh();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("pv-reopen")));
        String focused = null;
        for (int tab = 0; tab < 10 && !"pv-reopen".equals(focused); tab++) {
            new org.openqa.selenium.interactions.Actions(browser).sendKeys(Keys.TAB).perform();
            focused = browser.switchTo().activeElement().getAttribute("id");
        }
        assertThat(focused).isEqualTo("pv-reopen");
        reopen = browser.findElement(By.id("pv-reopen"));
        assertThat(reopen.getCssValue("outline-style")).isEqualTo("solid");
        assertThat(reopen.getCssValue("outline-width")).isEqualTo("3px");

        // At the end of the page the button covers nothing, on a narrow phone too.
        browser.executeScript("window.scrollTo(0, document.documentElement.scrollHeight)");
        assertThat((Boolean) browser.executeScript("""
                const a = document.getElementById('pv-reopen').getBoundingClientRect();
                return Array.from(document.querySelectorAll('main *, footer *')).every(element => {
                  const b = element.getBoundingClientRect();
                  return a.bottom <= b.top || b.bottom <= a.top || a.right <= b.left || b.right <= a.left;
                });""")).isTrue();
        long viewport = (Long) browser.executeScript("return window.innerWidth");
        long page = (Long) browser.executeScript("return document.documentElement.scrollWidth");
        assertThat(page).as("no sideways scrolling").isLessThanOrEqualTo(viewport);

        new org.openqa.selenium.interactions.Actions(browser).sendKeys(Keys.ENTER).perform();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("pv-save")));
        assertThat(browser.findElement(By.id("pv-reopen")).isDisplayed()).isFalse();
    }

    @Test
    void theStylesheetIsVersionedAndCachedLikeTheScript() throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        HttpResponse<String> css = get(client, "/consent.css", Map.of());
        assertThat(css.statusCode()).isEqualTo(200);
        assertThat(css.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type)
                .startsWith("text/css").containsIgnoringCase("charset=utf-8"));
        assertThat(css.body()).contains("#pv-consent{");
        String version = css.headers().firstValue("X-Personvern-Version").orElseThrow();
        assertThat(version).isEqualTo(sha256(resource("tracking/consent.css")).substring(0, 12));
        assertThat(css.headers().firstValue("Cache-Control")).hasValue("public, max-age=3600");
        assertThat(get(client, "/consent.js", Map.of()).body()).contains("consent.css?v=" + version + "'");
        assertThat(get(client, "/consent.css?v=" + version, Map.of()).headers().firstValue("Cache-Control"))
                .hasValueSatisfying(cache -> assertThat(cache).contains("max-age=31536000").contains("immutable"));
        assertThat(get(client, "/consent.css", Map.of("If-None-Match", "\"" + version + "\"")).statusCode())
                .isEqualTo(304);
    }

    @Test
    void theScriptIsSmallVersionedAndCachedForLong() throws Exception {
        HttpClient client = HttpClient.newHttpClient();

        HttpResponse<String> script = get(client, "/consent.js", Map.of());
        assertThat(script.statusCode()).isEqualTo(200);
        assertThat(script.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type)
                .startsWith("text/javascript").containsIgnoringCase("charset=utf-8"));
        assertThat(script.body().getBytes(StandardCharsets.UTF_8).length).isLessThan(30 * 1024);
        String version = script.headers().firstValue("X-Personvern-Version").orElseThrow();
        assertThat(version).isEqualTo(sha256OfServedScript().substring(0, 12));
        assertThat(script.headers().firstValue("ETag")).hasValue("\"" + version + "\"");
        assertThat(script.headers().firstValue("Cache-Control")).hasValue("public, max-age=3600");
        assertThat(script.body()).contains("'" + version + "'").doesNotContain("__PV_VERSION__")
                .doesNotContain("__PV_OFFERED__").contains("const OFFERED = {\"statistics\":true,\"marketing\":true};");

        HttpResponse<String> pinned = get(client, "/consent.js?v=" + version, Map.of());
        assertThat(pinned.statusCode()).isEqualTo(200);
        assertThat(pinned.headers().firstValue("Cache-Control")).hasValueSatisfying(cache -> assertThat(cache)
                .contains("max-age=31536000").contains("immutable"));

        HttpResponse<String> outdated = get(client, "/consent.js?v=000000000000", Map.of());
        assertThat(outdated.headers().firstValue("Cache-Control")).hasValue("public, max-age=3600");

        HttpResponse<String> unchanged = get(client, "/consent.js", Map.of("If-None-Match", "\"" + version + "\""));
        assertThat(unchanged.statusCode()).isEqualTo(304);
        assertThat(unchanged.body()).isEmpty();

        HttpResponse<String> changed = get(client, "/consent.js", Map.of("If-None-Match", "\"000000000000\""));
        assertThat(changed.statusCode()).isEqualTo(200);
    }

    private ChromeDriver browser() {
        if (browser == null) {
            browser = Browser.start();
            wait = new WebDriverWait(browser, PATIENCE);
            browser.executeCdpCommand("Page.addScriptToEvaluateOnNewDocument", Map.of("source", RECORD_FETCHES));
        }
        return browser;
    }

    private void open(String path) {
        browser().get(url(path));
        wait.until(driver -> browser.executeScript(
                "return !!(window.Personvern && document.getElementById('pv-consent'))"));
    }

    private String url(String path) {
        return "http://localhost:" + port + path;
    }

    private void pressEscape() {
        browser.switchTo().activeElement().sendKeys(Keys.ESCAPE);
    }

    @SuppressWarnings("unchecked")
    private List<String> pixelRequests() {
        List<String> names = (List<String>) browser.executeScript(
                "return performance.getEntriesByType('resource').map(entry => entry.name)");
        return names.stream().filter(name -> name.contains("/t.gif")).toList();
    }

    @SuppressWarnings("unchecked")
    private List<Map<String, Object>> consentUpdates() {
        return (List<Map<String, Object>>) browser.executeScript("""
                return (window.__gtagCalls || []).filter(call => call[0] === 'consent' && call[1] === 'update')
                    .map(call => call[2]);
                """);
    }

    /** The choices of the last POST to the cookie-consent endpoint, as the script sent them. */
    @SuppressWarnings("unchecked")
    private Map<String, Object> postedChoice() {
        Map<String, Object> request = (Map<String, Object>) wait.until(driver -> browser.executeScript("""
                const posts = (window.__fetches || []).filter(f => f.url.endsWith('/api/v1/public/cookie-consent'));
                return posts.length ? posts[posts.length - 1] : null;
                """));
        assertThat(request).containsEntry("url", url("/api/v1/public/cookie-consent"))
                .containsEntry("method", "POST").containsEntry("credentials", "include");
        return (Map<String, Object>) browser.executeScript(
                "return JSON.parse(arguments[0]).choices", request.get("body"));
    }

    /** The statistics and marketing parts of {@code v1.<s>.<m>.<issued>.<visitor>.<signature>}. */
    private List<String> storedChoice() {
        Cookie cookie = wait.until(driver -> driver.manage().getCookieNamed("pv_consent"));
        String[] parts = cookie.getValue().split("\\.");
        assertThat(parts).hasSize(6);
        assertThat(parts[0]).isEqualTo("v1");
        return List.of(parts[1], parts[2]);
    }

    private HttpResponse<String> get(HttpClient client, String path, Map<String, String> headers)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url(path))).timeout(PATIENCE).GET();
        headers.forEach(request::header);
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The stored script with the categories the example catalog offers written in: both. */
    private static String sha256OfServedScript() throws Exception {
        String script = resource("tracking/consent.js").replace("__PV_OFFERED__",
                "{\"statistics\":true,\"marketing\":true}")
                .replace("__PV_CSS_VERSION__", sha256(resource("tracking/consent.css")).substring(0, 12));
        return sha256(script);
    }

    private static String resource(String path) throws IOException {
        try (InputStream in = new ClassPathResource(path).getInputStream()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static String sha256(String text) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    }
}
