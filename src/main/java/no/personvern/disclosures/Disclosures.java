package no.personvern.disclosures;

import java.util.List;
import java.util.UUID;

/** The processors and the disclosure log. */
public interface Disclosures {

    /** Every processor of the catalog with its DPA state. */
    List<ProcessorStatus> processors();

    /**
     * Records a disclosure if it is lawful (S12, S13); otherwise refuses it with 422 and the
     * reason: a processor without a valid DPA covering every category, an authority without a
     * reference, any other basis, or a sale.
     */
    Disclosure record(NewDisclosure disclosure);

    /** What was disclosed about a person, oldest first (Art. 15(1)(c)). */
    List<Disclosure> of(UUID subjectId);

    /** The same, read by staff: audited. */
    List<Disclosure> read(UUID subjectId);

    /** A disclosure to be recorded; {@code purpose} is optional and must not be a sale. */
    record NewDisclosure(String recipient, UUID subjectId, List<String> dataCategories, String basis,
            String reference, String note, String purpose) {
    }
}
