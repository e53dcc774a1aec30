package no.personvern.audit;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** Reads and verifies the audit trail. */
public interface AuditTrail {

    /** Entries in sequence order after {@code afterSeq}, at most {@code limit}; filters may be null. */
    List<AuditEntry> entries(UUID subjectId, Instant from, Instant to, long afterSeq, int limit);

    /** Re-computes every hash of the chain, page by page. */
    AuditVerification verify();

    /** The pseudonym under which the trail names a subject. */
    String subjectRef(UUID subjectId);
}
