package no.personvern.security.internal;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The shared counters: one row per bucket, hashed key and fixed window. Written with plain UPDATE
 * and {@code INSERT … ON CONFLICT DO NOTHING}, which H2 (PostgreSQL mode) and PostgreSQL both run.
 */
@Repository
class RateLimitCounters {

    /** Hits of one key in one window. */
    record Count(String keyHash, long windowStart, long hits) {
    }

    /** Hits to add to one key's window. */
    record Addition(String keyHash, long windowStart, long hits, Instant expiresAt) {
    }

    private final JdbcClient jdbc;
    private final JdbcTemplate batch;

    RateLimitCounters(JdbcClient jdbc, JdbcTemplate batch) {
        this.jdbc = jdbc;
        this.batch = batch;
    }

    /** The key's hits by window start, for the windows from {@code since} on. */
    Map<Long, Long> counts(String bucket, String keyHash, long since) {
        Map<Long, Long> counts = new HashMap<>();
        jdbc.sql("""
                SELECT window_start, hits FROM rate_limit_counter
                WHERE bucket = :bucket AND key_hash = :key AND window_start >= :since""")
                .param("bucket", bucket).param("key", keyHash).param("since", since)
                .query((row, n) -> counts.put(row.getLong(1), row.getLong(2))).list();
        return counts;
    }

    /** One more hit, if the window's hits are below {@code cap}; false when not (or no row yet). */
    boolean incrementBelow(String bucket, String keyHash, long windowStart, long cap) {
        return jdbc.sql("""
                UPDATE rate_limit_counter SET hits = hits + 1
                WHERE bucket = :bucket AND key_hash = :key AND window_start = :window AND hits < :cap""")
                .param("bucket", bucket).param("key", keyHash).param("window", windowStart).param("cap", cap)
                .update() == 1;
    }

    /** The window's first row; false when another call wrote it first. */
    boolean insert(String bucket, Addition addition) {
        return jdbc.sql("""
                INSERT INTO rate_limit_counter (bucket, key_hash, window_start, hits, expires_at)
                VALUES (:bucket, :key, :window, :hits, :expires)
                ON CONFLICT DO NOTHING""")
                .param("bucket", bucket).param("key", addition.keyHash()).param("window", addition.windowStart())
                .param("hits", addition.hits()).param("expires", time(addition.expiresAt()))
                .update() == 1;
    }

    /**
     * Adds each addition's hits, whether or not its row exists yet: batched updates, then batched
     * inserts of the rows that were missing, then updates of those another instance inserted
     * meanwhile. Rows are taken in one order (key, window), so two instances flushing in one
     * transaction each cannot deadlock.
     */
    void add(String bucket, List<Addition> additions) {
        List<Addition> sorted = additions.stream()
                .sorted(Comparator.comparing(Addition::keyHash).thenComparingLong(Addition::windowStart)).toList();
        List<Addition> missing = unapplied(sorted, increment(bucket, sorted));
        List<Addition> raced = unapplied(missing, batch.batchUpdate("""
                INSERT INTO rate_limit_counter (bucket, key_hash, window_start, hits, expires_at)
                VALUES (?, ?, ?, ?, ?)
                ON CONFLICT DO NOTHING""", missing.stream().map(a -> new Object[] {bucket, a.keyHash(), a.windowStart(),
                a.hits(), time(a.expiresAt())}).toList()));
        increment(bucket, raced);
    }

    private int[] increment(String bucket, List<Addition> additions) {
        if (additions.isEmpty()) {
            return new int[0];
        }
        return batch.batchUpdate("""
                UPDATE rate_limit_counter SET hits = hits + ?
                WHERE bucket = ? AND key_hash = ? AND window_start = ?""", additions.stream()
                .map(a -> new Object[] {a.hits(), bucket, a.keyHash(), a.windowStart()}).toList());
    }

    private static List<Addition> unapplied(List<Addition> additions, int[] counts) {
        List<Addition> left = new ArrayList<>();
        for (int i = 0; i < additions.size(); i++) {
            if (counts[i] == 0) {
                left.add(additions.get(i));
            }
        }
        return left;
    }

    /** Keys with at least {@code threshold} hits in a window from {@code since} on: the ones near their limit. */
    List<Count> hot(String bucket, long since, long threshold) {
        return jdbc.sql("""
                SELECT key_hash, window_start, hits FROM rate_limit_counter
                WHERE bucket = :bucket AND window_start >= :since AND hits >= :threshold
                LIMIT 10000""")
                .param("bucket", bucket).param("since", since).param("threshold", threshold)
                .query((row, n) -> new Count(row.getString(1), row.getLong(2), row.getLong(3))).list();
    }

    int deleteExpired(Instant now) {
        return jdbc.sql("DELETE FROM rate_limit_counter WHERE expires_at < :now").param("now", time(now)).update();
    }

    private static OffsetDateTime time(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
