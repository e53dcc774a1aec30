package no.personvern.security;

import static org.assertj.core.api.Assertions.assertThat;

import no.personvern.testing.Api;
import no.personvern.testing.DatabaseTest;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

@DatabaseTest
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = "personvern.public.rate-limit-per-minute=5")
class PublicRateLimitTests {

    @LocalServerPort
    int port;

    @Test
    void publicEndpointsAreLimitedPerClientAddressWithA429Problem() {
        Api api = new Api(port);
        for (int i = 0; i < 5; i++) {
            assertThat(api.get("/api/v1/public/notice", null).status()).isEqualTo(200);
        }

        Api.Response limited = api.get("/privacy", null);

        assertThat(limited.status()).isEqualTo(429);
        assertThat(limited.contentType()).startsWith("application/problem+json");
        // sliding window: the minute's 5 still count, fading, in the next minute (up to 72 s here)
        assertThat(Integer.parseInt(limited.header("Retry-After"))).isBetween(1, 120);
        assertThat(api.get("/api/v1/ropa", Api.ADMIN_TOKEN).status()).as("token calls are not limited").isEqualTo(200);
        assertThat(api.get("/actuator/health", null).status()).as("health checks are not limited").isEqualTo(200);
    }
}
