package no.personvern.catalog;

import java.time.LocalDate;
import java.util.List;

/**
 * A processor that handles personal data on the company's behalf, only under a data processing
 * agreement (Art. 28(3), S12), with the countries it processes in (Art. 44–46).
 *
 * @param contact where the processor takes data-protection notices, e.g. of an erasure it must
 *     carry out too (Art. 19, Art. 28(3)(e)); optional
 */
public record Processor(
        String key,
        String name,
        LocalizedText service,
        List<String> countries,
        TransferMechanism transferMechanism,
        Dpa dpa,
        List<String> dataCategories,
        List<SubProcessor> subProcessors,
        String contact) {

    /** Art. 44: the countries outside the EEA it processes in; each is a transfer needing a safeguard. */
    public List<String> thirdCountries() {
        return countries.stream().filter(Countries::isThirdCountry).toList();
    }

    /** Art. 45: the third countries it processes in that have no adequacy decision of the Commission. */
    public List<String> thirdCountriesWithoutAdequacy() {
        return thirdCountries().stream().filter(country -> !Countries.ADEQUATE.contains(country)).toList();
    }

    /** The data processing agreement. */
    public record Dpa(String reference, LocalDate signedAt, LocalDate expiresAt) {
    }

    /** A processor's own processor, engaged with the company's authorisation (Art. 28(2)). */
    public record SubProcessor(String name, String service, List<String> countries) {
    }
}
