package no.personvern.retention;

import java.util.List;
import java.time.Instant;
import java.util.UUID;

/** Legal holds on people's data. */
public interface LegalHolds {

    /** Places a hold on everything held about the person; 404 if the person is unknown or erased. */
    LegalHold place(UUID subjectId, String reason, Instant until);

    /** Ends a hold now; the next sweep deletes what only the hold kept. 404 if unknown, 409 if ended. */
    LegalHold release(UUID holdId);

    LegalHold get(UUID holdId);

    /** The holds in force for the person now. */
    List<LegalHold> active(UUID subjectId);

    /**
     * Art. 17(3)(e): an erasure the person asked for while held is carried out by the first sweep
     * after the last hold ends.
     */
    void deferErasure(UUID subjectId);
}
