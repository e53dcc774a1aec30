package no.personvern.security.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import no.personvern.security.RateLimits;
import no.personvern.security.RateLimits.Decision;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * One high-volume limit (the public endpoints: pixel, banner script, notice) on the shared
 * counters without a database round trip per request. Each instance decides on its own view —
 * the shared count as last read plus what it took itself since — and every flush interval
 * (default 1 s) it adds what it took to the shared counters and pulls every key at half its limit
 * or more, so it refuses those too, whichever instance served them.
 *
 * <p>Only clients that have used a tenth of the limit in a window on this instance are written
 * (then with every hit of theirs): almost every visitor of the pixel makes a handful of requests
 * and never costs a write. A client that stays under a tenth on each of N instances is not seen by
 * the others, which matters only with more than ten instances (N tenths of the limit at most).
 *
 * <p>The overshoot is bounded: between two flushes, an instance whose view is behind can let
 * through up to what remains of a key's allowance in its view; after the flush every instance
 * knows the key's total, and what was let through too many is paid back, as the sliding window
 * counts it until it has passed. Hits of a window that no longer counts are dropped unwritten. With
 * a flush interval of zero every request goes to {@link RateLimits} instead: exact, one round trip
 * per request.
 */
class BufferedRateLimiter implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(BufferedRateLimiter.class);
    private static final int MAX_KEYS = 200_000;
    private static final Duration CLEANUP_EVERY = Duration.ofMinutes(1);

    private final String bucket;
    private final int limit;
    private final SlidingWindow window;
    private final Duration flushInterval;
    private final RateLimitCounters counters;
    private final RateLimits exact;
    private final KeyHasher hasher;
    private final TransactionTemplate transactions;
    private final Clock clock;
    private final Map<String, View> views = new ConcurrentHashMap<>();
    private ScheduledExecutorService flusher;
    private volatile boolean running;
    private long cleanedAt;

    BufferedRateLimiter(String bucket, int limit, Duration window, Duration flushInterval, RateLimitCounters counters,
            RateLimits exact, KeyHasher hasher, TransactionTemplate transactions, Clock clock) {
        this.bucket = bucket;
        this.limit = limit;
        this.window = SlidingWindow.of(window);
        this.flushInterval = flushInterval;
        this.counters = counters;
        this.exact = exact;
        this.hasher = hasher;
        this.transactions = transactions;
        this.clock = clock;
    }

    Decision tryAcquire(String key) {
        if (flushInterval.isZero()) {
            return exact.tryAcquire(bucket, key, limit, Duration.ofMillis(window.millis()));
        }
        long now = clock.millis();
        long start = window.start(now);
        View view = views.computeIfAbsent(hasher.hash(bucket, key), hash -> new View(start));
        synchronized (view) {
            view.roll(start, window.millis());
            if (window.allows(view.previous, view.current, limit, now)) {
                view.current++;
                view.pendingCurrent++;
                return Decision.GRANTED;
            }
            return Decision.refused(window.retryAfter(view.previous, view.current, limit, now));
        }
    }

    /**
     * Adds what this instance took to the shared counters and re-reads what the others took; once a
     * minute it also deletes the counters whose windows are over (every instance does, harmlessly).
     */
    synchronized void flush() {
        long now = clock.millis();
        long start = window.start(now);
        long length = window.millis();
        List<RateLimitCounters.Addition> additions = new ArrayList<>();
        long light = Math.max(1, limit / 10);
        views.forEach((hash, view) -> {
            synchronized (view) {
                view.roll(start, length);
                if (view.previous < light && view.current < light) {
                    return; // see the class comment: a light client stays local
                }
                if (view.pendingPrevious > 0) {
                    additions.add(addition(hash, view.window - length, view.pendingPrevious));
                    view.pendingPrevious = 0;
                }
                if (view.pendingCurrent > 0) {
                    additions.add(addition(hash, view.window, view.pendingCurrent));
                    view.pendingCurrent = 0;
                }
            }
        });
        try {
            if (!additions.isEmpty()) {
                transactions.executeWithoutResult(status -> counters.add(bucket, additions));
            }
        } catch (RuntimeException e) {
            additions.forEach(this::putBack);
            log.warn("Rate-limit counters not written ({}); kept for the next flush", e.getClass().getName());
            return;
        }
        try {
            refresh(start);
            if (now - cleanedAt >= CLEANUP_EVERY.toMillis()) {
                counters.deleteExpired(Instant.ofEpochMilli(now));
                cleanedAt = now;
            }
        } catch (RuntimeException e) {
            log.warn("Rate-limit counters not read ({}); views stay as they are", e.getClass().getName());
        }
        forget(start);
    }

    /**
     * Pulls every key at half the limit or more in either window. The others need no reading: with
     * both windows below half, one more always fits, whatever other instances took.
     */
    private void refresh(long start) {
        long length = window.millis();
        List<RateLimitCounters.Count> counts = counters.hot(bucket, start - length, Math.max(1, limit / 2));
        Map<String, long[]> totals = new HashMap<>();
        for (RateLimitCounters.Count count : counts) {
            long[] pair = totals.computeIfAbsent(count.keyHash(), hash -> new long[2]);
            if (count.windowStart() == start) {
                pair[1] = count.hits();
            } else if (count.windowStart() == start - length) {
                pair[0] = count.hits();
            }
        }
        totals.forEach((hash, pair) -> {
            View view = views.computeIfAbsent(hash, key -> new View(start));
            synchronized (view) {
                view.roll(start, length);
                if (view.window == start) {
                    view.previous = Math.max(view.previous, pair[0] + view.pendingPrevious);
                    view.current = Math.max(view.current, pair[1] + view.pendingCurrent);
                }
            }
        });
    }

    /** Drops views that know nothing any more; past the cap, every view without unflushed hits. */
    private void forget(long start) {
        views.entrySet().removeIf(entry -> {
            View view = entry.getValue();
            synchronized (view) {
                view.roll(start, window.millis());
                return view.previous == 0 && view.current == 0 && view.pendingPrevious == 0 && view.pendingCurrent == 0;
            }
        });
        if (views.size() > MAX_KEYS) {
            views.entrySet().removeIf(entry -> {
                synchronized (entry.getValue()) {
                    return entry.getValue().pendingPrevious == 0 && entry.getValue().pendingCurrent == 0;
                }
            });
        }
    }

    private RateLimitCounters.Addition addition(String hash, long windowStart, long hits) {
        return new RateLimitCounters.Addition(hash, windowStart, hits,
                Instant.ofEpochMilli(windowStart + 2 * window.millis()));
    }

    private void putBack(RateLimitCounters.Addition addition) {
        View view = views.computeIfAbsent(addition.keyHash(), hash -> new View(addition.windowStart()));
        synchronized (view) {
            if (addition.windowStart() == view.window) {
                view.pendingCurrent += addition.hits();
            } else if (addition.windowStart() == view.window - window.millis()) {
                view.pendingPrevious += addition.hits();
            }
        }
    }

    /** Flushes every interval; without one (exact mode) it still deletes expired counters every minute. */
    @Override
    public void start() {
        flusher = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "rate-limit-flush");
            thread.setDaemon(true);
            return thread;
        });
        long millis = flushInterval.isZero() ? CLEANUP_EVERY.toMillis() : flushInterval.toMillis();
        flusher.scheduleWithFixedDelay(this::flushQuietly, millis, millis, TimeUnit.MILLISECONDS);
        running = true;
    }

    private void flushQuietly() {
        try {
            flush();
        } catch (RuntimeException e) {
            log.warn("Rate-limit flush failed ({})", e.getClass().getName());
        }
    }

    @Override
    public void stop() {
        running = false;
        if (flusher != null) {
            flusher.shutdownNow();
            flushQuietly();
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Stops after the web server (whose last requests it counts) and before the data source closes. */
    @Override
    public int getPhase() {
        return SmartLifecycle.DEFAULT_PHASE - 4096;
    }

    /** What this instance knows of one key: both windows' totals, and its own hits not yet written. */
    private static final class View {
        long window;
        long previous;
        long current;
        long pendingPrevious;
        long pendingCurrent;

        View(long window) {
            this.window = window;
        }

        void roll(long start, long length) {
            if (start <= window) {
                return;
            }
            if (start == window + length) {
                previous = current;
                pendingPrevious = pendingCurrent;
            } else {
                previous = 0;
                pendingPrevious = 0;
            }
            current = 0;
            pendingCurrent = 0;
            window = start;
        }
    }
}
