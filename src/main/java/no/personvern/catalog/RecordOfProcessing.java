package no.personvern.catalog;

import java.util.ArrayList;
import java.util.List;

/**
 * The records of processing activities of GDPR Art. 30, derived from the catalog. As controller
 * (Art. 30(1)), the activities of role controller: (a) the controller and its DPO, (b) purposes,
 * (c) categories of data subjects and data, (d) recipients, (e) third-country transfers and
 * safeguards, (f) time limits for erasure, (g) security measures. As processor (Art. 30(2), {@code
 * processorRecord}), the activities of role processor: (a) the customers on whose behalf we act,
 * named as a category of controllers, (b) the categories of processing, (c) transfers, (d)
 * security measures; with no legal basis or retention of our own, which are the customer's to decide.
 */
public record RecordOfProcessing(Controller controller, List<Entry> activities, ProcessorRecord processorRecord) {

    /**
     * Art. 30(1)(a): name and contact details of the controller and of its DPO; {@code dpo} says in
     * words who the DPO is, or that none is designated.
     */
    public record Controller(String name, String organizationNumber, String email, String phone,
            String visitingAddress, String postalAddress, ControllerDetails.Contact dataProtectionOfficer, String dpo) {
    }

    /** Art. 30(2): what we process on behalf of customers, who are the controllers of it. */
    public record ProcessorRecord(List<String> controllers, List<ProcessorEntry> activities) {
    }

    /**
     * One category of processing carried out for customers (Art. 30(2)(b)), with the processors we
     * use for it (sub-processors), transfers (30(2)(c)) and security measures (30(2)(d)).
     */
    public record ProcessorEntry(String key, String name, String description, List<String> controllers,
            List<Term> categoriesOfProcessing, List<Term> dataSubjects, List<Term> dataCategories,
            List<Recipient> processors, List<Transfer> thirdCountryTransfers, List<String> securityMeasures) {
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
        boolean nb = language == Language.NB;
        String dpo;
        if (c.hasDataProtectionOfficer()) {
            ControllerDetails.Contact officer = c.dataProtectionOfficer();
            dpo = java.util.stream.Stream.of(officer.name(), officer.email(), officer.phone())
                    .filter(value -> value != null).collect(java.util.stream.Collectors.joining(", "));
        } else {
            dpo = nb ? "Det er ikke utpekt noe personvernombud; spørsmål om personvern går til " + c.email()
                    : "No data protection officer is designated; privacy questions go to " + c.email();
        }
        Controller controller = new Controller(c.name(), c.organizationNumber(), c.email(), c.phone(),
                c.visitingAddress(), c.postalAddress(), c.dataProtectionOfficer(), dpo);
        List<String> measures = catalog.securityMeasures().stream().map(m -> m.in(language)).toList();
        List<Entry> entries = catalog.activities().stream().filter(activity -> activity.role() == Role.CONTROLLER)
                .map(activity -> entry(catalog, activity, measures, language))
                .toList();
        List<ProcessorEntry> forCustomers = catalog.activities().stream()
                .filter(activity -> activity.role() == Role.PROCESSOR)
                .map(activity -> processorEntry(catalog, activity, measures, language)).toList();
        java.util.Set<String> controllers = new java.util.LinkedHashSet<>();
        forCustomers.forEach(entry -> controllers.addAll(entry.controllers()));
        return new RecordOfProcessing(controller, entries, new ProcessorRecord(List.copyOf(controllers), forCustomers));
    }

    /** Art. 30(2)(a): the customers as a category of controllers, those who use the activity's systems. */
    private static ProcessorEntry processorEntry(Catalog catalog, Activity activity, List<String> measures,
            Language language) {
        Taxonomy taxonomy = catalog.taxonomy();
        String systems = activity.systems().stream()
                .map(key -> catalog.system(key).map(system -> system.name().in(language)).orElse(key))
                .collect(java.util.stream.Collectors.joining(", "));
        String customers = language == Language.NB
                ? "Kundene som bruker " + systems + ", hver av dem behandlingsansvarlig for sine egne opplysninger"
                : "The customers who use " + systems + ", each the controller of its own data";
        List<Recipient> processors = new ArrayList<>();
        List<Transfer> transfers = new ArrayList<>();
        recipients(catalog, activity, language, processors, transfers);
        return new ProcessorEntry(activity.key(), activity.name().in(language),
                activity.description() == null ? null : activity.description().in(language), List.of(customers),
                terms(activity.purposes(), key -> taxonomy.useName(key, language)),
                terms(activity.dataSubjects(), key -> taxonomy.subjectName(key, language)),
                terms(activity.dataCategories(), key -> taxonomy.categoryName(key, language)),
                List.copyOf(processors), List.copyOf(transfers), measures);
    }

    private static void recipients(Catalog catalog, Activity activity, Language language, List<Recipient> recipients,
            List<Transfer> transfers) {
        for (String key : activity.recipients()) {
            Processor processor = catalog.processor(key).orElseThrow();
            recipients.add(new Recipient(key, processor.name(), "processor", processor.service().in(language),
                    processor.countries()));
            List<String> thirdCountries = processor.thirdCountries();
            if (!thirdCountries.isEmpty()) {
                transfers.add(new Transfer(processor.name(), thirdCountries, processor.transferMechanism().key()));
            }
        }
    }

    private static Entry entry(Catalog catalog, Activity activity, List<String> measures, Language language) {
        Taxonomy taxonomy = catalog.taxonomy();
        List<Recipient> recipients = new ArrayList<>();
        List<Transfer> transfers = new ArrayList<>();
        recipients(catalog, activity, language, recipients, transfers);
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
        return catalog.retentionText(activity, language);
    }

    private static List<Term> terms(List<String> keys, java.util.function.Function<String, String> name) {
        return keys.stream().map(key -> new Term(key, name.apply(key))).toList();
    }
}
