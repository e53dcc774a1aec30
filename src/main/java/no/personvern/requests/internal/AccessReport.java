package no.personvern.requests.internal;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import no.personvern.consent.ConsentRecord;
import no.personvern.catalog.Activity;
import no.personvern.catalog.Catalog;
import no.personvern.catalog.ControllerDetails;
import no.personvern.catalog.Language;
import no.personvern.catalog.Processor;
import no.personvern.disclosures.Disclosure;
import no.personvern.disclosures.DisclosureBasis;
import no.personvern.subjects.SubjectView;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import org.thymeleaf.context.Context;
import org.thymeleaf.spring6.SpringTemplateEngine;
import org.thymeleaf.templatemode.TemplateMode;
import org.thymeleaf.templateresolver.ClassLoaderTemplateResolver;

/**
 * The {@code report.html} of an access or portability package, answering Art. 15(1)(a)–(h) and 15(2)
 * in the person's language: the Thymeleaf HTML template {@code templates/requests/report.html}.
 */
@Component
class AccessReport {

    /** One line under (a): an activity, its purposes and its legal basis. */
    record Purpose(String activity, String purposes, String basis, String article) {
    }

    private final SpringTemplateEngine engine = new SpringTemplateEngine();
    private final Catalog catalog;

    AccessReport(Catalog catalog) {
        this.catalog = catalog;
        ClassLoaderTemplateResolver resolver = new ClassLoaderTemplateResolver();
        resolver.setPrefix("templates/requests/");
        resolver.setSuffix(".html");
        resolver.setTemplateMode(TemplateMode.HTML);
        resolver.setCharacterEncoding("UTF-8");
        resolver.setCacheable(true);
        engine.setTemplateResolver(resolver);
    }

    /**
     * Parses and caches the template once at start-up, with nothing in it, so that the first
     * person's package does not pay for the engine's first use (about 12 MiB more allocated while
     * building it, measured by the package benchmark).
     */
    @EventListener(ApplicationReadyEvent.class)
    void parseTemplate() {
        Context context = new Context();
        context.setVariables(Map.of("lang", Language.EN.code(), "nb", false, "controller", catalog.controller(),
                "purposes", List.of(), "categories", List.of(), "recipients", List.of(), "disclosures", List.of(),
                "transfers", "", "retention", List.of(), "sources", List.of()));
        context.setVariable("values", List.of());
        context.setVariable("identities", List.of());
        context.setVariable("lists", List.of());
        context.setVariable("consents", List.of());
        context.setVariable("documents", List.of());
        context.setVariable("withheld", List.of());
        engine.process("report", context);
    }

    /**
     * Everything a package holds about the person: values, identities and documents (with the
     * name of each document's file in the ZIP), disclosures, consents, subscribed lists, whether
     * they made requests (the request handling is processing too), and what the DPO withheld.
     */
    record Held(SubjectView person, List<Disclosure> disclosed, List<ConsentRecord> consents, List<String> lists,
            Map<UUID, String> files, boolean madeRequests, List<PackageBuilder.Withheld> withheld) {
    }

    /** One value as the report shows it: the category named in the person's language. */
    record ValueLine(String category, String value, String source, String collected, boolean restricted) {
    }

    /** One consent decision with its receipt id. */
    record ConsentLine(String purpose, boolean granted, String recorded, String receipt) {
    }

    /** One document, with its file in the ZIP. */
    record DocumentLine(String kind, String category, String uploaded, String file) {
    }

    String render(SubjectView person, List<Disclosure> disclosed, Language language) {
        return render(new Held(person, disclosed, List.of(), List.of(), Map.of(), false, List.of()), language);
    }

    String render(Held held, Language language) {
        SubjectView person = held.person();
        boolean nb = language == Language.NB;
        Set<String> activityKeys = new LinkedHashSet<>();
        Set<String> systemKeys = new LinkedHashSet<>();
        person.data().forEach(value -> {
            activityKeys.add(value.activity());
            systemKeys.add(value.system());
        });
        person.documents().forEach(document -> {
            if (document.activity() != null) {
                activityKeys.add(document.activity());
            }
            systemKeys.add(document.system());
        });
        // A person known only by an identity is processed all the same: for the lists they subscribe
        // to, the consents they gave, the systems whose ids they have, and the requests they made.
        for (String list : held.lists()) {
            catalog.list(list).ifPresent(mailingList -> {
                activityKeys.add(mailingList.activity());
                systemKeys.add(mailingList.system());
            });
        }
        held.consents().stream().filter(ConsentRecord::granted).map(ConsentRecord::purpose).distinct()
                .forEach(purpose -> catalog.activities().stream()
                        .filter(a -> a.legalBasis() == no.personvern.catalog.LegalBasis.CONSENT
                                && a.purposes().contains(purpose))
                        .forEach(a -> activityKeys.add(a.key())));
        if (person.identities() != null && person.identities().externalIds() != null) {
            for (String system : person.identities().externalIds().keySet()) {
                systemKeys.add(system);
                List<Activity> ofSystem = catalog.activitiesOf(system);
                if (ofSystem != null && ofSystem.size() == 1) {
                    activityKeys.add(ofSystem.get(0).key());
                }
            }
        }
        if (held.madeRequests() && catalog.requestHandling() != null) {
            activityKeys.add(catalog.requestHandling().activity());
            systemKeys.add(catalog.requestHandling().system());
        }
        List<Activity> activities = activityKeys.stream().map(key -> catalog.activity(key).orElse(null))
                .filter(a -> a != null).toList();
        ControllerDetails controller = catalog.controller();

        List<Purpose> purposes = activities.stream().map(activity -> new Purpose(activity.name().in(language),
                String.join(", ", activity.purposes().stream().map(p -> catalog.taxonomy().useName(p, language)).toList()),
                activity.legalBasis().key(), activity.legalBasis().article())).toList();
        Set<String> categories = new LinkedHashSet<>();
        person.data().forEach(value -> categories.add(catalog.taxonomy().categoryName(value.category(), language)));
        person.documents().stream().filter(d -> d.category() != null)
                .forEach(d -> categories.add(catalog.taxonomy().categoryName(d.category(), language)));
        if (categories.isEmpty()) {
            activities.forEach(a -> a.dataCategories()
                    .forEach(c -> categories.add(catalog.taxonomy().categoryName(c, language))));
        }
        List<String> recipients = new ArrayList<>();
        List<String> transfers = new ArrayList<>();
        for (Activity activity : activities) {
            for (String key : activity.recipients()) {
                Processor processor = catalog.processor(key).orElseThrow();
                String line = processor.name() + " – " + processor.service().in(language) + " ("
                        + String.join(", ", processor.countries()) + ")";
                if (!recipients.contains(line)) {
                    recipients.add(line);
                }
                List<String> third = processor.thirdCountries();
                if (!third.isEmpty()) {
                    transfers.add(processor.name() + ": " + String.join(", ", third) + " – "
                            + processor.transferMechanism().key());
                }
            }
            activity.recipientCategories().forEach(c -> recipients.add(c.in(language)));
        }
        List<String> disclosures = held.disclosed().stream().map(d -> d.disclosedAt().toString().substring(0, 10) + ": "
                + d.recipientName() + " – " + String.join(", ", d.dataCategories().stream()
                        .map(c -> catalog.taxonomy().categoryName(c, language)).toList())
                + " (" + basisName(d.basis(), nb) + ", " + d.reference() + ")").toList();
        List<String> retention = activities.stream()
                .map(a -> a.name().in(language) + ": " + catalog.retentionText(a, language)).toList();
        Set<String> sources = new LinkedHashSet<>();
        systemKeys.forEach(system -> sources.add(catalog.system(system).map(s -> s.name().in(language)).orElse(system)));
        // Art. 15(1)(g): where the data did not come from the person, the source the activity names.
        activities.forEach(activity -> activity.sources().forEach(source -> sources.add(source.in(language))));

        List<ValueLine> values = person.data().stream().map(value -> new ValueLine(
                catalog.taxonomy().categoryName(value.category(), language), value.value(),
                catalog.system(value.system()).map(s -> s.name().in(language)).orElse(value.system()) + " · "
                        + catalog.activity(value.activity()).map(a -> a.name().in(language)).orElse(value.activity()),
                Letters.date(value.collectedAt(), nb), value.restriction() != null)).toList();
        List<String> identities = identityLines(person.identities(), nb);
        List<String> lists = held.lists().stream()
                .map(list -> catalog.list(list).map(l -> l.title().in(language)).orElse(list)).toList();
        List<ConsentLine> consents = held.consents().stream().map(c -> new ConsentLine(
                catalog.taxonomy().useName(c.purpose(), language), c.granted(), Letters.date(c.recordedAt(), nb),
                c.receiptId().toString())).toList();
        List<DocumentLine> documents = person.documents().stream().map(d -> new DocumentLine(d.kind(),
                d.category() == null ? "" : catalog.taxonomy().categoryName(d.category(), language),
                Letters.date(d.uploadedAt(), nb), held.files().getOrDefault(d.id(), ""))).toList();
        List<String> withheld = held.withheld().stream().map(w -> withheldName(w.item(), language) + ": " + w.reason())
                .toList();

        Context context = new Context();
        Map<String, Object> variables = new java.util.HashMap<>();
        variables.putAll(Map.of("lang", language.code(), "nb", nb, "controller", controller,
                "purposes", purposes, "categories", List.copyOf(categories), "recipients", recipients,
                "disclosures", disclosures, "transfers", transfers.isEmpty() ? "" : String.join("; ", transfers),
                "retention", retention, "sources", List.copyOf(sources)));
        variables.putAll(Map.of("values", values, "identities", identities, "lists", lists, "consents", consents,
                "documents", documents, "withheld", withheld));
        context.setVariables(variables);
        return engine.process("report", context);
    }

    private String withheldName(String item, Language language) {
        if (item.startsWith("category:")) {
            return catalog.taxonomy().categoryName(item.substring("category:".length()), language);
        }
        return language == Language.NB ? "En utlevering av opplysninger" : "A disclosure of your data";
    }

    private List<String> identityLines(SubjectView.IdentityView identities, boolean nb) {
        List<String> lines = new ArrayList<>();
        if (identities == null) {
            return lines;
        }
        if (identities.email() != null) {
            lines.add((nb ? "E-post: " : "E-mail: ") + identities.email());
        }
        java.util.Objects.requireNonNullElse(identities.otherEmails(), List.<String>of()).forEach(e -> lines.add((nb ? "E-post: " : "E-mail: ") + e));
        if (identities.phone() != null) {
            lines.add((nb ? "Telefon: " : "Phone: ") + identities.phone());
        }
        java.util.Objects.requireNonNullElse(identities.otherPhones(), List.<String>of()).forEach(p -> lines.add((nb ? "Telefon: " : "Phone: ") + p));
        java.util.Objects.requireNonNullElse(identities.externalIds(), Map.<String, String>of()).forEach((system, id) -> lines.add((nb ? "Id hos " : "Id in ")
                + catalog.system(system).map(s -> s.name().in(nb ? Language.NB : Language.EN)).orElse(system)
                + ": " + id));
        identities.unverified().forEach(u -> lines.add(u.value() + (nb ? " (ikke bekreftet)" : " (not confirmed)")));
        return lines;
    }

    private static String basisName(DisclosureBasis basis, boolean nb) {
        return switch (basis) {
            case DPA -> nb ? "databehandleravtale" : "data processing agreement";
            case COURT_ORDER -> nb ? "rettslig kjennelse" : "court order";
            case LAW -> nb ? "lov" : "law";
            case REGULATION -> nb ? "forskrift" : "regulation";
        };
    }
}
