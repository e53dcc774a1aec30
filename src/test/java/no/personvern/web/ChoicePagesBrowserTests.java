package no.personvern.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import java.net.CookieManager;
import java.net.HttpCookie;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import no.personvern.testing.Api;
import no.personvern.testing.DatabaseTest;
import no.personvern.testing.Json;
import no.personvern.testing.Mailbox;
import no.personvern.testing.PageBrowser;
import no.personvern.testing.PageBrowser.Way;
import no.personvern.testing.Smtp;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The privacy centre's subscription and cookie pages: in Chromium in each way a person comes (nb,
 * English without JavaScript, a 360 px phone), and over plain HTTP with hostile input.
 */
@DatabaseTest
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
        properties = {"personvern.subscriptions.per-client-per-hour=" + ChoicePagesBrowserTests.PER_CLIENT,
                "personvern.mail.poll-interval=PT0.1S", "personvern.mail.retry.initial-delay=PT0S",
                "personvern.trusted-proxies=127.0.0.1/32,::1/128"})
class ChoicePagesBrowserTests {

    /** Requests a client may make an hour; this class's own stay well below, from 127.0.0.1. */
    static final int PER_CLIENT = 40;
    /** Link mails to one address an hour (SignUpLimits.LINK_MAILS_PER_HOUR). */
    private static final int LINK_MAILS_PER_HOUR = 3;
    private static final Pattern LINK = Pattern.compile("(/privacy-center/subscriptions/[A-Za-z0-9_-]{43})");

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

    /** Each sign-up's subscription, by address and list. */
    final Map<String, UUID> signedUp = new java.util.HashMap<>();

    Api api;
    Mailbox mailbox;

    @BeforeEach
    void setUp() {
        api = new Api(port);
        mailbox = Mailbox.of(MAIL, jdbc);
    }

    @ParameterizedTest
    @MethodSource("no.personvern.testing.PageBrowser#ways")
    void subscriptionsAreEndedAndConfirmedFromTheMailedLink(Way way) {
        String email = unique("abonnent");
        subscribe(email, "newsletter");
        signUp(email, "courses");

        try (PageBrowser browser = PageBrowser.open(way, port)) {
            browser.go("/privacy-center/subscriptions?lang=" + way.lang).check("subscriptions-form");
            browser.fill("email", email);
            submit(browser, "#send-link");
            assertThat(browser.path()).isEqualTo("/privacy-center/subscriptions/sent");
            browser.check("subscriptions-sent");
            assertThat(browser.find("h1").getText()).isEqualTo(way.nb() ? "Sjekk e-posten din" : "Check your e-mail");

            String mail = linkMail(email);
            assertThat(mail).contains(way.nb() ? "24 timer" : "24 hours");
            browser.go(link(mail)).check("subscriptions-list");
            List<WebElement> cards = browser.all("ul.subscriptions > li");
            assertThat(cards).extracting(card -> card.findElement(By.tagName("h2")).getText())
                    .containsExactlyInAnyOrder(way.nb() ? "Nyhetsbrevet" : "The newsletter",
                            way.nb() ? "Kurs" : "Courses");
            UUID newsletter = subscription(email, "newsletter");
            UUID courses = subscription(email, "courses");

            submit(browser, "#subscription-" + newsletter + " button.end");
            assertThat(browser.find("#done").getText()).contains(way.nb() ? "avsluttet" : "ended");
            browser.check("subscriptions-ended");
            assertThat(status(newsletter)).isEqualTo("ended");
            assertThat(jdbc.sql("SELECT method FROM consent_record WHERE subject_id = (SELECT subject_id FROM subscription"
                    + " WHERE id = :id) AND granted = FALSE").param("id", newsletter).query(String.class).list())
                    .containsExactly("unsubscribe-link");
            assertThat(browser.all("#subscription-" + newsletter + " button")).isEmpty();

            submit(browser, "#subscription-" + courses + " button.confirm");
            assertThat(browser.find("#done").getText()).contains(way.nb() ? "bekreftet" : "confirmed");
            assertThat(status(courses)).isEqualTo("confirmed");
            assertThat(browser.find("#subscription-" + courses + " button.end").isDisplayed()).isTrue();
        }
    }

    @ParameterizedTest
    @MethodSource("no.personvern.testing.PageBrowser#ways")
    void theCookieChoiceIsShownChangedAndGlobalPrivacyControlHonoured(Way way) {
        try (PageBrowser browser = PageBrowser.open(way, port)) {
            browser.go("/privacy-center/cookies?lang=" + way.lang).check("cookies-none");
            assertThat(browser.find("#current-none").isDisplayed()).isTrue();
            assertThat(browser.find("#statistics").isSelected()).isFalse();
            assertThat(browser.find("#marketing").isSelected()).isFalse();
            assertThat(browser.find("#reject-all").getSize()).isEqualTo(browser.find("#accept-all").getSize());
            // As the banner says it: both purposes, how long the statistics cookie lives, and personalisation.
            assertThat(browser.find("#lead").getText()).contains(way.nb() ? "statistikk" : "statistics",
                    way.nb() ? "markedsføring" : "marketing");
            assertThat(browser.find("#statistics-hint").getText()).contains(way.nb() ? "til neste besøk"
                    : "until your next visit");
            assertThat(browser.find("#marketing-hint").getText()).contains(way.nb() ? "tilpasse innholdet"
                    : "adapt the content");

            browser.find("label[for=statistics]").click();
            submit(browser, "#save");
            assertThat(browser.find("#saved").isDisplayed()).isTrue();
            browser.check("cookies-chosen");
            assertThat(browser.find("#current-statistics").getText()).isEqualTo(way.nb() ? "Ja" : "Yes");
            assertThat(browser.find("#current-marketing").getText()).isEqualTo(way.nb() ? "Nei" : "No");
            assertThat(browser.find("#statistics").isSelected()).isTrue();
            String[] cookie = browser.driver.manage().getCookieNamed("pv_consent").getValue().split("\\.");
            assertThat(cookie[1] + cookie[2]).isEqualTo("10");
            assertThat(latest(cookie[4])).containsEntry("statistics", true).containsEntry("marketing", false);

            submit(browser, "#accept-all");
            assertThat(browser.find("#current-marketing").getText()).isEqualTo(way.nb() ? "Ja" : "Yes");
            String[] accepted = browser.driver.manage().getCookieNamed("pv_consent").getValue().split("\\.");
            assertThat(accepted[1] + accepted[2]).isEqualTo("11");
            assertThat(accepted[4]).as("the same visitor").isEqualTo(cookie[4]);
            assertThat(latest(cookie[4])).containsEntry("marketing", true);

            // The browser now sends Global Privacy Control: marketing is off whatever was chosen.
            browser.driver.executeCdpCommand("Network.enable", Map.of());
            browser.driver.executeCdpCommand("Network.setExtraHTTPHeaders", Map.of("headers", Map.of("Sec-GPC", "1")));
            browser.go("/privacy-center/cookies?lang=" + way.lang).check("cookies-gpc");
            assertThat(browser.find("#gpc").getText()).contains("Global Privacy Control");
            assertThat(browser.find("#marketing").isEnabled()).isFalse();
            assertThat(browser.find("#marketing").isSelected()).isFalse();
            submit(browser, "#accept-all");
            String[] underGpc = browser.driver.manage().getCookieNamed("pv_consent").getValue().split("\\.");
            assertThat(underGpc[1] + underGpc[2]).isEqualTo("10");
            assertThat(latest(cookie[4])).containsEntry("marketing", false);
        }
    }

    @Test
    void aFormWithoutItsTokenIsRefusedAndChangesNothing() throws Exception {
        String email = unique("csrf");
        subscribe(email, "newsletter");
        Form form = new Form();
        form.post("/privacy-center/subscriptions", Map.of("email", email));
        String link = link(linkMail(email));
        UUID id = subscription(email, "newsletter");
        long records = count();

        Form stranger = new Form();
        HttpResponse<String> end = stranger.postWithoutToken(link + "/" + id + "/end", Map.of());
        assertThat(end.statusCode()).isEqualTo(403);
        assertThat(end.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("text/html"));
        assertThat(status(id)).isEqualTo("confirmed");

        HttpResponse<String> cookies = stranger.postWithoutToken("/privacy-center/cookies",
                Map.of("action", "accept"));
        assertThat(cookies.statusCode()).isEqualTo(403);
        assertThat(cookies.headers().allValues("Set-Cookie")).noneMatch(value -> value.startsWith("pv_consent="));
        assertThat(count()).isEqualTo(records);
    }

    @Test
    void unknownWrongAndExpiredLinksGetAClearPageNeverAnError() throws Exception {
        String email = unique("utlopt");
        subscribe(email, "newsletter");
        Form form = new Form();
        assertThat(form.post("/privacy-center/subscriptions", Map.of("email", email)).statusCode()).isEqualTo(302);
        String link = link(linkMail(email));
        UUID id = subscription(email, "newsletter");

        assertThat(form.get(link).statusCode()).isEqualTo(200);
        String wrong = link.substring(0, link.length() - 1) + (link.endsWith("A") ? "B" : "A");
        for (String path : List.of(wrong, "/privacy-center/subscriptions/" + "x".repeat(43),
                "/privacy-center/subscriptions/%27%3Cscript%3E", "/privacy-center/subscriptions/" + "a".repeat(5000))) {
            HttpResponse<String> page = form.get(path);
            assertThat(page.statusCode()).as(path).isEqualTo(404);
            assertThat(page.body()).doesNotContain("Exception").contains("<h1");
        }
        assertThat(form.post(wrong + "/" + id + "/end", Map.of()).statusCode()).isEqualTo(404);
        assertThat(form.post(link + "/not-a-uuid/end", Map.of()).statusCode()).isEqualTo(404);
        assertThat(form.post(link + "/" + UUID.randomUUID() + "/end", Map.of()).statusCode()).isEqualTo(404);
        assertThat(status(id)).isEqualTo("confirmed");

        // A day and an hour later.
        jdbc.sql("UPDATE subscription_link SET expires_at = :past WHERE subject_id = (SELECT subject_id FROM subscription"
                + " WHERE id = :id)").param("past", java.time.OffsetDateTime.now().minusHours(1)).param("id", id).update();
        HttpResponse<String> expired = form.get(link);
        assertThat(expired.statusCode()).isEqualTo(410);
        assertThat(expired.body()).doesNotContain("Exception").contains("<h1");
        assertThat(form.post(link + "/" + id + "/end", Map.of()).statusCode()).isEqualTo(410);
        assertThat(status(id)).isEqualTo("confirmed");
    }

    @Test
    void aLinkEndsOnlyItsOwnPersonsSubscriptions() throws Exception {
        String mine = unique("min");
        String theirs = unique("deres");
        subscribe(mine, "newsletter");
        subscribe(theirs, "newsletter");
        Form form = new Form();
        form.post("/privacy-center/subscriptions", Map.of("email", mine));
        String link = link(linkMail(mine));
        UUID other = subscription(theirs, "newsletter");

        assertThat(form.get(link).body()).doesNotContain(other.toString());
        assertThat(form.post(link + "/" + other + "/end", Map.of()).statusCode()).isEqualTo(404);
        assertThat(form.post(link + "/" + other + "/confirm", Map.of()).statusCode()).isEqualTo(404);
        assertThat(status(other)).isEqualTo("confirmed");

        // Ending one's own twice: the second is answered as gone, nothing recorded twice.
        UUID own = subscription(mine, "newsletter");
        assertThat(form.post(link + "/" + own + "/end", Map.of()).statusCode()).isEqualTo(302);
        assertThat(form.post(link + "/" + own + "/end", Map.of()).statusCode()).isEqualTo(410);
        assertThat(form.post(link + "/" + own + "/confirm", Map.of()).statusCode()).isEqualTo(410);
    }

    @Test
    void theFormCannotFloodAMailboxNorBlockItsSignUps() throws Exception {
        String email = unique("flom");
        subscribe(email, "newsletter");
        Form form = new Form();
        for (int i = 0; i < 5; i++) {
            HttpResponse<String> asked = form.post("/privacy-center/subscriptions", Map.of("email", email));
            assertThat(asked.statusCode()).as("the same answer every time").isEqualTo(302);
        }
        afterWhatIsAsked(form);
        List<String> toThisAddress = mailbox.all().stream().filter(mail -> Mailbox.recipients(mail).anyMatch(email::equals))
                .map(Mailbox::text).toList();
        // The sign-up's confirmation, and as many links as an address gets an hour.
        assertThat(toThisAddress).hasSize(1 + LINK_MAILS_PER_HOUR);
        assertThat(toThisAddress).filteredOn(text -> LINK.matcher(text).find()).hasSize(LINK_MAILS_PER_HOUR);
        assertThat(jdbc.sql("SELECT COUNT(DISTINCT token_hash) FROM subscription_link WHERE subject_id = (SELECT subject_id"
                + " FROM subscription WHERE id = :id)").param("id", subscription(email, "newsletter"))
                .query(Long.class).single()).isEqualTo(LINK_MAILS_PER_HOUR);

        // The links counted in a bucket of their own: a sign-up to another list is still confirmed by mail.
        signUp(email, "courses");
        assertThat(Mailbox.text(mailbox.lastTo(email))).contains("/subscriptions/confirm/");
    }

    @Test
    void theAnswerIsTheSameForAnUnknownAddressAndGarbageIsRefused() throws Exception {
        Form form = new Form();
        String unknown = unique("ukjent");
        HttpResponse<String> asked = form.post("/privacy-center/subscriptions", Map.of("email", unknown));
        assertThat(asked.statusCode()).isEqualTo(302);
        assertThat(asked.headers().firstValue("Location")).hasValueSatisfying(location -> assertThat(location)
                .contains("/privacy-center/subscriptions/sent"));
        afterWhatIsAsked(form);
        assertThat(mailbox.recipients()).doesNotContain(unknown);

        for (String email : List.of("", "not-an-address", "a@" + "b".repeat(10_000) + ".no", "<script>@x.no")) {
            HttpResponse<String> refused = form.post("/privacy-center/subscriptions", Map.of("email", email));
            assertThat(refused.statusCode()).as(email).isEqualTo(422);
            assertThat(refused.body()).contains("role=\"alert\"").contains("aria-invalid=\"true\"")
                    .doesNotContain("<script>@");
        }

        long records = count();
        for (Map<String, String> garbage : List.of(Map.of("action", "everything"), Map.of("statistics", "yes"),
                Map.of("action", "save", "statistics", "maybe"), Map.of("action", "save", "marketing", "x".repeat(5000)))) {
            HttpResponse<String> refused = form.post("/privacy-center/cookies", garbage);
            assertThat(refused.statusCode()).as(garbage.toString()).isEqualTo(400);
            assertThat(refused.headers().allValues("Set-Cookie")).noneMatch(value -> value.startsWith("pv_consent="));
        }
        assertThat(count()).isEqualTo(records);

        // A forged choice cookie is no choice: the page says none has been made.
        HttpResponse<String> forged = form.get("/privacy-center/cookies?lang=en", "pv_consent=v1.1.1.1.abcdefghijklmnop.forged");
        assertThat(forged.statusCode()).isEqualTo(200);
        assertThat(forged.body()).contains("id=\"current-none\"");
    }

    @Test
    void theLinksRefusalsAreClearPagesThatPassTheAccessibilityCheck() throws Exception {
        String email = unique("feilside");
        subscribe(email, "newsletter");
        Form form = new Form();
        form.post("/privacy-center/subscriptions", Map.of("email", email));
        String link = link(linkMail(email));
        jdbc.sql("UPDATE subscription_link SET expires_at = :past WHERE subject_id = (SELECT subject_id FROM subscription"
                + " WHERE id = :id)").param("past", java.time.OffsetDateTime.now().minusHours(1))
                .param("id", subscription(email, "newsletter")).update();
        String crowd = "198.51.100." + (int) (Math.random() * 200 + 1);
        Form fromCrowd = new Form(crowd);
        String token = fromCrowd.csrfField();
        for (int i = 0; i < PER_CLIENT; i++) {
            assertThat(fromCrowd.postWithoutToken("/privacy-center/subscriptions",
                    Map.of("email", unique("mengde"), "_csrf", token)).statusCode()).isEqualTo(302);
        }

        try (PageBrowser browser = PageBrowser.open(Way.EN_PHONE, port)) {
            browser.go("/privacy-center/subscriptions/" + "x".repeat(43) + "?lang=nb").check("subscriptions-unknown");
            assertThat(browser.find("h1").getText()).isEqualTo("Vi fant ikke siden");
            browser.go(link + "?lang=nb").check("subscriptions-expired");
            assertThat(browser.find("h1").getText()).isEqualTo("Lenken er utløpt");

            browser.go("/privacy-center/subscriptions?lang=nb");
            browser.fill("email", "ikke-en-adresse");
            submit(browser, "#send-link");
            browser.check("subscriptions-invalid");
            assertThat(browser.find("#error-summary").getText()).contains("Skriv en hel e-postadresse");
            assertThat(browser.find("#email").getAttribute("aria-invalid")).isEqualTo("true");

            // From now on the browser comes through a proxy, for a client that has used up its hour.
            browser.driver.executeCdpCommand("Network.enable", Map.of());
            browser.driver.executeCdpCommand("Network.setExtraHTTPHeaders",
                    Map.of("headers", Map.of("X-Forwarded-For", crowd)));
            browser.go("/privacy-center/subscriptions?lang=nb");
            browser.fill("email", email);
            submit(browser, "#send-link");
            assertThat(browser.find("h1").getText()).isEqualTo("For mange forsøk");
            browser.check("subscriptions-too-many");
        }
    }

    private static void submit(PageBrowser browser, String css) {
        browser.submit(css);
    }

    private void signUp(String email, String list) {
        List<UUID> before = jdbc.sql("SELECT id FROM subscription").query(UUID.class).list();
        assertThat(api.post("/api/v1/public/subscriptions", null, Json.object("email", email, "list", list)).status())
                .isEqualTo(202);
        List<UUID> made = jdbc.sql("SELECT id FROM subscription WHERE list_key = :list").param("list", list)
                .query(UUID.class).list().stream().filter(id -> !before.contains(id)).toList();
        assertThat(made).hasSize(1);
        signedUp.put(email + " " + list, made.get(0));
    }

    private void subscribe(String email, String list) {
        signUp(email, list);
        String confirm = Mailbox.confirmLink(mailbox.lastTo(email));
        assertThat(api.send("POST", confirm, null, Map.of("Content-Type", "application/x-www-form-urlencoded"), "")
                .status()).isEqualTo(200);
    }

    private UUID subscription(String email, String list) {
        return signedUp.get(email + " " + list);
    }

    private String status(UUID subscriptionId) {
        return jdbc.sql("SELECT status FROM subscription WHERE id = :id").param("id", subscriptionId)
                .query(String.class).single();
    }

    private long count() {
        return jdbc.sql("SELECT COUNT(*) FROM consent_record").query(Long.class).single();
    }

    /** The latest recorded choice of a visitor, per category. */
    private Map<String, Object> latest(String visitor) {
        List<Map<String, Object>> rows = jdbc.sql("SELECT purpose, granted FROM consent_record WHERE visitor_id = :visitor"
                + " ORDER BY seq DESC").param("visitor", visitor).query().listOfRows();
        assertThat(rows).isNotEmpty();
        Map<String, Object> latest = new java.util.HashMap<>();
        for (Map<String, Object> row : rows) {
            String purpose = (String) row.get("purpose");
            // The banner's split (WebsiteTerms.isMarketing): advertising, campaigns and personalisation are marketing.
            String category = purpose.startsWith("marketing") || purpose.startsWith("personalize")
                    || purpose.contains("campaign_insights") || purpose.contains("ad_performance") ? "marketing" : "statistics";
            latest.putIfAbsent(category, row.get("granted"));
        }
        return latest;
    }

    /**
     * The text of the newest mail to the address with a link to its subscriptions, waiting for it:
     * links are looked up and mailed in the background, after the answer.
     */
    private String linkMail(String email) {
        return await("a link mailed to " + email).atMost(Duration.ofSeconds(20)).until(() -> mailbox.all().stream()
                .filter(mail -> Mailbox.recipients(mail).anyMatch(email::equals)).map(Mailbox::text)
                .filter(text -> LINK.matcher(text).find()).reduce((first, second) -> second), Optional::isPresent)
                .orElseThrow();
    }

    /**
     * Waits until what has been asked so far is done: the background takes requests one after
     * another, so once a link asked for now has been mailed, every earlier request has been handled.
     */
    private void afterWhatIsAsked(Form form) throws Exception {
        String last = unique("sist");
        subscribe(last, "newsletter");
        form.post("/privacy-center/subscriptions", Map.of("email", last));
        linkMail(last);
    }

    private static String link(String mail) {
        Matcher matcher = LINK.matcher(mail);
        assertThat(matcher.find()).as("a link to the subscriptions in: " + mail).isTrue();
        return matcher.group(1);
    }

    private static String unique(String name) {
        return name + "-" + UUID.randomUUID().toString().substring(0, 8) + "@example.no";
    }

    /** A person's browser over plain HTTP: keeps cookies, and posts forms with the page's token. */
    private final class Form {

        private final CookieManager cookies = new CookieManager();
        private final HttpClient client = HttpClient.newBuilder().cookieHandler(cookies)
                .followRedirects(HttpClient.Redirect.NEVER).build();
        /** The client a trusted proxy forwards for, or null for the socket's own address. */
        private final String forwardedFor;

        Form() {
            this(null);
        }

        Form(String forwardedFor) {
            this.forwardedFor = forwardedFor;
        }

        HttpResponse<String> get(String path, String... cookieHeader) throws Exception {
            HttpRequest.Builder request = forwarded(HttpRequest.newBuilder(URI.create(url(path))).GET());
            if (cookieHeader.length > 0) {
                request.header("Cookie", cookieHeader[0]);
            }
            return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
        }

        HttpResponse<String> post(String path, Map<String, String> fields) throws Exception {
            get("/privacy-center/cookies");
            String token = cookies.getCookieStore().getCookies().stream().filter(c -> c.getName().equals("pv_csrf"))
                    .map(HttpCookie::getValue).findFirst().orElseThrow();
            Map<String, String> all = new java.util.LinkedHashMap<>(fields);
            all.put("_csrf", csrfField());
            assertThat(token).isNotEmpty();
            return postWithoutToken(path, all);
        }

        HttpResponse<String> postWithoutToken(String path, Map<String, String> fields) throws Exception {
            String body = fields.entrySet().stream().map(field -> URLEncoder.encode(field.getKey(), StandardCharsets.UTF_8)
                    + "=" + URLEncoder.encode(field.getValue(), StandardCharsets.UTF_8)).collect(Collectors.joining("&"));
            return client.send(forwarded(HttpRequest.newBuilder(URI.create(url(path))))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        }

        private String csrfField() throws Exception {
            Matcher field = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"")
                    .matcher(get("/privacy-center/subscriptions").body());
            assertThat(field.find()).isTrue();
            return field.group(1);
        }

        private HttpRequest.Builder forwarded(HttpRequest.Builder request) {
            return forwardedFor == null ? request : request.header("X-Forwarded-For", forwardedFor);
        }

        private String url(String path) {
            return "http://localhost:" + port + path;
        }
    }
}
