package no.personvern.security.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import no.personvern.security.RateLimits;
import org.springframework.stereotype.Component;

/**
 * {@link RateLimits} straight on the shared counters: read the key's two windows, then take one
 * with a conditional increment (or the window's first row), so concurrent calls on any instance
 * never take more than the limit.
 */
@Component
class DatabaseRateLimits implements RateLimits {

    private final RateLimitCounters counters;
    private final KeyHasher hasher;
    private final Clock clock;

    DatabaseRateLimits(RateLimitCounters counters, KeyHasher hasher, Clock clock) {
        this.counters = counters;
        this.hasher = hasher;
        this.clock = clock;
    }

    @Override
    public Decision tryAcquire(String bucket, String key, int limit, Duration window) {
        if (bucket == null || bucket.isBlank() || bucket.length() > 64) {
            throw new IllegalArgumentException("a bucket is a name of 1 to 64 characters");
        }
        if (limit < 1) {
            throw new IllegalArgumentException("a limit is at least 1");
        }
        SlidingWindow sliding = SlidingWindow.of(window);
        long now = clock.millis();
        long current = sliding.start(now);
        long previous = current - sliding.millis();
        String hash = hasher.hash(bucket, key == null ? "" : key);
        Map<Long, Long> counts = counters.counts(bucket, hash, previous);
        long before = counts.getOrDefault(previous, 0L);
        long cap = sliding.capForCurrent(before, limit, now);
        if (counts.getOrDefault(current, 0L) < cap) {
            boolean taken = counts.containsKey(current)
                    ? counters.incrementBelow(bucket, hash, current, cap)
                    : counters.insert(bucket, new RateLimitCounters.Addition(hash, current, 1,
                            Instant.ofEpochMilli(current + 2 * sliding.millis())))
                            || counters.incrementBelow(bucket, hash, current, cap);
            if (taken) {
                return Decision.GRANTED;
            }
            counts = counters.counts(bucket, hash, previous);
        }
        return Decision.refused(sliding.retryAfter(before, counts.getOrDefault(current, 0L), limit, now));
    }
}
