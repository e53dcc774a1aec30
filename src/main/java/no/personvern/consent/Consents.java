package no.personvern.consent;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** Records and answers consent. Every record is written durably before the call returns. */
public interface Consents {

    /**
     * Records decisions in one transaction. Each purpose must be one the catalog processes on the
     * basis of consent (Art. 6(1)(a)); otherwise nothing is recorded (422).
     */
    List<ConsentRecord> record(List<ConsentRequest> requests);

    /**
     * Per purpose, whether a consent to it is in force for at least one activity: absent means never
     * asked, which is no consent.
     */
    Map<String, Boolean> current(UUID subjectId);

    /** The latest decision per activity and purpose (SPEC: {@code byActivity}). */
    Map<String, Map<String, Boolean>> byActivity(UUID subjectId);

    List<ConsentRecord> history(UUID subjectId);

    Optional<ConsentRecord> byReceipt(UUID receiptId);

    /** The receipt of a record in the ISO/IEC TS 27560 structure (header, processing, parties, events). */
    Optional<ConsentReceipt> receipt(UUID receiptId);

    /** The purposes the catalog bases on consent. */
    List<String> consentPurposes();

    /**
     * Deletes anonymous visitors' records whose choice has ended and whose proof is no longer
     * needed: superseded by a newer choice of the same visitor at or before {@code supersededBy}, or
     * recorded at or before {@code recordedBy} (the choice ran out then). At most {@code limit}; a
     * dry run counts them all and deletes nothing. People's records are never touched. Returns how many.
     */
    long sweepVisitorRecords(Instant supersededBy, Instant recordedBy, int limit, boolean dryRun);

    /** The time of the latest record of each of these people that has one (no personal data read). */
    Map<UUID, Instant> latestRecorded(Collection<UUID> subjectIds);
}
