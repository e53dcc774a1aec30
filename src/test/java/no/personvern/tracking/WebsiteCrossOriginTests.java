package no.personvern.tracking;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import no.personvern.testing.Api;
import no.personvern.testing.DatabaseTest;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

/** Pages on the company's own host save the choice cross-origin; other origins may not. */
@DatabaseTest
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = {
    "personvern.website.origins=https://www.example.no", "personvern.website.cookie-domain=example.no"})
class WebsiteCrossOriginTests {

    @LocalServerPort
    int port;

    @Test
    void theCompanysPagesMaySaveTheChoiceWithCredentialsAndShareTheCookie() {
        Api api = new Api(port);
        Api.Response preflight = api.send("OPTIONS", "/api/v1/public/cookie-consent", null, Map.of(
                "Origin", "https://www.example.no", "Access-Control-Request-Method", "POST",
                "Access-Control-Request-Headers", "content-type"), null);
        assertThat(preflight.status()).isEqualTo(200);
        assertThat(preflight.header("Access-Control-Allow-Origin")).isEqualTo("https://www.example.no");
        assertThat(preflight.header("Access-Control-Allow-Credentials")).isEqualTo("true");

        Api.Response saved = api.send("POST", "/api/v1/public/cookie-consent", null, Map.of("Origin",
                "https://www.example.no", "Content-Type", "application/json"),
                "{\"choices\":{\"statistics\":false,\"marketing\":false}}");
        assertThat(saved.status()).isEqualTo(201);
        assertThat(saved.raw().headers().allValues("Set-Cookie")).anySatisfy(cookie ->
                assertThat(cookie).startsWith("pv_consent=").contains("Domain=example.no"));

        Api.Response stranger = api.send("POST", "/api/v1/public/cookie-consent", null, Map.of("Origin",
                "https://evil.example.com", "Content-Type", "application/json"),
                "{\"choices\":{\"statistics\":true,\"marketing\":true}}");
        assertThat(stranger.status()).isEqualTo(403);
    }
}
