package no.personvern.consent;

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
}
