package no.personvern.retention;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * A sweep: what it deleted (or, dry, would delete) and what it kept and why, counted as it goes.
 *
 * @param status {@code running}, {@code completed}, {@code failed} or {@code abandoned} (its instance stopped)
 * @param asOf the instant the rules were applied at
 */
public record RetentionRun(UUID id, String status, boolean dryRun, Instant asOf, Instant startedAt,
        Instant finishedAt, Map<String, Long> deleted, Map<String, Long> kept, String error) {
}
