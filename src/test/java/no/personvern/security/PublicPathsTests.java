package no.personvern.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import no.personvern.testing.Api;
import no.personvern.testing.DatabaseTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Which paths are public, which of them are the SPEC's rate-limited public endpoints with the
 * smaller body limit, and which take forms from any site: the modules declare their own, and the
 * edge decides exactly as listed here.
 */
@DatabaseTest
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
class PublicPathsTests {

    static final List<String> PUBLIC = List.of("/privacy", "/api/v1/public/notice", "/api/v1/public/requests/x/package",
            "/api/v1/public", "/consent.js", "/consent.css", "/t.gif", "/u/abc", "/u", "/privacy-center", "/privacy-center/x/y",
            "/subscriptions/confirm/abc", "/subscriptions/confirm", "/actuator/health", "/actuator/health/liveness",
            "/v3/api-docs", "/v3/api-docs/swagger-config", "/swagger-ui.html", "/swagger-ui/index.html", "/error",
            "/", "/form-expired", "/assets/personvern.css");

    static final List<String> NOT_PUBLIC = List.of("/privacy/x", "/privacy.html", "/api/v1/publicx",
            "/api/v1/tokens", "/api/v1/requests", "/consent.js/x", "/consent.css/x", "/t.gif/x", "/subscriptions/x",
            "/actuator/prometheus", "/actuator/info", "/v3/other", "/swagger-ui.htm",
            "/error/x", "/favicon.ico");

    static final List<String> LIMITED = List.of("/privacy", "/api/v1/public/requests", "/consent.js", "/consent.css", "/t.gif",
            "/u/abc", "/privacy-center/x", "/subscriptions/confirm/abc", "/");

    static final List<String> NOT_LIMITED = List.of("/actuator/health", "/v3/api-docs", "/swagger-ui.html",
            "/swagger-ui/index.html", "/error", "/api/v1/tokens", "/other", "/privacy/x", "/assets/personvern.css");

    static final List<String> FROM_ANY_SITE = List.of("/u/abc", "/subscriptions/confirm/abc", "/t.gif");

    static final List<String> SAME_SITE_ONLY = List.of("/privacy", "/consent.js", "/privacy-center/x",
            "/swagger-ui.html", "/other", "/t.gif/x", "/subscriptions/x");

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    /** A token bound to a system reaches the public paths and no other outside what a system calls. */
    @Test
    void exactlyTheDeclaredPathsArePublic() {
        String token = systemToken();
        Api api = new Api(port);
        List<String> wrong = new ArrayList<>();
        for (String path : PUBLIC) {
            if (confined(api.get(path, token))) {
                wrong.add(path + " should be public");
            }
        }
        for (String path : NOT_PUBLIC) {
            if (!confined(api.get(path, token))) {
                wrong.add(path + " should not be public");
            }
        }
        assertThat(wrong).isEmpty();
    }

    @Test
    void theRateLimitedPublicEndpointsTakeTheSmallerBody() {
        Api api = new Api(port);
        String body = "x".repeat(17 * 1024);
        List<String> wrong = new ArrayList<>();
        for (String path : LIMITED) {
            if (path.startsWith("/privacy-center/")) {
                continue; // the privacy centre's forms: 64 KiB, below
            }
            if (!smallLimit(api.send("POST", path, null, Map.of("Content-Type", "application/json"), body))) {
                wrong.add(path + " should take at most 16 KiB");
            }
        }
        // A form's message may be 4000 characters of any script (up to 6 bytes each, encoded): its own
        // limit answers first, with the form; past 64 KiB the edge refuses.
        String form = "application/x-www-form-urlencoded";
        if (api.send("POST", "/privacy-center/x", null, Map.of("Content-Type", form), body).status() == 413) {
            wrong.add("/privacy-center/x should take more than 16 KiB");
        }
        if (api.send("POST", "/privacy-center/x", null, Map.of("Content-Type", form), "x".repeat(65 * 1024))
                .status() != 413) {
            wrong.add("/privacy-center/x should take at most 64 KiB");
        }
        for (String path : NOT_LIMITED) {
            if (smallLimit(api.send("POST", path, null, Map.of("Content-Type", "application/json"), body))) {
                wrong.add(path + " should take more than 16 KiB");
            }
        }
        assertThat(wrong).isEmpty();
    }

    /** Mail clients and pixels post without a session; pages and scripts do not take such posts. */
    @Test
    void onlyLinksFromMailAndThePixelTakePostsFromAnySite() {
        Api api = new Api(port);
        List<String> wrong = new ArrayList<>();
        for (String path : FROM_ANY_SITE) {
            if (api.send("POST", path, null, Map.of(), null).status() == 403) {
                wrong.add(path + " should take a post from any site");
            }
        }
        for (String path : SAME_SITE_ONLY) {
            if (api.send("POST", path, null, Map.of(), null).status() != 403) {
                wrong.add(path + " should refuse a post from another site");
            }
        }
        assertThat(wrong).isEmpty();
    }

    private static boolean confined(Api.Response response) {
        return response.status() == 403 && response.body().contains("bound to system");
    }

    private static boolean smallLimit(Api.Response response) {
        return response.status() == 413 && response.body().contains("16 KiB");
    }

    private String systemToken() {
        String token = "pvt_paths_" + UUID.randomUUID();
        String hash = SystemBoundTokenTests.sha256(token);
        jdbc.sql("""
                INSERT INTO api_token (id, name, lookup, token_hash, scopes, system_key, bootstrap, created_at)
                VALUES (:id, 'paths', :lookup, :hash, 'subjects:read', 'go', FALSE, CURRENT_TIMESTAMP)""")
                .param("id", UUID.randomUUID()).param("lookup", hash.substring(0, 16)).param("hash", hash).update();
        return token;
    }
}
