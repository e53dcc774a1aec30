package no.personvern.retention;

import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Data of another module with retention of its own, swept with every run: e.g. unverified
 * requests, expired access packages, the website's hits and anonymous consent records. The module
 * implements this interface, so retention never depends on the modules it sweeps.
 */
public interface RetentionParticipant {

    /** Deletes (or, in a dry run, only counts) what has expired by {@code asOf}; returns counts by what. */
    default Map<String, Long> sweep(Instant asOf, boolean dryRun) {
        return sweep(asOf, dryRun, Integer.MAX_VALUE).deleted();
    }

    /**
     * One batch of the sweep, in the batch's transaction: deletes at most about {@code limit} rows of
     * what has expired by {@code asOf} and says whether more may be left ({@code more}: the sweep
     * calls again, in a new batch). A dry run counts everything at once and deletes nothing, so it
     * answers {@code more = false}. Implement this one for large volumes; the default runs
     * {@link #sweep(Instant, boolean)} once.
     */
    default Batch sweep(Instant asOf, boolean dryRun, int limit) {
        return new Batch(sweep(asOf, dryRun), Map.of(), false);
    }

    /**
     * Of these people, those this module still holds something of (a request, say) that keeps them:
     * the sweep erases a person it found nothing else of only if no participant names them.
     */
    default Set<UUID> holding(Collection<UUID> subjectIds) {
        return Set.of();
    }

    /** Of these people, those with activity in this module after {@code since} (a request filed, say). */
    default Set<UUID> activeSince(Collection<UUID> subjectIds, Instant since) {
        return Set.of();
    }

    /**
     * What one batch did: counts deleted (or, dry, that would be) and kept by what, and whether more
     * may be left to delete.
     */
    record Batch(Map<String, Long> deleted, Map<String, Long> kept, boolean more) {
    }
}
