package no.personvern.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import no.personvern.testing.Api;
import no.personvern.testing.DatabaseTest;
import no.personvern.testing.Multipart;
import no.personvern.testing.RawHttp;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * SPEC 4, bad input: request bodies are bounded — 16 KiB on the public endpoints, 4 MiB elsewhere —
 * while they are read, whether the client declares a length or streams chunks; larger is a 413
 * problem and nothing is stored. Document uploads keep their own, larger limit.
 */
@DatabaseTest
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = "personvern.public.rate-limit-per-minute=100000")
class BodyLimitTests {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final int KIB = 1024;

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    @Test
    void aPublicJsonBodyOver16KiBIs413AndStoresNothing() {
        Api api = new Api(port);
        long before = consentRecords();
        Api.Response under = choose(api, 15 * KIB);
        assertThat(under.status()).as("the same body under the limit is taken: %s", under.body()).isEqualTo(201);
        long afterUnder = consentRecords();
        assertThat(afterUnder).isGreaterThan(before);

        Api.Response over = choose(api, 17 * KIB);

        assertThat(over.status()).isEqualTo(413);
        assertThat(over.contentType()).startsWith("application/problem+json");
        assertThat(over.json().get("status").asInt()).isEqualTo(413);
        assertThat(over.json().get("detail").asString()).contains("16 KiB");
        assertThat(consentRecords()).isEqualTo(afterUnder);
    }

    @Test
    void aChunkedPublicBodyWithoutLengthIsCutOffAtTheLimitBeforeItEnds() {
        long before = consentRecords();

        RawHttp.Response response = new RawHttp(port).sendChunkedWithoutEnd(
                "POST /api/v1/public/cookie-consent HTTP/1.1\r\nContent-Type: application/json", KIB, 64, (byte) ' ');

        assertProblem(response, 413);
        assertThat(consentRecords()).isEqualTo(before);
    }

    @Test
    void aChunkedPublicBodyWhoseExcessIsInsideAJsonStringIsStill413() {
        long before = consentRecords();

        RawHttp.Response response = new RawHttp(port).sendChunkedWithoutEnd(
                "POST /api/v1/public/cookie-consent HTTP/1.1\r\nContent-Type: application/json",
                "{\"choices\": {\"statistics\": true}, \"version\": \"", KIB, 64, (byte) 'a');

        assertProblem(response, 413);
        assertThat(consentRecords()).isEqualTo(before);
    }

    @Test
    void aChunkedPublicRequestWhoseExcessIsInsideAnAddressIsStill413() {
        RawHttp.Response response = new RawHttp(port).sendChunkedWithoutEnd(
                "POST /api/v1/public/requests HTTP/1.1\r\nContent-Type: application/json",
                "{\"type\": \"access\", \"email\": \"", KIB, 64, (byte) 'a');

        assertProblem(response, 413);
        assertThat(jdbc.sql("SELECT COUNT(*) FROM data_request").query(Long.class).single()).isZero();
    }

    @Test
    void aDeclaredLengthOverTheLimitIsRefusedWithoutReadingTheBody() {
        RawHttp.Response response = new RawHttp(port).send("POST /api/v1/public/requests HTTP/1.1\r\n"
                + "Content-Type: application/json\r\nContent-Length: 94371840", null);

        assertProblem(response, 413);
        assertThat(jdbc.sql("SELECT COUNT(*) FROM data_request").query(Long.class).single()).isZero();
    }

    @Test
    void staffEndpointsTakeBodiesUpTo4MiB() {
        Api api = new Api(port);
        String body = "{\"system\":\"go-mobile\",\"activity\":\"service-delivery\",\"identities\":{\"email\":"
                + "\"grense@example.no\"},\"data\":{\"user.name\":\"Grense\"},\"padding\":\"" + "x".repeat(1024 * KIB) + "\"}";
        Api.Response megabyte = api.send("POST", "/api/v1/subjects", Api.ADMIN_TOKEN,
                Map.of("Content-Type", "application/json"), body);
        assertThat(megabyte.status()).as(megabyte.body()).isNotEqualTo(413).isLessThan(500);

        RawHttp.Response declared = new RawHttp(port).send("POST /api/v1/subjects HTTP/1.1\r\nAuthorization: Bearer "
                + Api.ADMIN_TOKEN + "\r\nContent-Type: application/json\r\nContent-Length: " + (4 * 1024 * KIB + 1), null);
        assertProblem(declared, 413);

        RawHttp.Response streamed = new RawHttp(port).sendChunkedWithoutEnd("POST /api/v1/subjects HTTP/1.1\r\n"
                + "Authorization: Bearer " + Api.ADMIN_TOKEN + "\r\nContent-Type: application/json", 64 * KIB, 80, (byte) ' ');
        assertProblem(streamed, 413);
    }

    @Test
    void documentUploadsKeepTheirOwnLimit() {
        Api api = new Api(port);
        String subject = api.post("/api/v1/subjects", Api.ADMIN_TOKEN, "{\"system\":\"go-mobile\",\"activity\":"
                + "\"service-delivery\",\"identities\":{\"email\":\"bilag@example.no\"},\"data\":{\"user.name\":\"Bilag\"}}")
                .json().get("id").asString();

        Api.Response upload = api.postMultipart("/api/v1/subjects/" + subject + "/documents", Api.ADMIN_TOKEN,
                new Multipart().field("kind", "image").field("system", "go-mobile")
                        .file("file", "stort.jpg", "image/jpeg", new byte[5 * 1024 * KIB]));

        assertThat(upload.status()).as(upload.body()).isEqualTo(201);
    }

    private static Api.Response choose(Api api, int size) {
        String start = "{\"choices\":{\"statistics\":true,\"marketing\":false},\"padding\":\"";
        String body = start + "x".repeat(size - start.length() - 2) + "\"}";
        return api.send("POST", "/api/v1/public/cookie-consent", null, Map.of("Content-Type", "application/json"), body);
    }

    private long consentRecords() {
        return jdbc.sql("SELECT COUNT(*) FROM consent_record").query(Long.class).single();
    }

    private static void assertProblem(RawHttp.Response response, int status) {
        assertThat(response.status()).as(response.body()).isEqualTo(status);
        assertThat(response.header("Content-Type")).startsWith("application/problem+json");
        JsonNode problem = JSON.readTree(response.body());
        assertThat(problem.get("status").asInt()).isEqualTo(status);
        assertThat(problem.get("title").asString()).isNotBlank();
    }
}
