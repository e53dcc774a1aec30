package no.personvern.retention;

import java.util.List;
import java.time.Instant;
import java.util.UUID;

/** Legal holds on people's data. */
public interface LegalHolds {

    /** Places a hold on everything held about the person; 404 if the person is unknown or erased. */
    LegalHold place(UUID subjectId, String reason, Instant until);

    /** Ends a hold now; the next sweep deletes what only the hold kept. 404 if unknown, 409 if ended. */
    default LegalHold release(UUID holdId) {
        return release(holdId, null);
    }

    /**
     * As {@link #release(UUID)}, with why the hold ended (at most 500 characters, kept with the hold,
     * never in the audit trail); 422 if too long.
     */
    LegalHold release(UUID holdId, String reason);

    /**
     * The holds in force now, the earliest placed first, after {@code after} (null: from the start),
     * at most {@code limit} (1 to 200): a keyset page.
     */
    List<Placed> inForce(Cursor after, int limit);

    LegalHold get(UUID holdId);

    /** The holds in force for the person now. */
    List<LegalHold> active(UUID subjectId);

    /**
     * Art. 17(3)(e): an erasure the person asked for while held is carried out by the first sweep
     * after the last hold ends.
     */
    void deferErasure(UUID subjectId);

    /** A hold with who placed it ({@code staff:<id>}, {@code token:<id>} or {@code system}) and, once ended, who ended it and why. */
    record Placed(LegalHold hold, String placedBy, String releasedBy, String releaseReason) {
    }

    /** Where a page of holds ended: the last hold's placing time and id. */
    record Cursor(Instant placedAt, UUID id) {
        public static Cursor after(LegalHold hold) {
            return new Cursor(hold.placedAt(), hold.id());
        }
    }
}
