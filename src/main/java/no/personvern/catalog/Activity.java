package no.personvern.catalog;

import java.util.List;

/**
 * A processing activity: one row of the record of processing (Art. 30(1)). Personal data may be
 * collected only by the activity's systems, for its purposes, under its one legal basis.
 *
 * @param legitimateInterest the interest pursued, required when the basis is legitimate
 *     interests (Art. 13(1)(d))
 * @param technologies what the activity stores on or reads from the visitor's device
 *     ({@code cookie}, {@code pixel}): needs an active opt-in unless strictly necessary
 * @param recipientCategories recipients that are not processors, such as public authorities
 */
public record Activity(
        String key,
        LocalizedText name,
        LocalizedText description,
        Role role,
        List<String> systems,
        List<String> purposes,
        LegalBasis legalBasis,
        LocalizedText legitimateInterest,
        List<String> dataSubjects,
        List<String> dataCategories,
        RetentionRule retention,
        List<String> recipients,
        List<LocalizedText> recipientCategories,
        List<String> technologies) {

    public boolean usesSystem(String system) {
        return systems.contains(system);
    }

    public boolean declaresCategory(String category) {
        return dataCategories.contains(category);
    }
}
