package no.personvern.requests;

import java.time.Instant;
import java.util.Map;
import java.util.Set;

/**
 * The figures of the request desk for the console's dashboard: each read is an index range on
 * {@code (status, due_at)}, never a scan of the whole table.
 */
public interface RequestFigures {

    /** How many requests stand in each status now (every status, zero where none). */
    Map<RequestStatus, Long> byStatus();

    /** How many requests stand in each of {@code statuses} now (zero where none), one index range each. */
    Map<RequestStatus, Long> byStatus(Set<RequestStatus> statuses);

    /**
     * The requests whose deadline runs (open, in progress, and erasures awaiting a DPO's approval) by their
     * deadline (an extension counts) seen from {@code now}.
     */
    Deadlines deadlines(Instant now);

    /**
     * @param onTrack due later than 7 days from now
     * @param dueSoon due within 7 days
     * @param overdue past their deadline
     */
    record Deadlines(long onTrack, long dueSoon, long overdue) {
    }
}
