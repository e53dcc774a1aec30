package no.personvern.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import no.personvern.testing.Api;
import no.personvern.testing.DatabaseTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

@DatabaseTest
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
class NoticeApiTests {

    @LocalServerPort
    int port;

    @Autowired
    PrivacyNotices notices;

    Api api;

    @BeforeEach
    void setUp() {
        api = new Api(port);
    }

    @Test
    void thePrivacyPageIsPublicNorwegianByDefaultAndShowsItsVersion() {
        Api.Response page = api.get("/privacy", null);

        assertThat(page.status()).isEqualTo(200);
        assertThat(page.contentType()).startsWith("text/html");
        assertThat(page.body()).contains("<html lang=\"nb\">", "Personvernerklæring", "Dine rettigheter",
                notices.currentVersion(), "firmapost@poweroffice.no");

        Api.Response english = api.get("/privacy?lang=en", null);
        assertThat(english.body()).contains("<html lang=\"en\">", "Privacy notice", "Your rights",
                "We sell personal data to no one.", notices.currentVersion());
    }

    @Test
    void theNoticeIsAlsoJsonWithVersionLanguageAndSections() {
        Api.Response response = api.get("/api/v1/public/notice?lang=en", null);

        assertThat(response.status()).isEqualTo(200);
        JsonNode notice = response.json();
        assertThat(notice.get("version").asString()).isEqualTo(notices.currentVersion());
        assertThat(notice.get("lang").asString()).isEqualTo("en");
        assertThat(notice.get("sections")).hasSizeGreaterThanOrEqualTo(10);
        JsonNode first = notice.get("sections").get(0);
        assertThat(first.get("id").asString()).isEqualTo("controller");
        assertThat(first.get("title").asString()).isEqualTo("Who is responsible");
        assertThat(first.get("text").asString()).contains("PowerOffice AS");

        assertThat(api.get("/api/v1/public/notice", null).json().get("lang").asString()).isEqualTo("nb");
    }

    @Test
    void anUnknownLanguageIsABadRequest() {
        Api.Response response = api.get("/api/v1/public/notice?lang=sv", null);

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.contentType()).startsWith("application/problem+json");
        assertThat(response.json().get("errors").get(0).get("field").asString()).isEqualTo("lang");
    }

    @Test
    void healthMetricsAndTheOpenApiDocumentAreServed() {
        assertThat(api.get("/actuator/health", null).json().get("status").asString()).isEqualTo("UP");
        assertThat(api.get("/actuator/prometheus", null).status()).isEqualTo(401);
        Api.Response metrics = api.get("/actuator/prometheus", Api.ADMIN_TOKEN);
        assertThat(metrics.status()).isEqualTo(200);
        assertThat(metrics.body()).contains("jvm_memory_used_bytes");

        JsonNode openApi = api.get("/v3/api-docs", null).json();
        assertThat(openApi.get("paths").propertyNames()).contains("/api/v1/ropa", "/api/v1/catalog", "/api/v1/tokens",
                "/api/v1/tokens/{id}", "/api/v1/public/notice", "/privacy");
        assertThat(api.get("/swagger-ui/index.html", null).status()).isEqualTo(200);
    }
}
