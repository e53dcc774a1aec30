package no.personvern.security.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Map;
import no.personvern.testing.Api;
import no.personvern.testing.DatabaseTest;
import no.personvern.testing.Instances;
import no.personvern.testing.TestDatabases;
import no.personvern.testing.Tokens;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The token cache on two instances of one database: a token that the second instance holds in its
 * cache (for ten minutes here, so that only the invalidation can end it) is refused there within
 * the bound, 1 s, once it is revoked on the first. The waits are correctness bounds, a little over
 * the bound; they pass at once when the invalidation works, and cannot pass without it.
 */
@DatabaseTest
class TokenCacheClusterTests {

    /** The bound, and what a look-up through the filter may take on a loaded machine on top of it. */
    private static final Duration BOUND = Duration.ofSeconds(1);
    private static final Duration WITHIN_BOUND = BOUND.plusMillis(300);

    @Test
    void aTokenRevokedOnOneInstanceIsRefusedOnEveryInstanceWithinTheBound() {
        Map<String, Object> database = TestDatabases.freshDatabase("token-cache-revocation");
        try (ConfigurableApplicationContext first = start(database);
                ConfigurableApplicationContext second = start(database)) {
            Api a = Instances.api(first);
            Api b = Instances.api(second);
            Api.Response issued = new Tokens(a).request("catalog reader", null, "catalog:read");
            String token = issued.json().get("token").asString();
            String id = issued.json().get("id").asString();
            cachedOn(second, token);

            assertThat(a.delete("/api/v1/tokens/" + id, Api.ADMIN_TOKEN).status()).isEqualTo(204);

            assertThat(tokens(first).authenticate(token)).as("refused at once where it was revoked").isEmpty();
            assertThat(a.get("/api/v1/catalog", token).status()).isEqualTo(401);
            await().atMost(WITHIN_BOUND).pollInterval(Duration.ofMillis(20))
                    .until(() -> tokens(second).authenticate(token).isEmpty());
            assertThat(b.get("/api/v1/catalog", token).status()).isEqualTo(401);
            assertThat(b.get("/api/v1/catalog", Api.ADMIN_TOKEN).status()).as("other tokens still work")
                    .isEqualTo(200);
        }
    }

    @Test
    void aTokenRevokedByHandInTheDatabaseIsRefusedWithinTheBoundToo() {
        Map<String, Object> database = TestDatabases.freshDatabase("token-cache-revoked-in-sql");
        try (ConfigurableApplicationContext first = start(database);
                ConfigurableApplicationContext second = start(database)) {
            String token = new Tokens(Instances.api(first)).issue("catalog reader", "catalog:read");
            cachedOn(second, token);

            first.getBean(JdbcClient.class).sql("UPDATE api_token SET revoked_at = CURRENT_TIMESTAMP WHERE name = ?")
                    .param("catalog reader").update();

            await().atMost(WITHIN_BOUND).pollInterval(Duration.ofMillis(20))
                    .until(() -> tokens(second).authenticate(token).isEmpty());
        }
    }

    /**
     * Fail closed: when an instance cannot read the generation, it stops using what it cached once
     * the bound has passed, so a revocation it cannot hear of still takes effect within the bound.
     */
    @Test
    void anInstanceThatCannotReadTheGenerationStopsUsingCachedTokensAfterTheBound() {
        Map<String, Object> database = TestDatabases.freshDatabase("token-cache-fail-closed");
        try (ConfigurableApplicationContext first = start(database);
                ConfigurableApplicationContext second = start(database)) {
            String token = new Tokens(Instances.api(first)).issue("catalog reader", "catalog:read");
            cachedOn(second, token);
            JdbcClient jdbc = first.getBean(JdbcClient.class);

            jdbc.sql("ALTER TABLE api_token_generation RENAME TO api_token_generation_gone").update();
            jdbc.sql("UPDATE api_token SET revoked_at = CURRENT_TIMESTAMP WHERE name = ?").param("catalog reader")
                    .update();

            await().atMost(WITHIN_BOUND).pollInterval(Duration.ofMillis(20))
                    .until(() -> tokens(second).authenticate(token).isEmpty());
            assertThat(Instances.api(second).get("/api/v1/catalog", Api.ADMIN_TOKEN).status())
                    .as("tokens still work, each looked up in the database").isEqualTo(200);
            assertThat(second.getBean(TokenCache.class).holds(TokenService.hash(Api.ADMIN_TOKEN))).isFalse();
        }
    }

    /** Uses the token on the instance until its cache holds it (the cache is off until its first read). */
    private static void cachedOn(ConfigurableApplicationContext app, String token) {
        Api api = Instances.api(app);
        TokenCache cache = app.getBean(TokenCache.class);
        await().atMost(Duration.ofSeconds(10)).until(() -> api.get("/api/v1/catalog", token).status() == 200
                && cache.holds(TokenService.hash(token)));
    }

    private static TokenService tokens(ConfigurableApplicationContext app) {
        return app.getBean(TokenService.class);
    }

    private static ConfigurableApplicationContext start(Map<String, Object> database) {
        return Instances.start(database, Map.of("personvern.retention.cron", "-",
                "personvern.admin-token", Api.ADMIN_TOKEN,
                "personvern.token-cache.ttl", "PT10M"));
    }
}
