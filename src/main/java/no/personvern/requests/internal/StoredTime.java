package no.personvern.requests.internal;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** The database keeps microseconds: an instant written and read back compares equal only when cut to them. */
final class StoredTime {

    private StoredTime() {
    }

    static Instant now(Clock clock) {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }
}
