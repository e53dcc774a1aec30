package no.personvern.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import no.personvern.testing.Api;
import no.personvern.testing.DatabaseTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

/**
 * Every non-public API endpoint names the scope it needs; none is open to any token by accident,
 * and a token bound to a connected system reaches none but the few a system calls.
 */
@DatabaseTest
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
class EndpointScopesTests {

    /** What a connected system does (SPEC 3, Tokens); each of these checks the system itself. */
    static final Set<String> SYSTEM_ENDPOINTS = Set.of(
            "POST /api/v1/subjects", "POST /api/v1/subjects/import", "GET /api/v1/subjects",
            "GET /api/v1/subjects/{id}", "POST /api/v1/subjects/{id}/documents",
            "GET /api/v1/subjects/{id}/documents/{documentId}", "POST /api/v1/subjects/{id}/consents",
            "GET /api/v1/subjects/{id}/consents", "POST /api/v1/requests/{id}/systems/{system}/callback",
            "GET /api/v1/subscriptions/{list}/recipients", "GET /api/v1/catalog", "GET /api/v1/ropa",
            "GET /api/v1/processors");

    @Autowired
    @Qualifier("requestMappingHandlerMapping")
    RequestMappingHandlerMapping mappings;

    @Autowired
    JdbcClient jdbc;

    @LocalServerPort
    int port;

    @Test
    void everyProtectedApiEndpointRequiresAScope() {
        List<String> unguarded = new ArrayList<>();
        int guarded = 0;
        for (var entry : mappings.getHandlerMethods().entrySet()) {
            RequestMappingInfo info = entry.getKey();
            HandlerMethod method = entry.getValue();
            for (String path : info.getPatternValues()) {
                if (!path.startsWith("/api/") || path.startsWith("/api/v1/public/")) {
                    continue;
                }
                PreAuthorize rule = method.getMethodAnnotation(PreAuthorize.class);
                if (rule == null || !rule.value().matches("hasAuthority\\('[a-z:]+'\\)")) {
                    unguarded.add(path + " " + method);
                } else {
                    assertThat(Scope.fromValue(rule.value().replaceAll(".*'(.*)'.*", "$1"))).as(path).isPresent();
                    guarded++;
                }
            }
        }
        assertThat(unguarded).isEmpty();
        assertThat(guarded).isGreaterThanOrEqualTo(5);
    }

    @Test
    void onlyTheCallbackTakesTheCallbackScopeAndRequestsManageDoesNotIncludeIt() {
        List<String> callbackScoped = new ArrayList<>();
        for (var entry : mappings.getHandlerMethods().entrySet()) {
            PreAuthorize rule = entry.getValue().getMethodAnnotation(PreAuthorize.class);
            if (rule != null && rule.value().contains("'requests:callback'")) {
                callbackScoped.addAll(entry.getKey().getPatternValues());
            }
        }
        assertThat(callbackScoped).containsExactly("/api/v1/requests/{id}/systems/{system}/callback");
    }

    /** A token stored by an earlier version with a system and every scope still gets no further. */
    @Test
    void aSystemTokenIsRefusedOnEveryEndpointButTheOnesASystemCallsWhateverItsScopes() {
        String token = "pvt_everything_" + UUID.randomUUID();
        String hash = SystemBoundTokenTests.sha256(token);
        jdbc.sql("""
                INSERT INTO api_token (id, name, lookup, token_hash, scopes, system_key, bootstrap, created_at)
                VALUES (:id, 'old', :lookup, :hash, 'admin requests:manage', 'go', FALSE, CURRENT_TIMESTAMP)""")
                .param("id", UUID.randomUUID()).param("lookup", hash.substring(0, 16)).param("hash", hash).update();
        Api api = new Api(port);
        List<String> open = new ArrayList<>();
        int refused = 0;
        for (var entry : mappings.getHandlerMethods().entrySet()) {
            for (String path : entry.getKey().getPatternValues()) {
                if (!path.startsWith("/api/") || path.startsWith("/api/v1/public/")) {
                    continue;
                }
                for (RequestMethod method : entry.getKey().getMethodsCondition().getMethods()) {
                    String endpoint = method + " " + path;
                    Api.Response response = api.send(method.name(), concrete(path), token,
                            Map.of("Content-Type", "application/json"), method == RequestMethod.GET ? null : "{}");
                    boolean confined = response.status() == 403 && response.body().contains("bound to system 'go'");
                    if (SYSTEM_ENDPOINTS.contains(endpoint)) {
                        assertThat(confined).as(endpoint + " is one a system calls").isFalse();
                    } else if (confined) {
                        refused++;
                    } else {
                        open.add(endpoint + " -> " + response.status());
                    }
                }
            }
        }
        assertThat(open).isEmpty();
        assertThat(refused).isGreaterThanOrEqualTo(20);
        assertThat(api.get("/actuator/prometheus", token).status()).isEqualTo(403);
    }

    private static String concrete(String path) {
        return path.replace("{system}", "go").replace("{list}", "go").replaceAll("\\{[^}]+}",
                UUID.randomUUID().toString());
    }
}
