package no.personvern.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import no.personvern.testing.Api;
import no.personvern.testing.Instances;
import no.personvern.testing.DatabaseTest;
import no.personvern.testing.TestDatabases;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * SPEC 4, several instances: rate limits hold across instances on one database, not once per
 * instance. Two application contexts share one database (an in-memory H2 by name, or one
 * PostgreSQL schema).
 */
@DatabaseTest
class SharedRateLimitTests {

    @Test
    void publicRequestsPerClientAreOneLimitAcrossTwoInstances() {
        Map<String, Object> database = TestDatabases.freshDatabase("shared-rate-limit-requests");
        try (ConfigurableApplicationContext first = start(database);
                ConfigurableApplicationContext second = start(database)) {
            Api a = Instances.api(first);
            Api b = Instances.api(second);

            assertThat(submit(a, "en@example.no").status()).isEqualTo(202);
            assertThat(submit(b, "to@example.no").status()).isEqualTo(202);
            assertThat(submit(a, "tre@example.no").status()).isEqualTo(202);

            assertThat(submit(b, "fire@example.no").status()).as("the third of three was taken on the other instance")
                    .isEqualTo(429);
            assertThat(submit(a, "fem@example.no").status()).isEqualTo(429);
        }
    }

    @Test
    void signUpsPerClientAreOneLimitAcrossTwoInstances() {
        Map<String, Object> database = TestDatabases.freshDatabase("shared-rate-limit-sign-ups");
        try (ConfigurableApplicationContext first = start(database);
                ConfigurableApplicationContext second = start(database)) {
            Api a = Instances.api(first);
            Api b = Instances.api(second);
            assertThat(signUp(a, "en@example.no").status()).isEqualTo(202);
            assertThat(signUp(b, "to@example.no").status()).isEqualTo(202);
            assertThat(signUp(a, "tre@example.no").status()).isEqualTo(202);
            Api.Response refused = signUp(b, "fire@example.no");
            assertThat(refused.status()).isEqualTo(429);
            assertThat(refused.contentType()).startsWith("application/problem+json");
        }
    }

    @Test
    void theLimitsApiCountsOnceAcrossTwoInstances() {
        Map<String, Object> database = TestDatabases.freshDatabase("shared-rate-limit-api");
        try (ConfigurableApplicationContext first = start(database);
                ConfigurableApplicationContext second = start(database)) {
            RateLimits a = first.getBean(RateLimits.class);
            RateLimits b = second.getBean(RateLimits.class);
            Duration hour = Duration.ofHours(1);

            for (int i = 0; i < 3; i++) {
                assertThat(a.tryAcquire("code-mails", "person-1", 5, hour).granted()).isTrue();
            }
            assertThat(b.tryAcquire("code-mails", "person-1", 5, hour).granted()).isTrue();
            assertThat(b.tryAcquire("code-mails", "person-1", 5, hour).granted()).isTrue();

            RateLimits.Decision refused = b.tryAcquire("code-mails", "person-1", 5, hour);
            assertThat(refused.granted()).isFalse();
            assertThat(refused.retryAfter()).isPositive().isLessThanOrEqualTo(Duration.ofHours(2));
            assertThat(a.tryAcquire("code-mails", "person-1", 5, hour).granted()).isFalse();
            assertThat(a.tryAcquire("code-mails", "person-2", 5, hour).granted()).as("another key").isTrue();
            assertThat(a.tryAcquire("sign-ups", "person-1", 5, hour).granted()).as("another bucket").isTrue();
        }
    }

    private static Api.Response submit(Api api, String email) {
        return api.post("/api/v1/public/requests", null, "{\"type\":\"access\",\"email\":\"" + email + "\"}");
    }

    private static Api.Response signUp(Api api, String email) {
        return api.post("/api/v1/public/subscriptions", null, "{\"list\":\"newsletter\",\"email\":\"" + email + "\"}");
    }

    private static ConfigurableApplicationContext start(Map<String, Object> database) {
        return Instances.start(database, Map.of("personvern.retention.cron", "-",
                "personvern.requests.per-client-per-hour", "3",
                "personvern.subscriptions.per-client-per-hour", "3"));
    }
}
