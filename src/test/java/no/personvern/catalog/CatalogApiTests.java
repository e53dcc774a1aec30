package no.personvern.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import no.personvern.testing.Api;
import no.personvern.testing.DatabaseTest;
import no.personvern.testing.Tokens;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

@DatabaseTest
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
        properties = "personvern.catalog=classpath:catalogs/with-connector.yaml")
class CatalogApiTests {

    @LocalServerPort
    int port;

    Api api;
    String catalogReader;

    @BeforeEach
    void setUp() {
        api = new Api(port);
        catalogReader = new Tokens(api).issue("dpo tool", "catalog:read");
    }

    @Test
    void theRecordOfProcessingHasEveryFieldOfArticle30() {
        Api.Response response = api.get("/api/v1/ropa", catalogReader);

        assertThat(response.status()).isEqualTo(200);
        JsonNode ropa = response.json();
        assertThat(ropa.get("controller").get("name").asString()).isEqualTo("PowerOffice AS");
        assertThat(ropa.get("controller").get("email").asString()).isEqualTo("firmapost@poweroffice.no");
        assertThat(ropa.get("activities")).as("the catalog's three, and Personvern's own three built in").hasSize(6);
        for (JsonNode activity : ropa.get("activities")) {
            assertThat(activity.propertyNames()).contains("key", "name", "role", "purposes", "legalBasis",
                    "dataSubjects", "dataCategories", "recipients", "thirdCountryTransfers", "erasureTimeLimit",
                    "securityMeasures");
            assertThat(activity.get("securityMeasures")).isNotEmpty();
            assertThat(activity.get("erasureTimeLimit").asString()).isNotBlank();
        }
        JsonNode uploads = activity(ropa, "mobile-uploads");
        assertThat(uploads.get("erasureTimeLimit").asString()).isEqualTo("deleted 3 months after collection or upload");
        assertThat(uploads.get("legalBasis").get("article").asString()).isEqualTo("Art. 6(1)(b)");
        JsonNode newsletter = activity(ropa, "newsletter");
        assertThat(newsletter.get("thirdCountryTransfers")).singleElement().satisfies(transfer -> {
            assertThat(transfer.get("recipient").asString()).isEqualTo("Example Analytics Inc.");
            assertThat(transfer.get("countries").get(0).asString()).isEqualTo("US");
            assertThat(transfer.get("safeguard").asString()).isEqualTo("scc");
        });
        assertThat(newsletter.get("recipients").get(0).get("type").asString()).isEqualTo("processor");
        JsonNode requests = activity(ropa, "personvern-data-subject-requests");
        assertThat(requests.get("legalBasis").get("article").asString()).isEqualTo("Art. 6(1)(c)");
        assertThat(requests.get("dataCategories").get(0).get("key").asString()).isEqualTo("user.contact.email");
        assertThat(activity(ropa, "personvern-consent-proof").get("dataSubjects").toString())
                .as("whom the consents concern").contains("prospect").doesNotContain("employee");
        assertThat(activity(ropa, "personvern-audit-trail").get("erasureTimeLimit").asString()).contains("proof");
    }

    @Test
    void theRecordOfProcessingIsAlsoCsvWithOneRowPerActivity() {
        Api.Response response = api.get("/api/v1/ropa", catalogReader, Map.of("Accept", "text/csv"));

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.contentType()).startsWith("text/csv");
        List<List<String>> rows = parseCsv(response.body());
        assertThat(rows).hasSize(7);
        List<String> header = rows.get(0);
        assertThat(header).contains("key", "purposes", "legalBasis", "dataSubjects", "dataCategories", "recipients",
                "thirdCountryTransfers", "erasureTimeLimit", "securityMeasures", "controller");
        List<String> newsletter = rows.stream().filter(row -> row.get(0).equals("newsletter")).findFirst().orElseThrow();
        assertThat(newsletter.get(header.indexOf("thirdCountryTransfers"))).isEqualTo("Example Analytics Inc.: US (scc)");
        assertThat(newsletter.get(header.indexOf("legalBasis"))).isEqualTo("consent (Art. 6(1)(a))");
        assertThat(newsletter.get(header.indexOf("controller"))).isEqualTo("PowerOffice AS");
    }

    @Test
    void theCatalogIsShownWithoutConnectorSecrets() {
        Api.Response response = api.get("/api/v1/catalog", catalogReader);

        assertThat(response.status()).isEqualTo(200);
        JsonNode go = response.json().get("systems").get(0);
        assertThat(go.get("key").asString()).isEqualTo("go");
        assertThat(go.get("connector").get("url").asString()).isEqualTo("http://127.0.0.1:9/hooks/personvern");
        assertThat(go.get("connector").get("secretConfigured").asBoolean()).isTrue();
        assertThat(response.body()).doesNotContain("test-connector-secret");
    }

    @Test
    void theRecordNeedsATokenWithCatalogRead() {
        assertThat(api.get("/api/v1/ropa", null).status()).isEqualTo(401);
        assertThat(api.get("/api/v1/ropa", "not-a-token").status()).isEqualTo(401);
        String statsOnly = new Tokens(api).issue("stats", "stats:read");
        Api.Response forbidden = api.get("/api/v1/ropa", statsOnly);
        assertThat(forbidden.status()).isEqualTo(403);
        assertThat(forbidden.contentType()).startsWith("application/problem+json");
        assertThat(forbidden.json().get("status").asInt()).isEqualTo(403);
    }

    @Test
    void anUnknownLanguageIsABadRequestNamingTheParameter() {
        Api.Response response = api.get("/api/v1/ropa?lang=de", catalogReader);

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.json().get("errors").get(0).get("field").asString()).isEqualTo("lang");
    }

    private static JsonNode activity(JsonNode ropa, String key) {
        for (JsonNode activity : ropa.get("activities")) {
            if (activity.get("key").asString().equals(key)) {
                return activity;
            }
        }
        throw new AssertionError("no activity " + key);
    }

    /** RFC 4180: quoted cells, doubled quotes, CRLF rows. */
    private static List<List<String>> parseCsv(String csv) {
        List<List<String>> rows = new ArrayList<>();
        List<String> row = new ArrayList<>();
        StringBuilder cell = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < csv.length(); i++) {
            char c = csv.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < csv.length() && csv.charAt(i + 1) == '"') {
                    cell.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    cell.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                row.add(cell.toString());
                cell.setLength(0);
            } else if (c == '\n') {
                row.add(cell.toString());
                cell.setLength(0);
                rows.add(row);
                row = new ArrayList<>();
            } else if (c != '\r') {
                cell.append(c);
            }
        }
        return rows;
    }
}
