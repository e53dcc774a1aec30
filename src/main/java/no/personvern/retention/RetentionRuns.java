package no.personvern.retention;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** Retention sweeps: daily on the configured cron, and on demand. */
public interface RetentionRuns {

    /**
     * Starts a sweep in the background and returns it running. {@code asOf} (default now) may lie
     * in the future only for a dry run: "what would go by then?". 409 while another run is going.
     */
    RetentionRun start(boolean dryRun, Instant asOf);

    /** Runs a sweep to its end in the calling thread; 409 while another run is going. */
    RetentionRun run(boolean dryRun, Instant asOf);

    RetentionRun get(UUID runId);

    List<RetentionRun> recent(int limit);

    /** S15: the person's service agreement ended at {@code endedAt}; contract-bound data goes by the rules. */
    void contractEnded(UUID subjectId, Instant endedAt);
}
