package no.personvern.subjects;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Random;
import java.util.stream.Stream;
import no.personvern.testing.Api;
import no.personvern.testing.DatabaseTest;
import no.personvern.testing.Json;
import no.personvern.testing.Multipart;
import no.personvern.testing.Tokens;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/** Go Mobile uploads (S16): streamed in encrypted, read back whole, expiring after 3 months. */
@DatabaseTest
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = "personvern.documents.max-size=300KB")
class DocumentApiTests {

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    @Value("${personvern.data-dir}")
    Path dataDir;

    Api api;
    String token;
    String subject;

    @BeforeEach
    void setUp() {
        api = new Api(port);
        token = new Tokens(api).issue("go mobile", "subjects:write", "subjects:read");
        subject = api.post("/api/v1/subjects", token, """
                {"system":"go-mobile","activity":"service-delivery","identities":{"email":"mobil-%s@example.no"},
                 "data":{"user.name":"Mobil Bruker"}}""".formatted(java.util.UUID.randomUUID())).json().get("id").asString();
    }

    @Test
    void anUploadIsStoredEncryptedReadBackWholeAndExpiresAfterThreeMonths() {
        byte[] receipt = new byte[200_000];
        new Random(7).nextBytes(receipt);

        Api.Response stored = api.postMultipart(documents(), token, new Multipart()
                .field("kind", "voucher").field("system", "go-mobile")
                .file("file", "kvittering.jpg", "image/jpeg", receipt));

        assertThat(stored.status()).as(stored.body()).isEqualTo(201);
        String documentId = stored.json().get("id").asString();
        Instant expiresAt = Instant.parse(stored.json().get("expiresAt").asString());

        HttpResponse<byte[]> download = api.getBytes(documents() + "/" + documentId, token);
        assertThat(download.statusCode()).isEqualTo(200);
        assertThat(download.body()).isEqualTo(receipt);
        assertThat(download.headers().firstValue("Content-Type")).hasValue("image/jpeg");

        JsonNode listed = api.get("/api/v1/subjects/" + subject, token).json().get("documents").get(0);
        assertThat(listed.get("kind").asString()).isEqualTo("voucher");
        assertThat(listed.get("system").asString()).isEqualTo("go-mobile");
        Instant uploadedAt = Instant.parse(listed.get("uploadedAt").asString());
        assertThat(expiresAt).isEqualTo(uploadedAt.atOffset(ZoneOffset.UTC).plusMonths(3).toInstant());
    }

    @Test
    void everyKindIsAcceptedAndStoredUnderItsCategory() {
        for (String kind : new String[] {"image", "travel", "voucher"}) {
            Api.Response stored = api.postMultipart(documents(), token, new Multipart()
                    .field("kind", kind).field("system", "go-mobile").file("file", "x", "application/pdf", new byte[] {1, 2}));
            assertThat(stored.status()).as(kind).isEqualTo(201);
        }
    }

    @Test
    void anOversizedUploadIs413AndLeavesNoTrace() throws IOException {
        long rows = documentRows();

        Api.Response tooLarge = api.postMultipart(documents(), token, new Multipart()
                .field("kind", "image").field("system", "go-mobile").file("file", "big.png", "image/png", new byte[400_000]));

        assertThat(tooLarge.status()).isEqualTo(413);
        assertThat(tooLarge.contentType()).startsWith("application/problem+json");
        assertThat(documentRows()).isEqualTo(rows);
        assertThat(blobFiles()).isEqualTo(rows);
    }

    @Test
    void badUploadsAreProblemsAndStoreNothing() throws IOException {
        long rows = documentRows();
        assertProblem(api.postMultipart(documents(), token, new Multipart().field("kind", "voucher")
                .field("system", "go-mobile").file("file", "empty", "image/png", new byte[0])), 422, "file");
        assertProblem(api.postMultipart(documents(), token, new Multipart().field("kind", "selfie")
                .field("system", "go-mobile").file("file", "x", "image/png", new byte[] {1})), 422, "kind");
        assertProblem(api.postMultipart(documents(), token, new Multipart().field("kind", "voucher")
                .field("system", "website").file("file", "x", "image/png", new byte[] {1})), 422, "system");
        assertProblem(api.postMultipart(documents(), token, new Multipart().field("kind", "voucher")
                .field("system", "go-mobile").field("activity", "service-delivery")
                .file("file", "x", "image/png", new byte[] {1})), 422, "activity");
        assertProblem(api.postMultipart(documents(), token, new Multipart().field("kind", "voucher")
                .field("system", "mainframe").file("file", "x", "image/png", new byte[] {1})), 422, "system");
        assertProblem(api.postMultipart(documents(), token, new Multipart().field("kind", "voucher")
                .field("system", "go-mobile")), 422, "file");
        assertThat(api.postMultipart(documents(), token, new Multipart().field("kind", "selfie")
                .file("file", "x", "image/png", new byte[] {1})).errorFields()).as("every invalid field at once")
                .containsExactly("kind", "system");
        assertThat(api.postMultipart(documents(), token, new Multipart().field("kind", "voucher")
                .field("system", "mainframe").field("activity", "service-delivery")
                .file("file", "x", "image/png", new byte[] {1})).errorFields()).containsExactly("system");
        assertThat(api.post(documents(), token, Json.object()).status()).isEqualTo(415);
        assertThat(api.postMultipart("/api/v1/subjects/8d3a4a3e-0000-4000-8000-000000000000/documents", token,
                new Multipart().field("kind", "voucher").field("system", "go-mobile")
                        .file("file", "x", "image/png", new byte[] {1})).status()).isEqualTo(404);
        assertThat(api.get(documents() + "/8d3a4a3e-0000-4000-8000-000000000000", token).status()).isEqualTo(404);
        assertThat(documentRows()).isEqualTo(rows);
        assertThat(blobFiles()).isEqualTo(rows);
    }

    private void assertProblem(Api.Response response, int status, String field) {
        assertThat(response.status()).as(response.body()).isEqualTo(status);
        assertThat(response.json().get("errors").get(0).get("field").asString()).isEqualTo(field);
    }

    private String documents() {
        return "/api/v1/subjects/" + subject + "/documents";
    }

    private long documentRows() {
        return jdbc.sql("SELECT COUNT(*) FROM subject_document").query(Long.class).single();
    }

    private long blobFiles() throws IOException {
        Path blobs = dataDir.resolve("blobs");
        if (!Files.exists(blobs)) {
            return 0;
        }
        try (Stream<Path> files = Files.walk(blobs)) {
            return files.filter(Files::isRegularFile).count();
        }
    }
}
