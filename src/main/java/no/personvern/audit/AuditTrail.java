package no.personvern.audit;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** Reads and verifies the audit trail. */
public interface AuditTrail {

    /** Entries in sequence order after {@code afterSeq}, at most {@code limit}; filters may be null. */
    List<AuditEntry> entries(UUID subjectId, Instant from, Instant to, long afterSeq, int limit);

    /** Re-computes every hash of the chain, page by page, and records the result ({@link #lastVerification()}). */
    AuditVerification verify();

    /** The latest recorded verification, if the chain was ever verified. */
    java.util.Optional<VerificationRun> lastVerification();

    /** How many entries the chain holds now (its head's sequence number; one row read). */
    long length();

    /** The pseudonym under which the trail names a subject. */
    String subjectRef(UUID subjectId);
}
