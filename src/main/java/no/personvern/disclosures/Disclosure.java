package no.personvern.disclosures;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * One entry of the disclosure log: what was handed to whom, when and why (Art. 15(1)(c), Art. 19).
 *
 * @param recipient a processor's catalog key, or the authority's name
 * @param recipientName the processor's name, or the authority's name
 * @param reference the DPA reference, or the court order's, law's or regulation's reference
 */
public record Disclosure(
        UUID id,
        UUID subjectId,
        String recipient,
        String recipientName,
        List<String> dataCategories,
        DisclosureBasis basis,
        String reference,
        String note,
        Instant disclosedAt) {
}
