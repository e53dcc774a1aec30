package no.personvern.catalog;

import java.util.ArrayList;
import java.util.List;

/**
 * The record of processing activities of GDPR Art. 30(1), derived from the catalog: (a) the
 * controller, (b) purposes, (c) categories of data subjects and data, (d) recipients, (e)
 * third-country transfers and safeguards, (f) time limits for erasure, (g) security measures.
 */
public record RecordOfProcessing(Controller controller, List<Entry> activities) {

    /** Art. 30(1)(a): name and contact details of the controller and of its DPO. */
    public record Controller(String name, String organizationNumber, String email, String phone,
            String visitingAddress, String postalAddress, ControllerDetails.Contact dataProtectionOfficer) {
    }

    /** One processing activity. */
    public record Entry(String key, String name, String role, List<Term> purposes, Basis legalBasis,
            List<Term> dataSubjects, List<Term> dataCategories, List<Recipient> recipients,
            List<Transfer> thirdCountryTransfers, String erasureTimeLimit, List<String> securityMeasures) {
    }

    /** A taxonomy key with its name. */
    public record Term(String key, String name) {
    }

    /** The Art. 6(1) basis, and the interest where it is legitimate interests. */
    public record Basis(String key, String article, String legitimateInterest) {
    }

    /** A recipient or category of recipients (Art. 30(1)(d)). */
    public record Recipient(String key, String name, String type, String service, List<String> countries) {
    }

    /** A transfer outside the EEA with its safeguard (Art. 30(1)(e), Art. 44–46). */
    public record Transfer(String recipient, List<String> countries, String safeguard) {
    }

    public static RecordOfProcessing of(Catalog catalog, Language language) {
        ControllerDetails c = catalog.controller();
        Controller controller = new Controller(c.name(), c.organizationNumber(), c.email(), c.phone(),
                c.visitingAddress(), c.postalAddress(), c.dataProtectionOfficer());
        List<String> measures = catalog.securityMeasures().stream().map(m -> m.in(language)).toList();
        List<Entry> entries = catalog.activities().stream()
                .map(activity -> entry(catalog, activity, measures, language))
                .toList();
        return new RecordOfProcessing(controller, entries);
    }

    private static Entry entry(Catalog catalog, Activity activity, List<String> measures, Language language) {
        Taxonomy taxonomy = catalog.taxonomy();
        List<Recipient> recipients = new ArrayList<>();
        List<Transfer> transfers = new ArrayList<>();
        for (String key : activity.recipients()) {
            Processor processor = catalog.processor(key).orElseThrow();
            recipients.add(new Recipient(key, processor.name(), "processor", processor.service().in(language),
                    processor.countries()));
            List<String> thirdCountries = processor.thirdCountries();
            if (!thirdCountries.isEmpty()) {
                transfers.add(new Transfer(processor.name(), thirdCountries, processor.transferMechanism().key()));
            }
        }
        activity.recipientCategories()
                .forEach(category -> recipients.add(new Recipient(null, category.in(language), "other", null, List.of())));
        String interest = activity.legitimateInterest() == null ? null : activity.legitimateInterest().in(language);
        return new Entry(activity.key(), activity.name().in(language), activity.role().key(),
                terms(activity.purposes(), key -> taxonomy.useName(key, language)),
                new Basis(activity.legalBasis().key(), activity.legalBasis().article(), interest),
                terms(activity.dataSubjects(), key -> taxonomy.subjectName(key, language)),
                terms(activity.dataCategories(), key -> taxonomy.categoryName(key, language)),
                List.copyOf(recipients), List.copyOf(transfers), erasureTimeLimit(catalog, activity, language),
                measures);
    }

    /** Art. 30(1)(f): the activity's rule, and where a retention exception keeps a category longer. */
    private static String erasureTimeLimit(Catalog catalog, Activity activity, Language language) {
        StringBuilder text = new StringBuilder(activity.retention().describe(language));
        for (RetentionException exception : catalog.retentionExceptions()) {
            List<String> held = exception.dataCategories().stream().filter(activity::declaresCategory)
                    .filter(key -> exception.covers(key, activity.key()))
                    .map(key -> catalog.taxonomy().categoryName(key, language)).toList();
            if (!held.isEmpty()) {
                text.append(language == Language.NB ? "; unntak: " : "; exception: ")
                        .append(String.join(", ", held))
                        .append(language == Language.NB ? " oppbevares i " : " kept for ")
                        .append(exception.keepFor().describe(language))
                        .append(language == Language.NB ? " etter " : " under ")
                        .append(exception.law());
            }
        }
        return text.toString();
    }

    private static List<Term> terms(List<String> keys, java.util.function.Function<String, String> name) {
        return keys.stream().map(key -> new Term(key, name.apply(key))).toList();
    }
}
