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
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Making and following a data-subject request from the privacy centre, in Chromium in each way a
 * person comes (nb, en without script, en at 360 px): the form, the mailed code, the status page
 * behind the private link and the package; plus hostile input through plain HTTP.
 */
@DatabaseTest
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
    @EnumSource(Way.class)
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

            assertThat(browser.path()).endsWith("/status");
            String mailed = statusLink(email);
            assertThat(browser.driver.getCurrentUrl()).contains(mailed);
            assertThat(browser.find("#facts").getText())
                    .contains(way.nb() ? "Se hva vi har om deg" : "See what we hold about you");
            browser.check("request-status");

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
            assertThat(entries).containsKey("report.html");
            Path report = dir.resolve("report.html");
            Files.writeString(report, entries.get("report.html"));
            browser.driver.get(report.toUri().toString());
            assertThat(browser.text()).contains(name);
        }
    }

    @ParameterizedTest
    @EnumSource(Way.class)
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
            browser.check("request-status-erased");
        }
    }

    @ParameterizedTest
    @EnumSource(Way.class)
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
            assertThat(api.post("/api/v1/requests/" + id + "/reject", Api.ADMIN_TOKEN,
                    Json.object("reason", "Adressen i registeret er allerede riktig.")).status()).isEqualTo(200);
            browser.driver.navigate().refresh();
            assertThat(browser.find("#state-word").getText()).isEqualTo(way.nb() ? "Avslått" : "Rejected");
            assertThat(browser.find("#reasons").getText()).isEqualTo("Adressen i registeret er allerede riktig.");
            assertThat(browser.find("#complain").getText()).contains("Datatilsynet");
            browser.check("request-status-rejected");
        }
    }

    @ParameterizedTest
    @EnumSource(Way.class)
    void fiveWrongCodesLockTheRequestAndThePageSaysWhatToDo(Way way) {
        String email = unique("laas");
        try (PageBrowser browser = PageBrowser.open(way, port)) {
            browser.go("/privacy-center/request?type=objection&lang=" + way.lang);
            assertThat(browser.find("#message-hint").getText()).contains(way.nb() ? "Grunnene dine" : "Your grounds");
            browser.fill("email", email);
            submit(browser, "#send");
            String right = Mailbox.code(mailbox.lastTo(email));
            String wrong = right.equals("000000") ? "111111" : "000000";
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
            browser.go(browser.driver.getCurrentUrl());
            assertThat(browser.all("#locked")).hasSize(1);
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
    void anOversizedMessageIsAnsweredWithTheFormAndNothingIsStored() throws Exception {
        long before = requestsStored();
        Visitor visitor = new Visitor();
        visitor.get("/privacy-center/request?type=rectification&lang=en");
        HttpResponse<String> tooLong = visitor.post("/privacy-center/request?lang=en",
                Map.of("type", "rectification", "email", unique("lang"), "message", "x".repeat(4001)), true);
        assertThat(tooLong.statusCode()).isEqualTo(422);
        assertThat(tooLong.body()).contains("at most 4000 characters", "id=\"message-error\"", "aria-invalid=\"true\"");
        HttpResponse<String> huge = visitor.post("/privacy-center/request?lang=en",
                Map.of("type", "bogus<script>", "email", "<b>@", "message", "y".repeat(200_000)), true);
        assertThat(huge.statusCode()).isBetween(400, 499);
        assertThat(huge.body()).doesNotContain("<script>", "yyyyyyyyyy", "Exception");
        assertThat(requestsStored()).isEqualTo(before);
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
        assertThat(statusLink(email)).isEqualTo(link.group(1));

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
        assertThat(statusLink(email)).isEqualTo(status);
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
    void thePackageIsDownloadedFromTheStatusPageForSevenDays() throws Exception {
        String email = unique("pakke");
        People.in("go", "service-delivery").email(email).data("user.name", "Petter Pakke").create(api, writer);
        Visitor visitor = new Visitor();
        String status = visitor.requestAndConfirm("access", email);
        String id = status.split("/")[3];
        await("the package").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(300))
                .until(() -> visitor.get(status + "&lang=en").body().contains("id=\"download\""));
        String download = status.replace("/status?", "/package?");
        HttpResponse<byte[]> zip = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://localhost:" + port + download)).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(zip.statusCode()).isEqualTo(200);
        assertThat(Requests.unzip(zip.body()).get("data.json")).contains("Petter Pakke");
        assertThat(visitor.get("/privacy-center/requests/" + id + "/package?key=" + "x".repeat(32)).statusCode())
                .isEqualTo(404);

        clock.advance(Duration.ofDays(8));
        HttpResponse<String> page = visitor.get(status + "&lang=en");
        assertThat(page.body()).contains("id=\"package-expired\"").doesNotContain("id=\"download\"");
        HttpResponse<String> gone = visitor.get(download + "&lang=en");
        assertThat(gone.statusCode()).isEqualTo(410);
        assertThat(gone.body()).contains("The link has expired").doesNotContain("Exception");
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
