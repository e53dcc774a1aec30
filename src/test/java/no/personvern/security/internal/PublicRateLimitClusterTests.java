package no.personvern.security.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import no.personvern.testing.Api;
import no.personvern.testing.Instances;
import no.personvern.testing.DatabaseTest;
import no.personvern.testing.TestDatabases;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The public endpoints' limit is counted on each instance and flushed to the shared counters; after
 * a flush, every instance refuses a client that has used its allowance, even one it never served.
 * Flushes are made by hand here (the scheduled one is an hour apart), so the test knows when.
 */
@DatabaseTest
class PublicRateLimitClusterTests {

    @Test
    void twoInstancesShareOnePublicLimitOnceTheyHaveFlushed() {
        Map<String, Object> database = TestDatabases.freshDatabase("public-rate-limit-cluster");
        try (ConfigurableApplicationContext first = start(database);
                ConfigurableApplicationContext second = start(database)) {
            Api a = Instances.api(first);
            Api b = Instances.api(second);
            for (int i = 0; i < 4; i++) {
                assertThat(a.get("/api/v1/public/notice", null).status()).isEqualTo(200);
            }
            flush(first);
            flush(second);

            assertThat(b.get("/api/v1/public/notice", null).status()).isEqualTo(200);
            assertThat(b.get("/api/v1/public/notice", null).status()).isEqualTo(200);
            Api.Response refused = b.get("/api/v1/public/notice", null);
            assertThat(refused.status()).as("4 taken on the first instance, 2 on this one, of 6").isEqualTo(429);
            assertThat(Integer.parseInt(refused.header("Retry-After"))).isBetween(1, 120);

            flush(second);
            flush(first);
            assertThat(a.get("/api/v1/public/notice", null).status()).as("the first instance knows of the second's")
                    .isEqualTo(429);
            JdbcClient jdbc = first.getBean(JdbcClient.class);
            assertThat(jdbc.sql("SELECT SUM(hits) FROM rate_limit_counter WHERE bucket = 'public'").query(Long.class)
                    .single()).isEqualTo(6);
            assertThat(jdbc.sql("SELECT key_hash FROM rate_limit_counter").query(String.class).list())
                    .as("the client's address is stored only as a keyed hash")
                    .allSatisfy(hash -> assertThat(hash).matches("[0-9a-f]{32}"));
        }
    }

    private static void flush(ConfigurableApplicationContext app) {
        app.getBean(BufferedRateLimiter.class).flush();
    }

    private static ConfigurableApplicationContext start(Map<String, Object> database) {
        return Instances.start(database, Map.of("personvern.retention.cron", "-",
                "personvern.public.rate-limit-per-minute", "6",
                "personvern.rate-limits.flush-interval", "PT1H"));
    }
}
