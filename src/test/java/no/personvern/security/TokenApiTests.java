package no.personvern.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import no.personvern.testing.Api;
import no.personvern.testing.DatabaseTest;
import no.personvern.testing.Json;
import no.personvern.testing.Tokens;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

@DatabaseTest
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
class TokenApiTests {

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    Api api;

    @BeforeEach
    void setUp() {
        api = new Api(port);
    }

    @Test
    void anAdminIssuesATokenThatIsShownOnceAndStoredOnlyAsAHash() {
        Api.Response created = new Tokens(api).request("newsletter tool", "newsletter", "subjects:read",
                "catalog:read");

        assertThat(created.status()).isEqualTo(201);
        String token = created.json().get("token").asString();
        String id = created.json().get("id").asString();
        assertThat(token).startsWith("pvt_").hasSizeGreaterThan(40);

        List<Map<String, Object>> rows = jdbc.sql("SELECT * FROM api_token").query().listOfRows();
        assertThat(rows).isNotEmpty();
        assertThat(rows.toString()).doesNotContain(token).doesNotContain(Api.ADMIN_TOKEN);
        Map<String, Object> row = jdbc.sql("SELECT name, scopes, system_key, token_hash FROM api_token WHERE id = CAST(:id AS UUID)")
                .param("id", id).query().singleRow();
        assertThat(row.get("scopes")).isEqualTo("catalog:read subjects:read");
        assertThat(row.get("system_key")).isEqualTo("newsletter");
        assertThat((String) row.get("token_hash")).hasSize(64);

        assertThat(api.get("/api/v1/catalog", token).status()).isEqualTo(200);
    }

    @Test
    void aConnectedSystemGetsATokenWithTheCallbackScopeBoundToItsSystem() {
        Api.Response created = new Tokens(api).request("go callbacks", "go", "requests:callback", "subjects:write");

        assertThat(created.status()).as(created.body()).isEqualTo(201);
        Map<String, Object> row = jdbc.sql("SELECT scopes, system_key FROM api_token WHERE id = CAST(:id AS UUID)")
                .param("id", created.json().get("id").asString()).query().singleRow();
        assertThat(row).containsEntry("scopes", "subjects:write requests:callback").containsEntry("system_key", "go");
        assertThat(api.get("/api/v1/requests", created.json().get("token").asString()).status()).isEqualTo(403);
    }

    @Test
    void aTokenReachesOnlyTheEndpointsOfItsScopes() {
        String reader = new Tokens(api).issue("reader", "catalog:read");

        assertThat(api.get("/api/v1/ropa", reader).status()).isEqualTo(200);
        Api.Response forbidden = api.post("/api/v1/tokens", reader, Tokens.body("x", null, "admin"));
        assertThat(forbidden.status()).isEqualTo(403);
        assertThat(forbidden.json().get("detail").asString()).contains("scope");
    }

    @Test
    void adminImpliesEveryScope() {
        String admin = new Tokens(api).issue("admin", "admin");

        assertThat(api.get("/api/v1/ropa", admin).status()).isEqualTo(200);
        assertThat(api.post("/api/v1/tokens", admin, Tokens.body("y", null, "stats:read")).status()).isEqualTo(201);
    }

    @Test
    void aRevokedTokenNoLongerWorks() {
        Api.Response created = new Tokens(api).request("temp", null, "catalog:read");
        String token = created.json().get("token").asString();
        String id = created.json().get("id").asString();

        assertThat(api.delete("/api/v1/tokens/" + id, Api.ADMIN_TOKEN).status()).isEqualTo(204);
        assertThat(api.get("/api/v1/ropa", token).status()).isEqualTo(401);
        assertThat(api.delete("/api/v1/tokens/" + id, Api.ADMIN_TOKEN).status()).isEqualTo(404);
    }

    @Test
    void invalidFieldsAre422WithTheFieldAndNothingIsStored() {
        long before = tokenCount();

        Api.Response unknownScope = new Tokens(api).request("x", null, "catalog:read", "everything");
        assertThat(unknownScope.status()).isEqualTo(422);
        assertThat(unknownScope.contentType()).startsWith("application/problem+json");
        assertThat(error(unknownScope)).containsEntry("field", "scopes[1]");

        Api.Response missingName = api.post("/api/v1/tokens", Api.ADMIN_TOKEN,
                Json.object("scopes", List.of("catalog:read")));
        assertThat(missingName.status()).isEqualTo(422);
        assertThat(error(missingName)).containsEntry("field", "name");

        Api.Response noScopes = new Tokens(api).request("x", null);
        assertThat(noScopes.status()).isEqualTo(422);
        assertThat(error(noScopes)).containsEntry("field", "scopes");

        Api.Response unknownSystem = new Tokens(api).request("x", "mainframe", "catalog:read");
        assertThat(unknownSystem.status()).isEqualTo(422);
        assertThat(error(unknownSystem)).containsEntry("field", "system");

        assertThat(tokenCount()).isEqualTo(before);
    }

    @Test
    void everyInvalidFieldIsNamedAtOnce() {
        long before = tokenCount();
        Api.Response all = new Tokens(api).request("  ", "mainframe", "catalog:read", "everything", "audit:read");
        assertThat(all.status()).isEqualTo(422);
        assertThat(all.errorFields()).containsExactlyInAnyOrder("name", "system", "scopes[1]", "scopes[2]");
        assertThat(all.json().get("detail").asString()).contains("4 fields are invalid");
        assertThat(tokenCount()).isEqualTo(before);
    }

    @Test
    void everyErrorIsAProblemDocumentWithoutAStackTrace() {
        assertProblem(api.post("/api/v1/tokens", Api.ADMIN_TOKEN, "{\"name\": "), 400);
        assertProblem(api.post("/api/v1/tokens", Api.ADMIN_TOKEN, "[1,2]"), 400);
        assertProblem(api.send("POST", "/api/v1/tokens", Api.ADMIN_TOKEN, Map.of("Content-Type", "text/plain"), "hello"), 415);
        assertProblem(api.send("PUT", "/api/v1/ropa", Api.ADMIN_TOKEN, Map.of(), null), 405);
        assertProblem(api.get("/api/v1/nothing-here", Api.ADMIN_TOKEN), 404);
        assertProblem(api.get("/nothing-here", null), 404);
        assertProblem(api.delete("/api/v1/tokens/not-a-uuid", Api.ADMIN_TOKEN), 400);
        assertProblem(api.get("/api/v1/ropa", null), 401);
        assertProblem(api.get("/api/v1/ropa", "Basic abc"), 401);
        assertProblem(api.get("/api/v1/ropa", Api.ADMIN_TOKEN, Map.of("Accept", "image/png")), 406);
    }

    private void assertProblem(Api.Response response, int status) {
        assertThat(response.status()).as(response.body()).isEqualTo(status);
        if (status != 406) {
            assertThat(response.contentType()).startsWith("application/problem+json");
            JsonNode problem = response.json();
            assertThat(problem.get("status").asInt()).isEqualTo(status);
            assertThat(problem.has("title")).isTrue();
        }
        assertThat(response.body()).doesNotContain("Exception", "\tat ", "org.springframework");
    }

    private Map<String, String> error(Api.Response response) {
        JsonNode error = response.json().get("errors").get(0);
        return Map.of("field", error.get("field").asString(), "message", error.get("message").asString());
    }

    private long tokenCount() {
        return jdbc.sql("SELECT COUNT(*) FROM api_token").query(Long.class).single();
    }
}
