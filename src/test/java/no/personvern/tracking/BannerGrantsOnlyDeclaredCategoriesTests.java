package no.personvern.tracking;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import no.personvern.testing.Api;
import no.personvern.testing.DatabaseTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * On a catalog with a statistics activity and no marketing one ({@code catalogs/statistics-only.yaml})
 * the banner offers, stores and the pixel honours statistics only: "accept all" grants no
 * marketing, no campaign is counted, and a choice naming a category the banner does not have is refused.
 * The privacy centre's cookie page tells and offers the same.
 */
@DatabaseTest
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
        properties = "personvern.catalog=classpath:catalogs/statistics-only.yaml")
class BannerGrantsOnlyDeclaredCategoriesTests {

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
    void acceptingAllGrantsStatisticsOnlyAndThePixelCountsNoCampaign() {
        Api.Response chosen = choose("{\"choices\":{\"statistics\":true,\"marketing\":true}}");
        assertThat(chosen.status()).as(chosen.body()).isEqualTo(201);
        assertThat(chosen.json().get("statistics").asBoolean()).isTrue();
        assertThat(chosen.json().get("marketing").asBoolean()).as("the catalog has no marketing activity").isFalse();
        String cookie = chosen.raw().headers().allValues("Set-Cookie").stream()
                .filter(c -> c.startsWith("pv_consent=")).findFirst().orElseThrow().split(";")[0];
        assertThat(cookie).startsWith("pv_consent=v1.1.0.");
        assertThat(jdbc.sql("SELECT purpose FROM consent_record WHERE visitor_id = :v AND granted")
                .param("v", cookie.split("\\.")[4]).query(String.class).list()).containsExactly("analytics.reporting");

        api.get("/t.gif?e=pageview&p=/", null, Map.of("Cookie", cookie));
        api.get("/t.gif?e=campaign&c=vinter&p=/", null, Map.of("Cookie", cookie));
        String day = LocalDate.now().toString();
        assertThat(api.get("/api/v1/stats/pageviews?from=" + day + "&to=" + day, Api.ADMIN_TOKEN).json()
                .get("total").asLong()).isEqualTo(1);
        assertThat(api.get("/api/v1/stats/campaigns?from=" + day + "&to=" + day, Api.ADMIN_TOKEN).json()
                .get("campaigns")).as("no campaign is counted").isEmpty();
        assertThat(api.get("/consent.js", null).body())
                .contains("const OFFERED = {\"statistics\":true,\"marketing\":false};");
    }

    @Test
    void aChoiceNamingACategoryTheBannerDoesNotHaveIsRefusedAndNothingIsStored() {
        long before = jdbc.sql("SELECT COUNT(*) FROM consent_record").query(Long.class).single();
        Api.Response chosen = choose(
                "{\"choices\":{\"statistics\":true,\"marketing\":false,\"advertising\":true,\"profiling\":true}}");
        assertThat(chosen.status()).as(chosen.body()).isEqualTo(422);
        assertThat(chosen.errorFields()).containsExactlyInAnyOrder("choices.advertising", "choices.profiling");
        assertThat(chosen.raw().headers().allValues("Set-Cookie")).isEmpty();
        assertThat(jdbc.sql("SELECT COUNT(*) FROM consent_record").query(Long.class).single()).isEqualTo(before);
    }

    @Test
    void theCookiePageOffersAndExplainsStatisticsOnlyAsTheBannerDoes() {
        for (String lang : List.of("nb", "en")) {
            String page = api.get("/privacy-center/cookies?lang=" + lang, null).body();
            Matcher lead = Pattern.compile("<p class=\"lead\" id=\"lead\">([^<]*)</p>").matcher(page);
            assertThat(lead.find()).as(page).isTrue();
            assertThat(lead.group(1)).as(lang).contains(lang.equals("nb") ? "statistikk" : "statistics")
                    .doesNotContain(lang.equals("nb") ? "markedsføring" : "marketing")
                    .doesNotContain(lang.equals("nb") ? "pikselkoder" : "pixel tags");
            assertThat(page).contains("id=\"statistics\"", lang.equals("nb") ? "til neste besøk" : "until your next visit")
                    .doesNotContain("id=\"marketing\"");
        }
    }

    private Api.Response choose(String body) {
        return api.send("POST", "/api/v1/public/cookie-consent", null, Map.of("Content-Type", "application/json"),
                body);
    }
}
