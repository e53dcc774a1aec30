package no.personvern.retention;

import java.time.Instant;
import java.util.Map;

/**
 * Data of another module with retention of its own, swept with every run: e.g. unverified
 * requests and expired access packages. The module implements this interface, so retention never
 * depends on the modules it sweeps.
 */
public interface RetentionParticipant {

    /** Deletes (or, in a dry run, only counts) what has expired by {@code asOf}; returns counts by what. */
    Map<String, Long> sweep(Instant asOf, boolean dryRun);
}
