package no.personvern.security.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import no.personvern.security.RateLimits;
import no.personvern.testing.DatabaseTest;
import no.personvern.testing.MutableClock;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Counters are deleted once their windows can no longer count, and are never stored under the key given. */
@DatabaseTest
@SpringBootTest(properties = "personvern.rate-limits.flush-interval=PT1H")
class RateLimitCounterExpiryTests {

    @TestConfiguration
    static class Time {
        @Bean
        @Primary
        MutableClock testClock() {
            return new MutableClock(Instant.parse("2026-03-02T10:15:00Z"));
        }
    }

    @Autowired
    RateLimits limits;

    @Autowired
    BufferedRateLimiter publicLimiter;

    @Autowired
    MutableClock clock;

    @Autowired
    JdbcClient jdbc;

    @Test
    void countersGoOnceTheirWindowsAreOverAndNeverHoldTheKey() {
        assertThat(limits.tryAcquire("code-mails", "kari@example.no", 5, Duration.ofHours(1)).granted()).isTrue();
        publicLimiter.flush();
        assertThat(rows()).as("its window still counts").isEqualTo(1);
        assertThat(jdbc.sql("SELECT key_hash FROM rate_limit_counter").query(String.class).single())
                .doesNotContain("kari").matches("[0-9a-f]{32}");

        clock.advance(Duration.ofMinutes(90));
        publicLimiter.flush();
        assertThat(rows()).as("as the previous window it still counts").isEqualTo(1);

        clock.advance(Duration.ofMinutes(60));
        publicLimiter.flush();
        assertThat(rows()).isZero();
        assertThat(limits.tryAcquire("code-mails", "kari@example.no", 5, Duration.ofHours(1)).granted()).isTrue();
    }

    private long rows() {
        return jdbc.sql("SELECT COUNT(*) FROM rate_limit_counter").query(Long.class).single();
    }
}
