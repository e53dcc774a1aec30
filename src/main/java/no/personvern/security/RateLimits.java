package no.personvern.security;

import java.time.Duration;

/**
 * Limits that hold across every instance: "at most {@code limit} per {@code window} for this key",
 * counted in the database. Windows slide (the previous fixed window is weighed by how much of it
 * is still inside the sliding one), so a client cannot double its allowance at a window boundary.
 *
 * <p>Keys are never stored as given: the database holds only a keyed hash (HMAC-SHA256 under a key
 * derived from the key store) of bucket and key, so a key may be derived from personal data — an
 * e-mail address, a client address. Counters go once their windows are over.
 *
 * <p>Each call is exact and goes to the database (two or three short statements). When the caller
 * runs in a transaction, the count is part of it: rolled back with it, and the counter row stays
 * locked until it ends.
 */
public interface RateLimits {

    /**
     * Takes one from the allowance of {@code key} in {@code bucket} (e.g. {@code "code-mails"}); a
     * refused call takes nothing.
     */
    Decision tryAcquire(String bucket, String key, int limit, Duration window);

    /** Granted, or refused with the time after which one more would be granted. */
    record Decision(boolean granted, Duration retryAfter) {

        public static final Decision GRANTED = new Decision(true, Duration.ZERO);

        public static Decision refused(Duration retryAfter) {
            return new Decision(false, retryAfter);
        }

        /** Whole seconds for a {@code Retry-After} header, at least 1. */
        public long retryAfterSeconds() {
            return Math.max(1, (retryAfter.toMillis() + 999) / 1000);
        }
    }
}
