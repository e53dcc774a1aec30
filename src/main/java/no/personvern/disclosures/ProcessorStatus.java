package no.personvern.disclosures;

import java.time.LocalDate;
import java.util.List;
import no.personvern.catalog.LocalizedText;
import no.personvern.catalog.Processor;

/**
 * A processor from the catalog with the state of its data processing agreement today.
 *
 * @param thirdCountries the countries outside the EEA it processes in (Art. 44–46)
 */
public record ProcessorStatus(
        String key,
        String name,
        LocalizedText service,
        List<String> countries,
        List<String> thirdCountries,
        String transferMechanism,
        DpaStatus dpa,
        List<String> dataCategories,
        List<Processor.SubProcessor> subProcessors) {

    /**
     * @param state {@code valid}, {@code expiring} (within 60 days) or {@code expired}
     * @param daysLeft days until it expires; null when it does not
     */
    public record DpaStatus(String reference, LocalDate signedAt, LocalDate expiresAt, String state, Long daysLeft) {
    }
}
