package no.personvern.tracking;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import no.personvern.testing.Api;
import no.personvern.testing.DatabaseTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/** The banner's choice, the pixel and the statistics, as a browser and the DPO meet them. */
@DatabaseTest
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
class WebsiteApiTests {

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    Api api;

    @BeforeEach
    void setUp() {
        api = new Api(port);
        jdbc.sql("DELETE FROM page_hit").update();
    }

    @Test
    void aChoiceIsRecordedPerPurposeAndReturnedAsASignedCookie() {
        Api.Response chosen = choose("{\"choices\":{\"statistics\":true,\"marketing\":false}}", Map.of());

        assertThat(chosen.status()).as(chosen.body()).isEqualTo(201);
        String cookie = cookie(chosen, "pv_consent");
        assertThat(cookie.split("\\.")).hasSize(6);
        assertThat(cookie).startsWith("v1.1.0.");
        assertThat(setCookie(chosen, "pv_consent")).contains("Path=/", "SameSite=Lax").doesNotContain("HttpOnly");
        assertThat(chosen.json().get("receiptIds")).hasSize(3);
        List<Map<String, Object>> records = jdbc.sql("SELECT purpose, granted, method, visitor_id FROM consent_record"
                + " WHERE visitor_id = :visitor").param("visitor", cookie.split("\\.")[4]).query().listOfRows();
        assertThat(records).extracting(row -> row.get("purpose") + "=" + row.get("granted")).containsExactlyInAnyOrder(
                "analytics.reporting=true", "analytics.reporting.campaign_insights=false", "personalize.content=false");
        assertThat(records).allSatisfy(row -> assertThat(row.get("method")).isEqualTo("cookie-banner"));
    }

    @Test
    void aVisitorsChoicesFormOneUnbrokenChainEachRecordAuditedOnce() {
        String cookie = cookie(choose("{\"choices\":{\"statistics\":true,\"marketing\":true}}", Map.of()),
                "pv_consent");
        for (String body : List.of("{\"choices\":{\"statistics\":false,\"marketing\":true}}",
                "{\"choices\":{\"statistics\":true,\"marketing\":false}}")) {
            Api.Response again = choose(body, Map.of("Cookie", "pv_consent=" + cookie));
            assertThat(again.status()).as(again.body()).isEqualTo(201);
            assertThat(cookie(again, "pv_consent").split("\\.")[4]).isEqualTo(cookie.split("\\.")[4]);
        }
        String visitor = cookie.split("\\.")[4];
        List<Map<String, Object>> chain = jdbc.sql("SELECT id, prev_hash, hash FROM consent_record"
                + " WHERE visitor_id = :visitor ORDER BY seq").param("visitor", visitor).query().listOfRows();
        assertThat(chain).as("three choices of three records each").hasSize(9);
        assertLinked(chain);
        // Each record has its one entry in the trail, committed with it (pending or already chained).
        for (Map<String, Object> record : chain) {
            assertThat(jdbc.sql("SELECT COUNT(*) FROM (SELECT details FROM audit_pending UNION ALL"
                    + " SELECT details FROM audit_entry) a WHERE details LIKE :receipt")
                    .param("receipt", "%\"receipt\":\"" + record.get("id") + "\"%").query(Long.class).single())
                    .as("audit entries of record %s", record.get("id")).isEqualTo(1);
        }
    }

    @Test
    void concurrentChoicesOfOneVisitorStillFormOneChain() throws Exception {
        String cookie = cookie(choose("{\"choices\":{\"statistics\":true,\"marketing\":true}}", Map.of()),
                "pv_consent");
        java.util.concurrent.ExecutorService tabs = java.util.concurrent.Executors.newFixedThreadPool(8);
        java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
        List<java.util.concurrent.Future<Integer>> answers = new java.util.ArrayList<>();
        for (int i = 0; i < 8; i++) {
            boolean statistics = i % 2 == 0;
            answers.add(tabs.submit(() -> {
                start.await();
                return choose("{\"choices\":{\"statistics\":" + statistics + ",\"marketing\":false}}",
                        Map.of("Cookie", "pv_consent=" + cookie)).status();
            }));
        }
        start.countDown();
        for (java.util.concurrent.Future<Integer> answer : answers) {
            assertThat(answer.get(60, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo(201);
        }
        tabs.shutdown();
        List<Map<String, Object>> chain = jdbc.sql("SELECT id, prev_hash, hash FROM consent_record"
                + " WHERE visitor_id = :visitor ORDER BY seq").param("visitor", cookie.split("\\.")[4])
                .query().listOfRows();
        assertThat(chain).hasSize(27);
        assertLinked(chain);
    }

    /** The first record starts the chain; each later one names the hash of the one before it. */
    private static void assertLinked(List<Map<String, Object>> chain) {
        assertThat(chain.get(0).get("prev_hash")).isEqualTo("0".repeat(64));
        for (int i = 1; i < chain.size(); i++) {
            assertThat(chain.get(i).get("prev_hash")).as("record %d of %d", i + 1, chain.size())
                    .isEqualTo(chain.get(i - 1).get("hash"));
        }
    }

    @Test
    void globalPrivacyControlRefusesMarketingWhateverWasTicked() {
        Api.Response chosen = choose("{\"choices\":{\"statistics\":true,\"marketing\":true}}", Map.of("Sec-GPC", "1"));

        assertThat(cookie(chosen, "pv_consent")).startsWith("v1.1.0.");
        assertThat(chosen.json().get("marketing").asBoolean()).isFalse();
    }

    @Test
    void pageViewsAreCountedOnlyWithStatisticsConsentAndTheVisitCookieIsReplacedEachVisit() {
        Api.Response none = pixel("/t.gif?e=pageview&p=/pris", Map.of());
        assertGif(none);
        assertThat(none.raw().headers().allValues("Set-Cookie")).isEmpty();

        String refused = cookie(choose("{\"choices\":{\"statistics\":false,\"marketing\":false}}", Map.of()), "pv_consent");
        Api.Response notCounted = pixel("/t.gif?e=pageview&p=/pris", Map.of("Cookie", "pv_consent=" + refused));
        assertGif(notCounted);
        assertThat(notCounted.raw().headers().allValues("Set-Cookie")).isEmpty();

        String accepted = cookie(choose("{\"choices\":{\"statistics\":true,\"marketing\":false}}", Map.of()), "pv_consent");
        Api.Response first = pixel("/t.gif?e=pageview&p=/pris", Map.of("Cookie", "pv_consent=" + accepted,
                "User-Agent", "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0 Safari/537.36"));
        assertGif(first);
        String visit = cookie(first, "pv_visit");
        assertThat(visit).matches("[A-Za-z0-9_-]{16,64}\\.\\d+");
        assertThat(setCookie(first, "pv_visit")).contains("HttpOnly");
        Api.Response second = pixel("/t.gif?e=pageview&p=/kurs", Map.of("Cookie", "pv_consent=" + accepted + "; pv_visit=" + visit));
        assertThat(cookie(second, "pv_visit").split("\\.")[0]).isEqualTo(visit.split("\\.")[0]);

        JsonNode stats = api.get("/api/v1/stats/pageviews", Api.ADMIN_TOKEN).json();
        assertThat(stats.get("total").asLong()).isEqualTo(2);
        assertThat(stats.get("byDay").get(0).get("day").asString()).isEqualTo(LocalDate.now().toString());
        assertThat(stats.get("byDay").get(0).get("visitors").asLong()).isEqualTo(1);
        Map<String, Object> hit = jdbc.sql("SELECT ip_prefix, browser, os, visitor FROM page_hit WHERE path = '/pris'")
                .query().singleRow();
        assertThat(hit.get("ip_prefix")).isEqualTo("127.0.0.0/24");
        assertThat(hit.get("browser")).isEqualTo("Chrome");
        assertThat(hit.get("os")).isEqualTo("Windows");
        assertThat((String) hit.get("visitor")).isNotEqualTo(visit.split("\\.")[0]);
    }

    @Test
    void campaignHitsNeedMarketingConsentAndNoGpc() {
        String marketing = cookie(choose("{\"choices\":{\"statistics\":false,\"marketing\":true}}", Map.of()), "pv_consent");
        pixel("/t.gif?e=campaign&c=vinter-2026&p=/", Map.of("Cookie", "pv_consent=" + marketing));
        pixel("/t.gif?e=campaign&c=vinter-2026&p=/", Map.of("Cookie", "pv_consent=" + marketing, "Sec-GPC", "1"));
        pixel("/t.gif?e=pageview&p=/", Map.of("Cookie", "pv_consent=" + marketing));

        JsonNode campaigns = api.get("/api/v1/stats/campaigns", Api.ADMIN_TOKEN).json().get("campaigns");
        assertThat(campaigns).hasSize(1);
        assertThat(campaigns.get(0).get("campaign").asString()).isEqualTo("vinter-2026");
        assertThat(campaigns.get(0).get("hits").asLong()).isEqualTo(1);
        assertThat(api.get("/api/v1/stats/pageviews", Api.ADMIN_TOKEN).json().get("total").asLong()).isZero();
    }

    @Test
    void aForgedOrAlteredConsentCookieGrantsNothing() {
        String refused = cookie(choose("{\"choices\":{\"statistics\":false,\"marketing\":false}}", Map.of()), "pv_consent");
        String[] parts = refused.split("\\.");
        String flipped = String.join(".", parts[0], "1", "1", parts[3], parts[4], parts[5]);
        String invented = "v1.1.1.1700000000.AAAAAAAAAAAAAAAAAAAAAAAA.c2lnbmF0dXJl";

        for (String forged : new String[] {flipped, invented, "yes", "v1.1.1"}) {
            assertGif(pixel("/t.gif?e=pageview&p=/", Map.of("Cookie", "pv_consent=" + forged)));
            assertGif(pixel("/t.gif?e=campaign&c=x&p=/", Map.of("Cookie", "pv_consent=" + forged)));
        }
        assertThat(hits()).isZero();
    }

    @Test
    void badPixelParametersGetTheGifAndRecordNothing() {
        String accepted = cookie(choose("{\"choices\":{\"statistics\":true,\"marketing\":true}}", Map.of()), "pv_consent");
        Map<String, String> headers = Map.of("Cookie", "pv_consent=" + accepted);
        assertGif(pixel("/t.gif?e=click&p=/", headers));
        assertGif(pixel("/t.gif?p=/", headers));
        assertGif(pixel("/t.gif?e=pageview&p=/" + "x".repeat(600), headers));
        assertGif(pixel("/t.gif?e=pageview&p=relative", headers));
        assertGif(pixel("/t.gif?e=campaign&c=" + "c".repeat(200) + "&p=/", headers));
        assertGif(pixel("/t.gif?e=campaign&p=/", headers));
        assertThat(hits()).isZero();
    }

    @Test
    void badChoicesAreProblems() {
        long before = jdbc.sql("SELECT COUNT(*) FROM consent_record").query(Long.class).single();
        assertThat(choose("{\"choices\":{\"statistics\":true}}", Map.of()).status()).isEqualTo(422);
        assertThat(choose("{}", Map.of()).status()).isEqualTo(422);
        assertThat(choose("{\"choices\":{}}", Map.of()).errorFields()).containsExactly("choices.statistics",
                "choices.marketing");
        assertThat(choose("{\"choices\":", Map.of()).status()).isEqualTo(400);
        assertThat(choose("{\"choices\":{\"statistics\":\"maybe\",\"marketing\":false}}", Map.of()).status()).isEqualTo(400);
        assertThat(jdbc.sql("SELECT COUNT(*) FROM consent_record").query(Long.class).single()).isEqualTo(before);
        assertThat(api.get("/api/v1/stats/pageviews", null).status()).isEqualTo(401);
        assertThat(api.get("/api/v1/stats/pageviews?from=yesterday", Api.ADMIN_TOKEN).status()).isEqualTo(400);
    }

    private Api.Response choose(String body, Map<String, String> extra) {
        Map<String, String> headers = new HashMap<>(extra);
        headers.put("Content-Type", "application/json");
        return api.send("POST", "/api/v1/public/cookie-consent", null, headers, body);
    }

    private Api.Response pixel(String path, Map<String, String> headers) {
        return api.get(path, null, headers);
    }

    private long hits() {
        api.get("/api/v1/stats/pageviews", Api.ADMIN_TOKEN);
        return jdbc.sql("SELECT COUNT(*) FROM page_hit").query(Long.class).single();
    }

    private static void assertGif(Api.Response response) {
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.contentType()).isEqualTo("image/gif");
        assertThat(response.header("Cache-Control")).isEqualTo("no-store");
    }

    private static String setCookie(Api.Response response, String name) {
        return response.raw().headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith(name + "="))
                .findFirst().orElseThrow(() -> new AssertionError("no cookie " + name));
    }

    private static String cookie(Api.Response response, String name) {
        return setCookie(response, name).substring(name.length() + 1).split(";")[0];
    }
}
