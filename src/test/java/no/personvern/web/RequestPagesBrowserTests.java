package no.personvern.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import jakarta.mail.internet.MimeMessage;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import no.personvern.testing.Api;
import no.personvern.testing.DatabaseTest;
import no.personvern.testing.Json;
import no.personvern.testing.Mailbox;
import no.personvern.testing.MutableClock;
import no.personvern.testing.PageBrowser;
import no.personvern.testing.PageBrowser.Way;
import no.personvern.testing.People;
import no.personvern.testing.Requests;
import no.personvern.testing.Smtp;
import no.personvern.testing.Tokens;
import no.personvern.requests.RequestDesk;
import no.personvern.web.internal.PageStatesProbe;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Primary;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Making and following a data-subject request from the privacy centre, in Chromium in each way a
 * person comes (nb, en without script, nb at 360 px): the form, the mailed code, the status page
 * the browser gets (where the request stands, nothing more), the mailed link to our answer and the
 * package; every other state of the flow checked for accessibility; plus hostile input through plain HTTP.
 */
@DatabaseTest
@Import(PageStatesProbe.class)
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
        properties = {"personvern.requests.per-client-per-hour=" + RequestPagesBrowserTests.PER_CLIENT,
                "personvern.mail.poll-interval=PT0.1S", "personvern.mail.retry.initial-delay=PT0S",
                "personvern.trusted-proxies=127.0.0.1/32,::1/128"})
class RequestPagesBrowserTests {

    /** Public requests one client may make in an hour here: more than the rest of the class makes from 127.0.0.1. */
    static final int PER_CLIENT = 40;

    private static final Pattern STATUS_LINK =
            Pattern.compile("(/privacy-center/requests/([0-9a-f-]{36})/status\\?key=[A-Za-z0-9_-]+)");

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

    @Autowired
    MutableClock clock;

    @Autowired
    RequestDesk desk;

    @TestConfiguration
    static class Time {
        @Bean
        @Primary
        MutableClock testClock() {
            return new MutableClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
        }
    }

    Api api;
    Mailbox mailbox;
    String writer;

    @BeforeEach
    void setUp() {
        api = new Api(port);
        mailbox = Mailbox.of(MAIL, jdbc);
        writer = new Tokens(api).issue("go", "subjects:write");
    }

    @ParameterizedTest
    @MethodSource("no.personvern.testing.PageBrowser#ways")
    void anAccessRequestFromTheHomePageEndsInAReportThePersonCanRead(Way way, @TempDir Path dir) throws Exception {
        String email = unique("innsyn");
        String name = "Ingrid Innsyn " + way.ordinal();
        People.in("go", "service-delivery").email(email).data("user.name", name).create(api, writer);

        try (PageBrowser browser = PageBrowser.open(way, port)) {
            browser.go("/privacy-center?lang=" + way.lang);
            submit(browser, "#right-access");
            assertThat(browser.path()).isEqualTo("/privacy-center/request");
            assertThat(browser.find("#type-access").isSelected()).isTrue();
            browser.check("request-form");
            browser.fill("email", email);
            submit(browser, "#send");

            assertThat(browser.path()).endsWith("/code");
            assertThat(browser.find("#code").getAttribute("autocomplete")).isEqualTo("one-time-code");
            assertThat(browser.find("#code").getAttribute("inputmode")).isEqualTo("numeric");
            browser.check("request-code");
            browser.fill("code", Mailbox.code(mailbox.lastTo(email)));
            submit(browser, "#confirm");

            // The code got the browser this far: where the request stands, not the person's data.
            assertThat(browser.path()).endsWith("/status");
            String mailed = statusLink(email);
            assertThat(browser.driver.getCurrentUrl()).doesNotContain(mailed);
            assertThat(browser.find("#facts").getText())
                    .contains(way.nb() ? "Se hva vi har om deg" : "See what we hold about you");
            assertThat(browser.find("#limited").getText()).contains(way.nb() ? "lenken i e-posten" : "link in our e-mail");
            browser.check("request-status");
            String statusOnly = browser.driver.getCurrentUrl();

            browser.go(mailed + "&lang=" + way.lang);
            assertThat(browser.all("#limited")).isEmpty();
            await("the package").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).until(() -> {
                browser.driver.navigate().refresh();
                return !browser.all("#download").isEmpty();
            });
            assertThat(browser.find("#state-word").getText()).isEqualTo(way.nb() ? "Ferdig" : "Done");
            assertThat(browser.find("#package-expires").getText()).contains(way.nb() ? "virker til" : "works until");
            browser.check("request-status-ready");

            HttpResponse<byte[]> zip = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create(browser.find("#download").getAttribute("href"))).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertThat(zip.statusCode()).isEqualTo(200);
            assertThat(zip.headers().firstValue("Content-Type")).hasValue("application/zip");
            Map<String, String> entries = Requests.unzip(zip.body());
            HttpResponse<String> guessed = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create(statusOnly.replace("/status?", "/package?"))).header("Accept", "text/html").build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(guessed.statusCode()).as("the browser's key opens no package").isEqualTo(404);
            assertThat(entries).containsKey("report.html");
            Path report = dir.resolve("report.html");
            Files.writeString(report, entries.get("report.html"));
            browser.driver.get(report.toUri().toString());
            assertThat(browser.text()).contains(name);
        }
    }

    @ParameterizedTest
    @MethodSource("no.personvern.testing.PageBrowser#ways")
    void anErasureIsFollowedToTheEnd(Way way) {
        String email = unique("slett");
        People.in("go", "service-delivery").email(email).data("user.name", "Siri Slett").create(api, writer);

        try (PageBrowser browser = PageBrowser.open(way, port)) {
            browser.go("/privacy-center/request?type=erasure&lang=" + way.lang);
            assertThat(browser.find("#type-erasure").isSelected()).isTrue();
            browser.fill("email", email);
            submit(browser, "#send");
            browser.fill("code", Mailbox.code(mailbox.lastTo(email)));
            submit(browser, "#confirm");

            await("the erasure").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).until(() -> {
                browser.driver.navigate().refresh();
                return browser.find("#state-word").getText().equals(way.nb() ? "Ferdig" : "Done");
            });
            assertThat(browser.find("#done-text").getText()).contains(way.nb() ? "slettet" : "erased");
            assertThat(browser.find("#steps").getText()).contains(way.nb() ? "bekreftet" : "confirmed");
            assertThat(browser.text()).contains("Datatilsynet").doesNotContain("Erased:");
            List<WebElement> current = browser.all("#steps li[aria-current='step']");
            assertThat(current).hasSize(1);
            assertThat(current.get(0).getText()).startsWith(way.nb() ? "Ferdig:" : "Done:");
            assertThat(browser.find("#steps").getText()).doesNotContain(way.nb() ? "Nå:" : "Now:");
            assertThat(browser.find("#court").getText()).contains(way.nb() ? "domstolene" : "court");
            browser.check("request-status-erased");
        }
    }

    @ParameterizedTest
    @MethodSource("no.personvern.testing.PageBrowser#ways")
    void aRectificationCarriesItsMessageToStaff(Way way) {
        String email = unique("rett");
        String message = "Adressen min er feil (" + way + "): riktig er Storgata 5, 0155 Oslo.";

        try (PageBrowser browser = PageBrowser.open(way, port)) {
            browser.go("/privacy-center/request?type=rectification&lang=" + way.lang);
            assertThat(browser.find("#message-hint").getText())
                    .contains(way.nb() ? "Hva er feil, og hva er riktig?" : "What is wrong, and what is right.");
            browser.fill("email", "ikke-en-adresse");
            browser.fill("message", message);
            submit(browser, "#send");

            assertThat(browser.find("#error-summary").getAttribute("role")).isEqualTo("alert");
            assertThat(browser.find("#email").getAttribute("aria-invalid")).isEqualTo("true");
            assertThat(browser.find("#email").getAttribute("aria-describedby")).contains("email-error");
            assertThat(browser.find("#email-error").getText()).contains(way.nb() ? "hel e-postadresse" : "whole e-mail");
            assertThat(browser.driver.getTitle()).startsWith(way.nb() ? "Feil: " : "Error: ");
            assertThat(browser.find("#message").getAttribute("value")).isEqualTo(message);
            assertThat(browser.text()).doesNotContain("not a valid");
            browser.check("request-form-errors");

            browser.fill("email", email);
            submit(browser, "#send");
            browser.fill("code", Mailbox.code(mailbox.lastTo(email)));
            submit(browser, "#confirm");
            assertThat(browser.path()).endsWith("/status");
            String id = browser.path().split("/")[3];

            Api.Response seen = api.get("/api/v1/requests/" + id, Api.ADMIN_TOKEN);
            assertThat(seen.json().get("type").asString()).isEqualTo("rectification");
            assertThat(seen.json().get("message").asString()).isEqualTo(message);
            assertThat(browser.text()).doesNotContain(message);

            // Staff take longer, and then say no: the page tells why, and where to complain.
            assertThat(api.post("/api/v1/requests/" + id + "/extend", Api.ADMIN_TOKEN,
                    Json.object("reason", "Vi må hente opplysninger fra arkivet.")).status()).isEqualTo(200);
            browser.driver.navigate().refresh();
            assertThat(browser.find("#extension").getText()).isEqualTo("Vi må hente opplysninger fra arkivet.");
            assertThat(browser.find("#due").getText()).contains(way.nb() ? "forlenget fra" : "extended from");
            List<WebElement> now = browser.all("#steps li[aria-current='step']");
            assertThat(now).hasSize(1);
            assertThat(now.get(0).getText()).startsWith(way.nb() ? "Nå:" : "Now:");
            assertThat(api.post("/api/v1/requests/" + id + "/reject", Api.ADMIN_TOKEN,
                    Json.object("reason", "Adressen i registeret er allerede riktig.")).status()).isEqualTo(200);
            browser.driver.navigate().refresh();
            assertThat(browser.find("#state-word").getText()).isEqualTo(way.nb() ? "Avslått" : "Rejected");
            assertThat(browser.all("#reasons")).as("not behind the browser's key").isEmpty();
            assertThat(browser.text()).doesNotContain("Adressen i registeret");
            browser.go(statusLink(email) + "&lang=" + way.lang);
            assertThat(browser.find("#reasons").getText()).isEqualTo("Adressen i registeret er allerede riktig.");
            assertThat(browser.find("#complain").getText()).contains("Datatilsynet")
                    .contains(way.nb() ? "domstolene" : "court");
            browser.check("request-status-rejected");
        }
    }

    @ParameterizedTest
    @MethodSource("no.personvern.testing.PageBrowser#ways")
    void fiveWrongCodesLockTheRequestAndThePageSaysWhatToDo(Way way) throws Exception {
        String email = unique("laas");
        try (PageBrowser browser = PageBrowser.open(way, port)) {
            browser.go("/privacy-center/request?type=objection&lang=" + way.lang);
            assertThat(browser.find("#message-hint").getText()).contains(way.nb() ? "Grunnene dine" : "Your grounds");
            browser.fill("email", email);
            submit(browser, "#send");
            String right = Mailbox.code(mailbox.lastTo(email));
            String wrong = right.equals("000000") ? "111111" : "000000";
            // Not a code at all: said so, and no try is used up (the first wrong code still leaves 4).
            for (String malformed : List.of("12345", "abcdef", "")) {
                browser.fill("code", malformed);
                submit(browser, "#confirm");
                assertThat(browser.find("#code-error").getText()).contains(way.nb() ? "seks sifrene" : "six digits")
                        .doesNotContain(way.nb() ? "forsøk igjen" : "tries left");
                assertThat(browser.driver.getTitle()).startsWith(way.nb() ? "Feil: " : "Error: ");
            }
            browser.check("request-code-malformed");
            for (int tries = 4; tries >= 1; tries--) {
                browser.fill("code", wrong);
                submit(browser, "#confirm");
                assertThat(browser.find("#code-error").getText()).contains(String.valueOf(tries));
                assertThat(browser.find("#code").getAttribute("aria-invalid")).isEqualTo("true");
                if (tries == 4) {
                    browser.check("request-code-wrong");
                }
            }
            browser.fill("code", wrong);
            submit(browser, "#confirm");

            assertThat(browser.find("#locked").getText()).contains(way.nb() ? "fem ganger" : "five times")
                    .contains(way.nb() ? "Ingenting er gjort" : "Nothing was done");
            assertThat(browser.text()).contains(way.nb() ? "se bort fra e-posten" : "ignore the e-mail");
            assertThat(browser.find("#new-request").getAttribute("href")).contains("/privacy-center/request");
            browser.check("request-locked");

            // Even the right code is too late now.
            String codePath = browser.path();
            Visitor late = new Visitor();
            HttpResponse<String> rightButLocked = late.post(codePath + "?lang=" + way.lang, Map.of("code", right), true);
            assertThat(rightButLocked.statusCode()).isEqualTo(423);
            assertThat(rightButLocked.body()).contains("id=\"locked\"").doesNotContain("/status?key=");
            assertThat(rightButLocked.headers().firstValue("Location")).isEmpty();
            browser.go(codePath + "?lang=" + way.lang);
            assertThat(browser.all("#locked")).hasSize(1);
        }
    }

    @Test
    void everyOtherStateOfTheFlowPassesTheAccessibilityCheck() {
        String email = unique("tilstand");
        try (PageBrowser browser = PageBrowser.open(Way.NB_DESKTOP, port)) {
            browser.go("/privacy-center/request?type=restriction&lang=nb");
            browser.fill("email", email);
            submit(browser, "#send");
            String codePath = browser.path();
            clock.advance(Duration.ofMinutes(31));
            browser.fill("code", Mailbox.code(mailbox.lastTo(email)));
            submit(browser, "#confirm");
            assertThat(browser.find("#expired").getText()).contains("30 minutter");
            browser.check("request-code-expired");

            submit(browser, "#resend");
            assertThat(browser.find("#resent").getText()).contains("ny kode");
            browser.check("request-code-resent");
            submit(browser, "#resend");
            submit(browser, "#resend");
            submit(browser, "#resend");
            assertThat(browser.find("#resend-limit").getText()).contains("så mange ganger vi kan");
            browser.check("request-code-resend-limit");

            await("the third mail").atMost(Duration.ofSeconds(10)).until(() -> mailsTo(email).size() == 3);
            browser.fill("code", Mailbox.code(mailsTo(email).get(2)));
            submit(browser, "#confirm");
            assertThat(browser.path()).endsWith("/status");
            browser.go(codePath + "?lang=nb");
            assertThat(browser.text()).contains("allerede bekreftet");
            browser.check("request-not-waiting");

            browser.go("/form-expired?lang=nb");
            browser.check("form-expired");
            browser.go("/form-refused/413?lang=nb");
            assertThat(browser.text()).contains("For mye på en gang");
            browser.check("problem-413");
            for (String kind : List.of("GONE", "LOCKED", "TOO_MANY", "BAD_REQUEST")) {
                browser.go("/test-pages/problem/" + kind + "?lang=nb");
                assertThat(browser.find("main h1").getText()).isNotBlank();
                browser.check("problem-" + kind.toLowerCase());
            }
            for (String page : List.of("wait", "refused")) {
                browser.go("/test-pages/request/" + page + "?lang=nb");
                browser.check("request-" + page);
            }

            // Never confirmed within 7 days: the code page says the request expired.
            String late = unique("sen");
            browser.go("/privacy-center/request?type=access&lang=nb");
            browser.fill("email", late);
            submit(browser, "#send");
            clock.advance(Duration.ofDays(8));
            desk.expireUnverified();
            browser.go(browser.path() + "?lang=nb");
            assertThat(browser.find("#request-expired").getText()).contains("7 dager");
            browser.check("request-expired");
        }
    }

    // ---- plain HTTP: hostile input --------------------------------------------------------

    @Test
    void aFormWithoutItsTokenIsRefusedWithAPageAndNothingIsStored() throws Exception {
        long before = requestsStored();
        Visitor visitor = new Visitor();
        HttpResponse<String> refused = visitor.post("/privacy-center/request?lang=en",
                Map.of("type", "access", "email", unique("csrf")), false);
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(refused.body()).contains("The form could not be sent").doesNotContain("Exception");
        HttpResponse<String> code = visitor.post("/privacy-center/requests/" + UUID.randomUUID() + "/code?lang=en",
                Map.of("code", "123456"), false);
        assertThat(code.statusCode()).isEqualTo(403);
        assertThat(requestsStored()).isEqualTo(before);
    }

    @Test
    void anOversizedMessageIsAnsweredWithTheFormOrAPageAndNothingIsStored() throws Exception {
        long before = requestsStored();
        Visitor visitor = new Visitor();
        visitor.get("/privacy-center/request?type=rectification&lang=en");
        HttpResponse<String> tooLong = visitor.post("/privacy-center/request?lang=en",
                Map.of("type", "rectification", "email", unique("lang"), "message", "x".repeat(4001)), true);
        assertThat(tooLong.statusCode()).isEqualTo(422);
        assertThat(tooLong.body()).contains("at most 4000 characters", "id=\"message-error\"", "aria-invalid=\"true\"");
        // 4001 Cyrillic letters take some 24 KB form-encoded: still the form with the field error, in the language.
        HttpResponse<String> cyrillic = visitor.post("/privacy-center/request?lang=nb",
                Map.of("type", "rectification", "email", unique("kyrillisk"), "message", "Ж".repeat(4001)), true);
        assertThat(cyrillic.statusCode()).isEqualTo(422);
        assertThat(cyrillic.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/html");
        assertThat(cyrillic.body()).contains("høyst 4000 tegn", "id=\"message-error\"");
        assertThat(requestsStored()).isEqualTo(before);
        HttpResponse<String> huge = visitor.post("/privacy-center/request?lang=nb",
                Map.of("type", "bogus<script>", "email", "<b>@", "message", "y".repeat(200_000)), true);
        assertThat(huge.statusCode()).isEqualTo(413);
        assertThat(huge.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/html");
        assertThat(huge.body()).contains("<html", "lang=\"nb\"", "For mye").doesNotContain("<script>", "yyyyyyyyyy",
                "Exception", "application/problem");
        assertThat(requestsStored()).isEqualTo(before);
        // 4000 of them are a message like any other.
        HttpResponse<String> accepted = visitor.post("/privacy-center/request?lang=en",
                Map.of("type", "rectification", "email", unique("kyrillisk"), "message", "Ж".repeat(4000)), true);
        assertThat(accepted.statusCode()).isEqualTo(302);
        assertThat(requestsStored()).isEqualTo(before + 1);
    }

    @Test
    void aPagePostOverTheClientsRateLimitGetsAPage() throws Exception {
        Visitor visitor = new Visitor("198.51.100." + (int) (Math.random() * 200 + 1));
        visitor.get("/privacy-center/request?lang=en");
        HttpResponse<String> limited = null;
        for (int sent = 0; sent < 400 && limited == null; sent++) {
            HttpResponse<String> answer = visitor.post("/privacy-center/requests/" + UUID.randomUUID()
                    + "/code?lang=en", Map.of("code", "123456"), true);
            if (answer.statusCode() == 429) {
                limited = answer;
            }
        }
        assertThat(limited).as("the per-minute limit answers").isNotNull();
        assertThat(limited.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/html");
        assertThat(limited.headers().firstValue("Retry-After")).isPresent();
        assertThat(limited.body()).contains("<html", "Too many attempts").doesNotContain("application/problem");
    }

    @Test
    void wrongOrGarbageLinksAreTheSameNotFoundPage() throws Exception {
        Visitor visitor = new Visitor();
        String email = unique("lenke");
        String status = visitor.requestAndConfirm("restriction", email);
        Matcher link = STATUS_LINK.matcher(status);
        assertThat(link.find()).isTrue();
        String id = link.group(2);
        String key = status.substring(status.indexOf("key=") + 4).replaceAll("&.*", "");
        assertThat(visitor.get(status + "&lang=en").statusCode()).isEqualTo(200);
        String mailed = statusLink(email);
        assertThat(mailed).as("the mail carries its own key").isNotEqualTo(link.group(1)).contains(id);
        assertThat(visitor.get(mailed + "&lang=en").statusCode()).isEqualTo(200);

        List<String> wrong = List.of(
                "/privacy-center/requests/" + id + "/status?key=" + key.substring(1) + "A",
                "/privacy-center/requests/" + id + "/status?key=",
                "/privacy-center/requests/" + id + "/status",
                "/privacy-center/requests/" + id + "/status?key=" + "k".repeat(5000),
                "/privacy-center/requests/" + UUID.randomUUID() + "/status?key=" + key,
                "/privacy-center/requests/not-a-uuid/status?key=" + key,
                "/privacy-center/requests/" + id + "/status?key=%27%20OR%201=1",
                "/privacy-center/requests/" + id + "/package?key=forged",
                "/privacy-center/requests/" + UUID.randomUUID() + "/code",
                "/privacy-center/requests/1/code");
        String notFound = null;
        for (String path : wrong) {
            HttpResponse<String> answer = visitor.get(path + (path.contains("?") ? "&" : "?") + "lang=en");
            assertThat(answer.statusCode()).as(path).isEqualTo(404);
            assertThat(answer.body()).as(path).contains("We could not find the page").doesNotContain("Exception");
            String main = answer.body().replaceAll("(?s).*<main", "").replaceAll("(?s)</main>.*", "");
            if (notFound == null) {
                notFound = main;
            }
            assertThat(main).as("the same page for " + path).isEqualTo(notFound);
        }
        HttpResponse<String> noPackage = visitor.get("/privacy-center/requests/" + id + "/package?key=" + key + "&lang=en");
        assertThat(noPackage.statusCode()).as("a restriction has no package").isEqualTo(404);
    }

    @Test
    void aRequestJoinedToAnEarlierOneStillHasAStatusPage() throws Exception {
        String email = unique("dobbel");
        String agent = new Tokens(api).issue("kundesenter", "requests:manage");
        String earlier = api.post("/api/v1/requests", agent, Requests.staffBody("rectification", email)).json()
                .get("id").asString();
        Visitor visitor = new Visitor();
        String status = visitor.requestAndConfirm("rectification", email);
        String id = status.split("/")[3];
        assertThat(api.get("/api/v1/requests/" + id, agent).json().get("linkedTo").asString()).isEqualTo(earlier);

        HttpResponse<String> page = visitor.get(status + "&lang=en");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("Correct something wrong", "Received and confirmed");
        HttpResponse<String> mailed = visitor.get(statusLink(email) + "&lang=en");
        assertThat(mailed.statusCode()).isEqualTo(200);
        assertThat(mailed.body()).contains("Correct something wrong", "Received and confirmed")
                .doesNotContain("id=\"limited\"");
    }

    @Test
    void theCodeIsSentAgainAFewTimesThenNoMore() throws Exception {
        Visitor visitor = new Visitor();
        String email = unique("igjen");
        visitor.get("/privacy-center/request?lang=nb");
        HttpResponse<String> sent = visitor.post("/privacy-center/request?lang=nb",
                Map.of("type", "access", "email", email), true);
        assertThat(sent.statusCode()).isEqualTo(302);
        String code = sent.headers().firstValue("Location").orElseThrow().replaceAll("^https?://[^/]+", "")
                .replaceAll("\\?.*", "");
        String first = Mailbox.code(mailbox.lastTo(email));
        for (int resend = 1; resend <= 3; resend++) {
            HttpResponse<String> again = visitor.post(code + "/resend?lang=nb", Map.of(), true);
            assertThat(again.statusCode()).as("resend " + resend).isEqualTo(302);
            assertThat(again.headers().firstValue("Location").orElseThrow()).contains("resent=1");
        }
        assertThat(visitor.get(code + "?resent=1&lang=nb").body()).contains("ny kode hvis vi kunne");
        HttpResponse<String> refused = visitor.post(code + "/resend?lang=nb", Map.of(), true);
        assertThat(refused.statusCode()).isEqualTo(429);
        assertThat(refused.body()).contains("så mange ganger vi kan", "id=\"code\"");
        // Three mails an hour to one address from one client: the code, and two new ones.
        List<MimeMessage> mails = mailbox.all().stream()
                .filter(mail -> Mailbox.recipients(mail).anyMatch(email::equals)).toList();
        assertThat(mails).hasSize(3);
        String newest = Mailbox.code(mails.get(2));
        if (!newest.equals(first)) {
            HttpResponse<String> old = visitor.post(code + "?lang=nb", Map.of("code", first), true);
            assertThat(old.statusCode()).as("the first code was replaced").isEqualTo(422);
        }
        HttpResponse<String> confirmed = visitor.post(code + "?lang=nb", Map.of("code", newest), true);
        assertThat(confirmed.statusCode()).isEqualTo(302);
        assertThat(confirmed.headers().firstValue("Location").orElseThrow()).contains("/status?key=");
        assertThat(visitor.post(code + "/resend?lang=nb", Map.of(), true).statusCode())
                .as("a confirmed request takes no new code").isEqualTo(409);
    }

    @Test
    void knownAndUnknownAddressesGetTheSamePages() throws Exception {
        String known = unique("kjent");
        People.in("go", "service-delivery").email(known).data("user.name", "Kari Kjent").create(api, writer);
        List<String> pages = new java.util.ArrayList<>();
        for (String email : List.of(known, unique("ukjent"))) {
            Visitor visitor = new Visitor();
            visitor.get("/privacy-center/request?lang=en");
            HttpResponse<String> sent = visitor.post("/privacy-center/request?lang=en",
                    Map.of("type", "access", "email", email), true);
            assertThat(sent.statusCode()).isEqualTo(302);
            String code = Visitor.path(sent.headers().firstValue("Location").orElseThrow());
            HttpResponse<String> page = visitor.get(code);
            assertThat(page.statusCode()).isEqualTo(200);
            pages.add(page.body().replaceAll("(?s).*<main", "").replaceAll("(?s)</main>.*", "")
                    .replaceAll("[0-9a-f-]{36}", "ID").replaceAll("value=\"[^\"]*\"", ""));
        }
        assertThat(pages.get(0)).isEqualTo(pages.get(1));
    }

    @Test
    void anExpiredCodeOffersANewOne() throws Exception {
        Visitor visitor = new Visitor();
        String email = unique("utlopt");
        visitor.get("/privacy-center/request?lang=en");
        HttpResponse<String> sent = visitor.post("/privacy-center/request?lang=en",
                Map.of("type", "portability", "email", email), true);
        String code = Visitor.path(sent.headers().firstValue("Location").orElseThrow()).replaceAll("\\?.*", "");
        String first = Mailbox.code(mailbox.lastTo(email));
        clock.advance(Duration.ofMinutes(31));

        HttpResponse<String> late = visitor.post(code + "?lang=en", Map.of("code", first), true);
        assertThat(late.statusCode()).isEqualTo(410);
        assertThat(late.body()).contains("The code has expired", "Nothing was done", "id=\"resend\"",
                "id=\"new-request\"");
        assertThat(visitor.post(code + "/resend?lang=en", Map.of(), true).statusCode()).isEqualTo(302);
        HttpResponse<String> confirmed = visitor.post(code + "?lang=en",
                Map.of("code", Mailbox.code(mailbox.lastTo(email))), true);
        assertThat(confirmed.statusCode()).isEqualTo(302);
        assertThat(confirmed.headers().firstValue("Location").orElseThrow()).contains("/status?key=");
    }

    @Test
    void thePackageIsDownloadedFromTheMailedLinkForSevenDaysAndBothLinksStopThirtyDaysLater() throws Exception {
        String email = unique("pakke");
        People.in("go", "service-delivery").email(email).data("user.name", "Petter Pakke").create(api, writer);
        Visitor visitor = new Visitor();
        String status = visitor.requestAndConfirm("access", email);
        String id = status.split("/")[3];
        String mailed = statusLink(email);
        await("the package").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(300))
                .until(() -> visitor.get(mailed + "&lang=en").body().contains("id=\"download\""));
        // The key a guessed code would have won: where the request stands, no data, no download.
        HttpResponse<String> limited = visitor.get(status + "&lang=en");
        assertThat(limited.body()).contains("id=\"limited\"", "Done").doesNotContain("id=\"download\"",
                "ready to download above");
        assertThat(visitor.get(status.replace("/status?", "/package?") + "&lang=en").statusCode()).isEqualTo(404);

        String download = mailed.replace("/status?", "/package?");
        HttpResponse<byte[]> zip = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://localhost:" + port + download)).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(zip.statusCode()).isEqualTo(200);
        assertThat(Requests.unzip(zip.body()).get("data.json")).contains("Petter Pakke");
        assertThat(visitor.get("/privacy-center/requests/" + id + "/package?key=" + "x".repeat(32)).statusCode())
                .isEqualTo(404);

        clock.advance(Duration.ofDays(8));
        HttpResponse<String> page = visitor.get(mailed + "&lang=en");
        assertThat(page.body()).contains("id=\"package-expired\"", "has stopped working")
                .doesNotContain("id=\"download\"", "ready to download above");
        HttpResponse<String> gone = visitor.get(download + "&lang=en");
        assertThat(gone.statusCode()).isEqualTo(410);
        assertThat(gone.body()).contains("The link has expired").doesNotContain("Exception");

        // 30 days after the package expired (later than the closing), neither link works.
        clock.advance(Duration.ofDays(28));
        assertThat(visitor.get(mailed + "&lang=en").statusCode()).isEqualTo(200);
        assertThat(visitor.get(status + "&lang=en").statusCode()).isEqualTo(200);
        clock.advance(Duration.ofDays(2));
        for (String link : List.of(mailed, status)) {
            HttpResponse<String> expired = visitor.get(link + "&lang=en");
            assertThat(expired.statusCode()).as(link).isEqualTo(410);
            assertThat(expired.body()).contains("The link has expired").doesNotContain("Petter", "Done");
        }
    }

    @Test
    void anErasedPersonsLinksStopAtOnce() throws Exception {
        String email = unique("glemt");
        People.in("go", "service-delivery").email(email).data("user.name", "Gunn Glemt").create(api, writer);
        Visitor visitor = new Visitor("203.0.113." + (int) (Math.random() * 200 + 1));
        String restriction = visitor.requestAndConfirm("rectification", email);
        String mailed = statusLink(email);
        assertThat(visitor.get(restriction + "&lang=en").statusCode()).isEqualTo(200);
        String erasure = visitor.requestAndConfirm("erasure", email);
        await("the erasure").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(300))
                .until(() -> visitor.get(erasure + "&lang=en").body().contains("We have erased your data"));
        for (String link : List.of(restriction, mailed)) {
            HttpResponse<String> gone = visitor.get(link + "&lang=en");
            assertThat(gone.statusCode()).as(link).isEqualTo(410);
            assertThat(gone.body()).contains("The link has expired");
        }
    }

    @Test
    void aRequestThatExpiredOrWasRefusedSaysSoAtTheCode() throws Exception {
        // Never confirmed: after 7 days the request expires, and the right code says so.
        Visitor visitor = new Visitor("192.0.2." + (int) (Math.random() * 190 + 1));
        String email = unique("sein");
        visitor.get("/privacy-center/request?lang=en");
        String code = Visitor.path(visitor.post("/privacy-center/request?lang=en",
                Map.of("type", "access", "email", email), true).headers().firstValue("Location").orElseThrow())
                .replaceAll("\\?.*", "");
        String right = Mailbox.code(mailbox.lastTo(email));
        clock.advance(Duration.ofDays(8));
        assertThat(desk.expireUnverified()).isPositive();
        // A form opened a week ago carries a token older than a day: the person opens the page again.
        assertThat(visitor.post(code + "?lang=en", Map.of("code", right), true).statusCode()).isEqualTo(403);
        visitor.get("/privacy-center/request?lang=en");
        HttpResponse<String> expired = visitor.post(code + "?lang=en", Map.of("code", right), true);
        assertThat(expired.statusCode()).isEqualTo(410);
        assertThat(expired.body()).contains("id=\"request-expired\"", "within 7 days")
                .doesNotContain("already confirmed");
        assertThat(visitor.get(code + "?lang=nb").body()).contains("id=\"request-expired\"", "innen 7 dager");

        // Art. 12(5): more requests from one person in an hour than we take: the page says why, and the rights.
        String many = unique("mange");
        People.in("go", "service-delivery").email(many).data("user.name", "Mona Mange").create(api, writer);
        for (int made = 0; made < 5; made++) {
            // From five clients: one client's code mails to one address are limited too.
            new Visitor("192.0.2." + (201 + made)).requestAndConfirm("rectification", many);
        }
        visitor.get("/privacy-center/request?lang=en");
        String sixth = Visitor.path(visitor.post("/privacy-center/request?lang=en",
                Map.of("type", "objection", "email", many), true).headers().firstValue("Location").orElseThrow())
                .replaceAll("\\?.*", "");
        HttpResponse<String> refused = visitor.post(sixth + "?lang=en",
                Map.of("code", Mailbox.code(mailbox.lastTo(many))), true);
        assertThat(refused.statusCode()).isEqualTo(429);
        assertThat(refused.body()).contains("id=\"refused\"", "manifestly excessive", "Datatilsynet", "court")
                .doesNotContain("Too many attempts", "Exception");
        assertThat(visitor.post(sixth + "?lang=en", Map.of("code", "123456"), true).body())
                .as("and again").contains("id=\"refused\"");
    }

    @Test
    void aClientOverItsHourlyLimitIsAskedToWait() throws Exception {
        Visitor visitor = new Visitor("198.51.100." + (int) (Math.random() * 200 + 1));
        String email = unique("flom");
        visitor.get("/privacy-center/request?lang=nb");
        for (int sent = 0; sent < PER_CLIENT; sent++) {
            assertThat(visitor.post("/privacy-center/request?lang=nb", Map.of("type", "erasure", "email", email), true)
                    .statusCode()).isEqualTo(302);
        }
        HttpResponse<String> waiting = visitor.post("/privacy-center/request?lang=nb",
                Map.of("type", "erasure", "email", email), true);
        assertThat(waiting.statusCode()).isEqualTo(429);
        assertThat(waiting.body()).contains("Vent en time", "id=\"wait\"");
    }

    // ---- helpers ---------------------------------------------------------------------------

    /** Clicks and waits for the next page (without script, too). */
    private static void submit(PageBrowser browser, String css) {
        browser.submit(css);
    }

    private List<MimeMessage> mailsTo(String email) {
        return mailbox.all().stream().filter(mail -> Mailbox.recipients(mail).anyMatch(email::equals)).toList();
    }

    private long requestsStored() {
        return jdbc.sql("SELECT COUNT(*) FROM data_request").query(Long.class).single();
    }

    /** The status link in the "request received" mail to {@code email}. */
    private String statusLink(String email) {
        mailbox.lastTo(email);
        return mailbox.all().stream().filter(mail -> Mailbox.recipients(mail).anyMatch(email::equals))
                .map(Mailbox::text).map(STATUS_LINK::matcher).filter(Matcher::find).map(found -> found.group(1))
                .findFirst().orElseThrow(() -> new AssertionError("no status link mailed to " + email));
    }

    private static String unique(String name) {
        return name + "-" + UUID.randomUUID().toString().substring(0, 8) + "@example.no";
    }

    /** A browser without a browser: keeps the form cookie, reads the form token, follows no redirect. */
    private final class Visitor {

        private static final Pattern TOKEN = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");
        private final HttpClient http = HttpClient.newBuilder().cookieHandler(new CookieManager())
                .followRedirects(HttpClient.Redirect.NEVER).build();
        /** The client a trusted proxy names, or null: the test's own address. */
        private final String client;
        private String token;

        Visitor() {
            this(null);
        }

        Visitor(String client) {
            this.client = client;
        }

        private HttpRequest.Builder request(String path) {
            HttpRequest.Builder builder = HttpRequest.newBuilder(uri(path)).header("Accept", "text/html");
            return client == null ? builder : builder.header("X-Forwarded-For", client);
        }

        HttpResponse<String> get(String path) throws Exception {
            HttpResponse<String> answer = http.send(request(path).build(), HttpResponse.BodyHandlers.ofString());
            Matcher found = TOKEN.matcher(answer.body());
            if (found.find()) {
                token = found.group(1);
            }
            return answer;
        }

        HttpResponse<String> post(String path, Map<String, String> fields, boolean withToken) throws Exception {
            Map<String, String> form = new LinkedHashMap<>(fields);
            if (withToken) {
                if (token == null) {
                    get("/privacy-center/request");
                }
                form.put("_csrf", token);
            }
            String body = form.entrySet().stream().map(field -> encode(field.getKey()) + "=" + encode(field.getValue()))
                    .collect(Collectors.joining("&"));
            return http.send(request(path).header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        }

        /** A request sent and confirmed through the pages: the path of its status page. */
        String requestAndConfirm(String type, String email) throws Exception {
            get("/privacy-center/request?lang=en");
            HttpResponse<String> sent = post("/privacy-center/request?lang=en", Map.of("type", type, "email", email),
                    true);
            assertThat(sent.statusCode()).isEqualTo(302);
            String code = path(sent.headers().firstValue("Location").orElseThrow()).replaceAll("\\?.*", "");
            HttpResponse<String> confirmed = post(code + "?lang=en",
                    Map.of("code", Mailbox.code(mailbox.lastTo(email))), true);
            assertThat(confirmed.statusCode()).isEqualTo(302);
            return path(confirmed.headers().firstValue("Location").orElseThrow()).replaceAll("&lang=.*", "");
        }

        private URI uri(String path) {
            return URI.create("http://localhost:" + port + path);
        }

        private static String path(String location) {
            return location.replaceAll("^https?://[^/]+", "");
        }

        private static String encode(String value) {
            return URLEncoder.encode(value, StandardCharsets.UTF_8);
        }
    }
}
