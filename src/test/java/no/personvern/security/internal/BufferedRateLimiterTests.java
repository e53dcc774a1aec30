package no.personvern.security.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import no.personvern.testing.DatabaseTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Every hit the public limit lets through for a client past a tenth of its limit reaches the shared
 * counters once, however busy the flushes are; a light client costs no write.
 */
@DatabaseTest
@SpringBootTest(properties = {"personvern.rate-limits.flush-interval=PT0.02S",
    "personvern.public.rate-limit-per-minute=10000"})
class BufferedRateLimiterTests {

    @Autowired
    BufferedRateLimiter limiter;

    @Autowired
    JdbcClient jdbc;

    @Test
    void everyGrantedHitIsWrittenOnceWhileFlushesRun() throws Exception {
        ExecutorService clients = Executors.newFixedThreadPool(8);
        List<Future<Integer>> granted = new ArrayList<>();
        for (int thread = 0; thread < 8; thread++) {
            granted.add(clients.submit(() -> {
                int count = 0;
                for (int i = 0; i < 5_000; i++) {
                    String client = "10.77.0." + ThreadLocalRandom.current().nextInt(20);
                    if (limiter.tryAcquire(client).granted()) {
                        count++;
                    }
                }
                return count;
            }));
        }
        long total = 0;
        for (Future<Integer> count : granted) {
            total += count.get();
        }
        clients.shutdown();
        for (int i = 0; i < 5; i++) {
            assertThat(limiter.tryAcquire("198.51.100.1").granted()).isTrue();
        }
        limiter.flush();

        assertThat(total).isEqualTo(40_000);
        assertThat(jdbc.sql("SELECT SUM(hits) FROM rate_limit_counter WHERE bucket = 'public'").query(Long.class)
                .single()).isEqualTo(total);
        assertThat(jdbc.sql("SELECT COUNT(*) FROM rate_limit_counter").query(Long.class).single())
                .as("20 busy clients, each past a tenth of the limit; a client with 5 requests stays local")
                .isBetween(20L, 40L);
        assertThat(jdbc.sql("SELECT window_start, expires_at FROM rate_limit_counter").query((row, n) ->
                row.getObject(2, OffsetDateTime.class).toInstant().toEpochMilli() - row.getLong(1)).list())
                .as("a row goes when its window can no longer count, two windows after it began")
                .containsOnly(Duration.ofMinutes(2).toMillis());
    }
}
