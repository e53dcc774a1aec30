package no.personvern.catalog;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A processing activity: one row of the record of processing (Art. 30(1)). Personal data may be
 * collected only by the activity's systems, for its purposes, under its one legal basis.
 *
 * @param legitimateInterest the interest pursued, required when the basis is legitimate
 *     interests (Art. 13(1)(d))
 * @param technologies what the activity stores on or reads from the visitor's device
 *     ({@code cookie}, {@code pixel}): needs an active opt-in unless strictly necessary
 * @param recipientCategories recipients that are not processors, such as public authorities
 * @param personvern the processing of Personvern's own this activity is, if any
 * @param documents the category an uploaded document of each kind is stored under (SPEC: {@code documents})
 * @param list the name of the subscription list this activity is, if given
 * @param builtIn added by Personvern because the catalog declares no activity for its own processing
 * @param sources where the data comes from when not from the person (Art. 14(2)(f)), e.g. the
 *     employer that registers its staff as users; empty means from the person alone
 * @param softOptIn e-mail marketing to existing customers about similar products without prior
 *     consent (markedsføringsloven § 15(3)), declared and therefore checked
 * @param article9Condition the Art. 9(2) condition that allows a special category it declares
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
        List<String> technologies,
        OwnProcessing personvern,
        Map<String, String> documents,
        String list,
        boolean builtIn,
        List<LocalizedText> sources,
        boolean softOptIn,
        Article9Condition article9Condition) {

    /** An activity with its data from the person alone, no soft opt-in and no special category. */
    public Activity(String key, LocalizedText name, LocalizedText description, Role role, List<String> systems,
            List<String> purposes, LegalBasis legalBasis, LocalizedText legitimateInterest, List<String> dataSubjects,
            List<String> dataCategories, RetentionRule retention, List<String> recipients,
            List<LocalizedText> recipientCategories, List<String> technologies, OwnProcessing personvern,
            Map<String, String> documents, String list, boolean builtIn) {
        this(key, name, description, role, systems, purposes, legalBasis, legitimateInterest, dataSubjects,
                dataCategories, retention, recipients, recipientCategories, technologies, personvern, documents, list,
                builtIn, List.of(), false, null);
    }

    private static final String CONTENT = "user.content";
    private static final List<String> DEVICE_IDENTIFIERS = List.of("user.device.cookie_id", "user.device.cookie");

    public boolean usesSystem(String system) {
        return systems.contains(system);
    }

    public boolean declaresCategory(String category) {
        return dataCategories.contains(category);
    }

    /** The {@code user.content.*} categories the activity declares: what uploaded documents can be. */
    public List<String> contentCategories() {
        return dataCategories.stream().filter(category -> Taxonomy.isWithin(category, CONTENT)).toList();
    }

    /** Whether documents can be uploaded under this activity. */
    public boolean takesDocuments() {
        return !documents.isEmpty() || !contentCategories().isEmpty();
    }

    /**
     * The category a document of this kind is stored under (SPEC section 3): the one the
     * {@code documents} map names for the kind, else the single {@code user.content.*} category.
     */
    public Optional<String> documentCategory(DocumentKind kind) {
        String named = documents.get(kind.key());
        if (named != null) {
            return Optional.of(named);
        }
        List<String> content = contentCategories();
        return content.size() == 1 ? Optional.of(content.get(0)) : Optional.empty();
    }

    /**
     * What the activity stores on or reads from a visitor's device: the {@code technologies} it
     * names, or else a cookie when it declares a cookie identifier ({@code user.device.cookie_id}).
     */
    public List<String> onDevice() {
        if (!technologies.isEmpty()) {
            return technologies;
        }
        return dataCategories.stream().anyMatch(category -> DEVICE_IDENTIFIERS.stream()
                .anyMatch(device -> Taxonomy.isWithin(category, device))) ? List.of("cookie") : List.of();
    }
}
