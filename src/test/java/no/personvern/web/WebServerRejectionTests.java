package no.personvern.web;

import static org.assertj.core.api.Assertions.assertThat;

import no.personvern.testing.DatabaseTest;
import no.personvern.testing.RawHttp;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What the web server (Tomcat) or the security firewall rejects before any controller sees it is
 * answered as an RFC 9457 problem too: status, title and detail, no HTML page, no stack trace,
 * and nothing of the hostile input echoed back. Sent over a raw socket, since an HTTP client
 * library refuses to send most of these requests.
 */
@DatabaseTest
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
class WebServerRejectionTests {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @LocalServerPort
    int port;

    @Test
    void aDotDotSegmentIsAProblem() {
        assertProblem(raw().send("GET /privacy/../../hostile-marker HTTP/1.1", null), "hostile-marker");
    }

    @Test
    void anEncodedDotDotSlashIsAProblem() {
        assertProblem(raw().send("GET /..%2fhostile-marker HTTP/1.1", null), "hostile-marker");
        assertProblem(raw().send("GET /api/v1/public/%2e%2e%2f%2e%2e%2fhostile-marker HTTP/1.1", null), "hostile-marker");
        assertProblem(raw().send("GET /privacy/%2e%2e/%2e%2e/hostile-marker HTTP/1.1", null), "hostile-marker");
    }

    @Test
    void anOversizedHeaderIsAProblem() {
        assertProblem(raw().send("GET /privacy HTTP/1.1\r\nX-Hostile: " + "hostile-marker".repeat(2000), null),
                "hostile-marker");
    }

    @Test
    void anOversizedUriIsAProblem() {
        assertProblem(raw().send("GET /privacy?q=" + "hostile-marker".repeat(2000) + " HTTP/1.1", null), "hostile-marker");
    }

    @Test
    void badCharactersAreAProblem() {
        assertProblem(raw().send("GET /privacy?q=<hostile-marker> HTTP/1.1", null), "hostile-marker");
        assertProblem(raw().send("GET /privacy;hostile-marker=1 HTTP/1.1", null), "hostile-marker");
        assertProblem(raw().send("GET /privacy%00hostile-marker HTTP/1.1", null), "hostile-marker");
        assertProblem(raw().send("GET /privacy HTTP/1.1\r\nX-Bad\u0001Name: hostile-marker", null), "hostile-marker");
    }

    @Test
    void malformedPercentEncodingInAQueryOrFormIsAProblem() {
        assertProblem(raw().send("GET /privacy?lang=%E0%A4%Ahostile-marker HTTP/1.1", null), "hostile-marker");
        assertProblem(raw().send("GET /t.gif?e=pageview&p=%FF%FEhostile-marker HTTP/1.1", null), "hostile-marker");
        assertProblem(raw().send("GET /api/v1/public/notice?lang=%ZZhostile-marker HTTP/1.1", null), "hostile-marker");
        assertProblem(raw().send("GET /api/v1/public/requests/00000000-0000-0000-0000-000000000000/package"
                + "?token=%C3%28hostile-marker HTTP/1.1", null), "hostile-marker");
        assertProblem(form("/u/x", "a=%FF%G1hostile-marker"), "hostile-marker");
        assertProblem(form("/subscriptions/confirm/x", "confirm=%E0%A4%Ahostile-marker"), "hostile-marker");
    }

    private RawHttp.Response form(String path, String body) {
        byte[] bytes = body.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        return raw().send("POST " + path + " HTTP/1.1\r\nContent-Type: application/x-www-form-urlencoded"
                + "\r\nContent-Length: " + bytes.length, bytes);
    }

    @Test
    void aMalformedRequestLineIsAProblem() {
        assertProblem(raw().send("GET /privacy HTTP/1.1 hostile-marker", null), "hostile-marker");
    }

    private RawHttp raw() {
        return new RawHttp(port);
    }

    private static void assertProblem(RawHttp.Response response, String hostile) {
        assertThat(response.status()).as(response.body()).isBetween(400, 499);
        assertThat(response.header("Content-Type")).as(response.body()).startsWith("application/problem+json");
        JsonNode problem = JSON.readTree(response.body());
        assertThat(problem.get("status").asInt()).isEqualTo(response.status());
        assertThat(problem.get("title").asString()).isNotBlank();
        assertThat(problem.get("detail").asString()).isNotBlank();
        assertThat(response.body()).doesNotContain(hostile).doesNotContain("Exception").doesNotContain("<html")
                .doesNotContain("Tomcat");
    }
}
