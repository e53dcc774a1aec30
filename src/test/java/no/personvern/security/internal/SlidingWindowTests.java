package no.personvern.security.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class SlidingWindowTests {

    private final SlidingWindow minute = SlidingWindow.of(Duration.ofMinutes(1));
    private final long start = 1_800_000_000_000L - Math.floorMod(1_800_000_000_000L, 60_000);

    @Test
    void theLimitIsReachedWithinOneWindow() {
        assertThat(minute.allows(0, 9, 10, start + 10_000)).isTrue();
        assertThat(minute.allows(0, 10, 10, start + 10_000)).isFalse();
    }

    @Test
    void thePreviousWindowCountsForTheShareStillInsideTheSlidingOne() {
        assertThat(minute.allows(10, 0, 10, start)).as("a full previous window, just ended").isFalse();
        assertThat(minute.allows(10, 4, 10, start + 30_000)).as("half of 10 plus 4 leaves room for one").isTrue();
        assertThat(minute.allows(10, 5, 10, start + 30_000)).isFalse();
    }

    @Test
    void aClientCannotDoubleItsAllowanceAtTheBoundary() {
        int taken = 0;
        for (long at = start + 59_000; at < start + 61_000; at += 10) {
            long previous = at < start + 60_000 ? 0 : Math.min(taken, 10);
            long current = at < start + 60_000 ? taken : taken - previous;
            if (minute.allows(previous, current, 10, at)) {
                taken++;
            }
        }
        assertThat(taken).isEqualTo(10);
    }

    @Test
    void retryAfterIsWhenOneMoreFits() {
        long at = start + 15_000;
        Duration wait = minute.retryAfter(0, 10, 10, at);

        assertThat(minute.allows(10, 0, 10, at + wait.toMillis())).isTrue();
        assertThat(minute.allows(10, 0, 10, at + wait.toMillis() - 1000)).isFalse();
        Duration fading = minute.retryAfter(10, 5, 10, start + 30_000);
        assertThat(minute.allows(10, 5, 10, start + 30_000 + fading.toMillis())).isTrue();
        assertThat(fading).isBetween(Duration.ofSeconds(1), Duration.ofSeconds(30));
    }
}
