package no.personvern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The rules of a cache kept in step by a polled generation, on a clock the test turns by hand. */
class GenerationCacheTests {

    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private final AtomicInteger loads = new AtomicInteger();
    private final GenerationCache<String, String> cache = new GenerationCache<>(100, Duration.ofMinutes(1),
            Duration.ofSeconds(1), now::get);

    @Test
    void nothingIsCachedBeforeTheGenerationHasBeenRead() {
        get("a");
        get("a");

        assertThat(loads).hasValue(2);
        assertThat(cache.size()).isZero();
    }

    @Test
    void anEntryIsUsedOnlyUnderTheGenerationItWasLoadedUnder() {
        cache.poll(() -> 1L);
        get("a");
        get("a");
        assertThat(loads).as("the second from the cache").hasValue(1);

        later(Duration.ofMillis(250));
        cache.poll(() -> 1L);
        get("a");
        assertThat(loads).as("the same generation read again").hasValue(1);

        later(Duration.ofMillis(250));
        cache.poll(() -> 2L);
        assertThat(cache.holds("a")).isFalse();
        get("a");
        assertThat(loads).hasValue(2);
    }

    @Test
    void aValueLoadedWhileTheGenerationChangesIsNotUsedUnderTheNewOne() {
        cache.poll(() -> 1L);
        cache.get("a", key -> {
            later(Duration.ofMillis(10));
            cache.poll(() -> 2L); // a revocation was read while this look-up asked the database
            return Optional.of("value of a");
        }, value -> true);

        assertThat(cache.holds("a")).isFalse();
    }

    @Test
    void noEntryIsUsedOnceTheLastGoodReadIsABoundOldFailClosed() {
        cache.poll(() -> 1L);
        get("a");
        later(Duration.ofMillis(500));
        assertThatThrownBy(() -> cache.poll(() -> {
            throw new IllegalStateException("database unreachable");
        })).isInstanceOf(IllegalStateException.class);
        later(Duration.ofMillis(499));
        get("a");
        assertThat(loads).as("read 999 ms ago: still in step").hasValue(1);

        later(Duration.ofMillis(1));
        get("a");
        get("a");
        assertThat(loads).as("read 1 s ago: every look-up asks the database").hasValue(3);
        assertThat(cache.holds("a")).isFalse();

        cache.poll(() -> 1L);
        get("a");
        assertThat(loads).as("read again, unchanged: what was cached is good again").hasValue(3);
        later(Duration.ofMillis(250));
        cache.poll(() -> 2L);
        get("a");
        assertThat(loads).hasValue(4);
    }

    @Test
    void aLocalChangeInvalidatesAtOnceAndAReadStartedBeforeItDoesNotUndoIt() {
        cache.poll(() -> 1L);
        get("a");
        later(Duration.ofMillis(100));
        cache.poll(() -> {
            later(Duration.ofMillis(10));
            cache.invalidate(); // committed here while the read, which cannot have seen it, was under way
            later(Duration.ofMillis(10));
            return 1L;
        });

        assertThat(cache.holds("a")).isFalse();
        get("a");
        get("a");
        assertThat(loads).as("loaded after the change: kept until the next read").hasValue(2);
        later(Duration.ofMillis(250));
        cache.poll(() -> 2L);
        assertThat(cache.holds("a")).isFalse();
    }

    @Test
    void anAbsentValueIsNeverKeptAndNeitherIsOneNotCacheable() {
        cache.poll(() -> 1L);
        assertThat(cache.get("a", key -> Optional.empty(), value -> true)).isEmpty();
        assertThat(cache.get("a", key -> Optional.of("now there"), value -> true)).contains("now there");
        assertThat(cache.get("b", key -> Optional.of("hold key"), value -> false)).contains("hold key");

        assertThat(cache.holds("a")).isTrue();
        assertThat(cache.holds("b")).isFalse();
    }

    @Test
    void anEntryLastsNoLongerThanItsTimeToLive() {
        cache.poll(() -> 1L);
        get("a");
        for (int i = 0; i < 5; i++) {
            later(Duration.ofMillis(11_800));
            cache.poll(() -> 1L);
        }
        get("a");
        assertThat(loads).as("59 s old, still in step").hasValue(1);

        later(Duration.ofSeconds(1));
        cache.poll(() -> 1L);
        get("a");
        assertThat(loads).hasValue(2);
    }

    @Test
    void itNeverHoldsMoreThanItsSize() {
        cache.poll(() -> 1L);
        for (int i = 0; i < 1000; i++) {
            get("key " + i);
        }

        assertThat(cache.size()).isLessThanOrEqualTo(100);
        assertThat(cache.holds("key 999")).as("the latest is kept").isTrue();
    }

    @Test
    void aSizeOrTimeToLiveOfZeroKeepsNothing() {
        GenerationCache<String, String> none = new GenerationCache<>(0, Duration.ofMinutes(1), Duration.ofSeconds(1),
                now::get);
        GenerationCache<String, String> never = new GenerationCache<>(100, Duration.ZERO, Duration.ofSeconds(1),
                now::get);
        for (GenerationCache<String, String> off : java.util.List.of(none, never)) {
            off.poll(() -> 1L);
            off.get("a", key -> Optional.of("a"), value -> true);
            assertThat(off.holds("a")).isFalse();
            assertThat(off.size()).isZero();
        }
    }

    private void get(String key) {
        assertThat(cache.get(key, k -> {
            loads.incrementAndGet();
            return Optional.of("value of " + k);
        }, value -> true)).contains("value of " + key);
    }

    private void later(Duration duration) {
        now.addAndGet(duration.toNanos());
    }
}
