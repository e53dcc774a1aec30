package no.personvern.audit;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** Reads and verifies the audit trail. */
public interface AuditTrail {

    /** Entries in sequence order after {@code afterSeq}, at most {@code limit}; filters may be null. */
    List<AuditEntry> entries(UUID subjectId, Instant from, Instant to, long afterSeq, int limit);

    /**
     * Entries matching every filter given (null: any), newest first, with a sequence number below
     * {@code beforeSeq} (null: from the head), at most {@code limit}. Each filter is served by an
     * index ending in the sequence number, so a page costs the same however long the trail is.
     */
    List<AuditEntry> newestFirst(Filter filter, Long beforeSeq, int limit);

    /**
     * What {@link #newestFirst} keeps: the person by pseudonym ({@link #subjectRef}), the actor
     * ({@code staff:<id>}, {@code token:<id>}, {@code system}), the action and a time range
     * ({@code from} inclusive, {@code to} exclusive).
     */
    record Filter(String subjectRef, String actor, String action, Instant from, Instant to) {

        public static final Filter ALL = new Filter(null, null, null, null, null);
    }

    /** Re-computes every hash of the chain, page by page, and records the result ({@link #lastVerification()}). */
    AuditVerification verify();

    /** The latest recorded verification, if the chain was ever verified. */
    java.util.Optional<VerificationRun> lastVerification();

    /** How many entries the chain holds now (its head's sequence number; one row read). */
    long length();

    /** The pseudonym under which the trail names a subject. */
    String subjectRef(UUID subjectId);
}
