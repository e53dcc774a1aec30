package no.personvern.security.internal;

import java.time.Duration;

/**
 * A sliding window made of two fixed ones: the previous window's count weighs as much as the part
 * of it that is still inside the sliding window. A client cannot then spend a whole allowance at
 * the end of one window and another at the start of the next.
 */
record SlidingWindow(long millis) {

    SlidingWindow {
        if (millis < 1000) {
            throw new IllegalArgumentException("a rate limit window is at least one second");
        }
    }

    static SlidingWindow of(Duration window) {
        return new SlidingWindow(window.toMillis());
    }

    long start(long now) {
        return now - Math.floorMod(now, millis);
    }

    /** How much the previous window still counts, from 1 at the start of this one to 0 at its end. */
    double previousWeight(long now) {
        return 1.0 - (double) (now - start(now)) / millis;
    }

    /** The current window's count must stay below this for one more to fit. */
    long capForCurrent(long previous, int limit, long now) {
        return (long) Math.floor(limit - previous * previousWeight(now) + 1e-9);
    }

    boolean allows(long previous, long current, int limit, long now) {
        return current < capForCurrent(previous, limit, now);
    }

    /** When one more will fit, given the counts now. */
    Duration retryAfter(long previous, long current, int limit, long now) {
        long elapsed = now - start(now);
        double wait;
        if (current + 1 > limit) {
            // not in this window: in the next, this window's count is the previous one and fades
            wait = (millis - elapsed) + millis * Math.max(0, 1 - (limit - 1.0) / current);
        } else if (previous > 0) {
            wait = millis * (1 - (limit - 1.0 - current) / previous) - elapsed;
        } else {
            wait = 0;
        }
        return Duration.ofMillis(Math.max(1000, (long) Math.ceil(wait)));
    }
}
