package no.personvern.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import no.personvern.testing.Api;
import no.personvern.testing.Api.Response;
import no.personvern.testing.DatabaseTest;
import no.personvern.testing.PageBrowser;
import no.personvern.testing.RawHttp;
import no.personvern.testing.PageBrowser.Way;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The landing page and the privacy centre's home in Chromium, in each way a person comes; and,
 * through plain HTTP, what every page promises: its language, a strict policy, forms that cannot be
 * forged from another site without a session, and pages (not JSON) for what cannot be shown.
 */
@DatabaseTest
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
class PrivacyCentreBrowserTests {

    @LocalServerPort
    int port;

    @ParameterizedTest
    @MethodSource("no.personvern.testing.PageBrowser#ways")
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

            // The summary is the catalog's: each activity opens to why, what, basis and how long.
            assertThat(browser.all("details.activity")).isNotEmpty();
            browser.find("details.activity summary").click();
            assertThat(browser.find("details.activity dl.facts").getText())
                    .contains(way.nb() ? "Hvor lenge" : "How long");
            // An activity on consent says it can be withdrawn, and where (Art. 7(3)).
            assertThat(browser.all("details.activity p.withdraw a")).extracting(link -> link.getAttribute("href"))
                    .anySatisfy(href -> assertThat(href).contains("/privacy-center/subscriptions"))
                    .anySatisfy(href -> assertThat(href).contains("/privacy-center/cookies"));

            browser.find("header.site a[hreflang]").click();
            assertThat(browser.find("html").getAttribute("lang")).isEqualTo(way.nb() ? "en" : "nb");
            assertThat(browser.path()).isEqualTo("/privacy-center");

            browser.find("#notice-link").click();
            browser.check("notice");
            assertThat(browser.path()).isEqualTo("/privacy");
            assertThat(browser.find("html").getAttribute("lang")).isEqualTo(way.nb() ? "en" : "nb");

            browser.go("/privacy-center/no-such-page").check("centre-not-found");
            assertThat(browser.find("h1").getText())
                    .isEqualTo(way.nb() ? "Vi fant ikke siden" : "We could not find the page");
        }
    }

    @Test
    void theLanguageIsAskedForByTheLinkThenByTheBrowserThenNorwegian() {
        Api api = new Api(port);
        assertThat(lang(api.get("/privacy-center", null, Map.of()))).isEqualTo("nb");
        assertThat(lang(api.get("/privacy-center", null, Map.of("Accept-Language", "en-GB,en;q=0.8"))))
                .isEqualTo("en");
        assertThat(lang(api.get("/privacy-center", null, Map.of("Accept-Language", "de-DE,nn;q=0.8,en;q=0.5"))))
                .isEqualTo("nb");
        assertThat(lang(api.get("/privacy-center?lang=en", null, Map.of("Accept-Language", "nb")))).isEqualTo("en");
        assertThat(lang(api.get("/privacy-center?lang=xx", null, Map.of("Accept-Language", "en")))).isEqualTo("en");
        assertThat(lang(api.get("/?lang=en", null, Map.of()))).isEqualTo("en");
    }

    @Test
    void everyPageSendsAStrictPolicyAndNoSession() {
        Api api = new Api(port);
        for (String path : List.of("/", "/privacy-center", "/privacy", "/privacy-center/unknown", "/assets/personvern.css")) {
            Response page = api.get(path, null, Map.of("Accept", "text/html"));
            String policy = page.header("Content-Security-Policy");
            assertThat(policy).as(path).contains("default-src 'none'", "script-src 'self'", "style-src 'self'",
                    "frame-ancestors 'none'", "form-action 'self'").doesNotContain("unsafe-inline", "unsafe-eval", "*");
            assertThat(page.header("Referrer-Policy")).as(path).isEqualTo("no-referrer");
            assertThat(page.raw().headers().allValues("Set-Cookie")).as(path)
                    .noneMatch(cookie -> cookie.startsWith("JSESSIONID"));
        }
        Response home = api.get("/privacy-center", null, Map.of());
        assertThat(home.status()).isEqualTo(200);
        assertThat(home.contentType()).startsWith("text/html");
        assertThat(home.body()).doesNotContain("<script", "style=", "<style", "http://", "//fonts.");
        String cookie = csrfCookie(home);
        assertThat(cookie).contains("HttpOnly", "SameSite=Strict");
    }

    @Test
    void aFormWithoutItsSignedTokenIsRefusedWithAPageThatSaysWhatToDo() {
        Api api = new Api(port);
        String cookie = csrfCookie(api.get("/privacy-center", null, Map.of())).split(";")[0];
        String token = cookie.substring(cookie.indexOf('=') + 1);
        String form = "application/x-www-form-urlencoded";

        Response none = api.send("POST", "/privacy-center?lang=en", null, Map.of("Content-Type", form), "x=1");
        assertThat(none.status()).isEqualTo(403);
        assertThat(none.contentType()).startsWith("text/html");
        assertThat(none.body()).contains("The form could not be sent", "Nothing was saved");

        // The cookie's token, sent back in the form (masked as the pages mask it): the post passes the check
        // (and then meets no form on the home page: the page for an unknown address).
        Response passes = api.send("POST", "/privacy-center", null, Map.of("Content-Type", form, "Cookie", cookie),
                "_csrf=" + masked(token));
        assertThat(passes.status()).isEqualTo(404);
        assertThat(passes.body()).contains("Vi fant ikke siden");

        // A token of the attacker's own making, planted in the cookie and the form alike, is not signed by us.
        String forged = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA." + "0".repeat(32);
        Response planted = api.send("POST", "/privacy-center", null,
                Map.of("Content-Type", form, "Cookie", "pv_csrf=" + forged), "_csrf=" + masked(forged));
        assertThat(planted.status()).isEqualTo(403);

        // The right cookie, but another token in the form.
        Response mismatched = api.send("POST", "/privacy-center", null,
                Map.of("Content-Type", form, "Cookie", cookie), "_csrf=" + masked(token.replace('A', 'B') + "x"));
        assertThat(mismatched.status()).isEqualTo(403);
    }

    @Test
    void aFormPostedFromAnotherOriginOrWithItsTokenInTheAddressIsRefused() {
        Api api = new Api(port);
        String cookie = csrfCookie(api.get("/privacy-center", null, Map.of())).split(";")[0];
        String token = cookie.substring(cookie.indexOf('=') + 1);
        String form = "application/x-www-form-urlencoded";
        String body = "type=access&email=someone%40example.no&_csrf=" + masked(token);

        // A sibling subdomain (same site, another origin) or another site, holding a valid pair of its own.
        for (String site : List.of("same-site", "cross-site")) {
            Response refused = api.send("POST", "/privacy-center/request?lang=en", null,
                    Map.of("Content-Type", form, "Cookie", cookie, "Sec-Fetch-Site", site), body);
            assertThat(refused.status()).as(site).isEqualTo(403);
            assertThat(refused.body()).contains("The form could not be sent");
        }
        Response inTheAddress = api.send("POST", "/privacy-center/request?_csrf=" + masked(token), null,
                Map.of("Content-Type", form, "Cookie", cookie, "Sec-Fetch-Site", "same-origin"),
                "type=access&email=someone%40example.no");
        assertThat(inTheAddress.status()).isEqualTo(403);

        // From the page itself: accepted, and the redirect names a path, never the Host the request gave.
        byte[] bytes = body.getBytes(StandardCharsets.US_ASCII);
        RawHttp.Response sent = new RawHttp(port).send("POST /privacy-center/request HTTP/1.1\r\nHost: evil.example\r\n"
                + "Content-Type: " + form + "\r\nCookie: " + cookie + "\r\nSec-Fetch-Site: same-origin\r\n"
                + "Content-Length: " + bytes.length, bytes);
        assertThat(sent.status()).isEqualTo(302);
        assertThat(sent.header("Location")).startsWith("/privacy-center/requests/");
    }

    /** The form value as the pages write it: the token XOR-ed with a random pad, pad first (here a pad of zeros). */
    private static String masked(String token) {
        byte[] bytes = token.getBytes(StandardCharsets.UTF_8);
        byte[] both = new byte[bytes.length * 2];
        System.arraycopy(bytes, 0, both, bytes.length, bytes.length);
        return Base64.getUrlEncoder().encodeToString(both);
    }

    private static String csrfCookie(Response response) {
        return response.raw().headers().allValues("Set-Cookie").stream()
                .filter(cookie -> cookie.startsWith("pv_csrf=")).findFirst().orElseThrow();
    }

    private static String lang(Response page) {
        assertThat(page.status()).isEqualTo(200);
        int at = page.body().indexOf("<html");
        String tag = page.body().substring(at, page.body().indexOf('>', at));
        return tag.replaceAll(".*lang=\"([a-z]+)\".*", "$1");
    }
}
