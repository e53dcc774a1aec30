package no.personvern.requests;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * The staff's queue of requests: filtered, sorted by the deadline that counts now (the extended one
 * where given), and paged by keyset on (deadline, id) — never by offset — so that a page costs the
 * same at any depth. Rows carry ids, types, statuses and times only: no personal data.
 */
public interface RequestQueue {

    /** The most rows one page may ask for. */
    int MAX_PAGE = 200;

    /**
     * What the queue shows; every part may be null (or false, or empty): no filter.
     *
     * @param dueBefore the current deadline is before this
     * @param overdue only open, in-progress or waiting requests past their current deadline now
     * @param assignee assigned to this member of staff
     * @param subjects only requests of these people (e.g. found by an e-mail address in the vault's blind
     *                 index); an empty list (not null) finds nothing
     * @param requestId this one request
     * @param statuses one of these statuses (null: any; with {@code status} both apply)
     */
    record Filter(RequestStatus status, RequestType type, String channel, Instant dueBefore, boolean overdue,
            UUID assignee, Collection<UUID> subjects, UUID requestId, Collection<RequestStatus> statuses) {

        public Filter(RequestStatus status, RequestType type, String channel, Instant dueBefore, boolean overdue,
                UUID assignee, Collection<UUID> subjects, UUID requestId) {
            this(status, type, channel, dueBefore, overdue, assignee, subjects, requestId, null);
        }

        public static Filter none() {
            return new Filter(null, null, null, null, false, null, null, null);
        }
    }

    /** Where the next page starts: after the row with this deadline and id. */
    record Cursor(Instant due, UUID id) {
    }

    /**
     * One request in the queue. {@code due} is the deadline that counts now; {@code assignedTo} and
     * {@code filedBy} are staff ids (filedBy null when the person, a system or a token filed it).
     */
    record Row(UUID id, UUID subjectId, RequestType type, RequestStatus status, String channel, Instant receivedAt,
            Instant due, UUID assignedTo, UUID filedBy) {

        /** The cursor that starts the page after this row. */
        public Cursor cursor() {
            return new Cursor(due, id);
        }
    }

    /** At most {@code limit} (1 to {@link #MAX_PAGE}) rows after {@code after} (null: from the start). */
    List<Row> page(Filter filter, Cursor after, int limit);

    /** Every row the filter finds, in queue order, read page by page (for an export streamed as it is read). */
    void each(Filter filter, Consumer<Row> row);

    /** The row of one request. */
    Optional<Row> row(UUID requestId);

    /**
     * Assigns the request to a member of staff (null: to nobody); audited as {@code request.assigned}
     * with staff ids only. 404 for an unknown request.
     */
    Row assign(UUID requestId, UUID staffId);

    /**
     * Sends the request to a connected system again now, the delivery given up or waiting for its
     * next attempt (its attempts are kept). 404 unless the request was sent to that system; 409 once
     * the system is done.
     */
    DataRequest retry(UUID requestId, String system);

    /**
     * Four eyes: a DPO approves an erasure a support agent filed; it opens and is carried out as any
     * other. Only a DPO signed in to the console may (403 otherwise), and not one who filed it; 409
     * unless it waits. Audited as {@code request.approved} with staff ids.
     */
    DataRequest approve(UUID requestId);

    /**
     * Four eyes: a DPO refuses the waiting erasure with reasons, which the person is told (Art. 12(4)):
     * it is closed as rejected. Same rules as {@link #approve}; audited as {@code request.approval-refused}.
     */
    DataRequest refuseApproval(UUID requestId, String reason);
}
