package no.personvern.requests.internal;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
        engine.process("report", context);
    }

    String render(SubjectView person, List<Disclosure> disclosed, Language language) {
        boolean nb = language == Language.NB;
        Set<String> activityKeys = new LinkedHashSet<>();
        person.data().forEach(value -> activityKeys.add(value.activity()));
        List<Activity> activities = activityKeys.stream().map(key -> catalog.activity(key).orElse(null))
                .filter(a -> a != null).toList();
        ControllerDetails controller = catalog.controller();

        List<Purpose> purposes = activities.stream().map(activity -> new Purpose(activity.name().in(language),
                String.join(", ", activity.purposes().stream().map(p -> catalog.taxonomy().useName(p, language)).toList()),
                activity.legalBasis().key(), activity.legalBasis().article())).toList();
        Set<String> categories = new LinkedHashSet<>();
        person.data().forEach(value -> categories.add(catalog.taxonomy().categoryName(value.category(), language)));
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
        List<String> disclosures = disclosed.stream().map(d -> d.disclosedAt().toString().substring(0, 10) + ": "
                + d.recipientName() + " – " + String.join(", ", d.dataCategories().stream()
                        .map(c -> catalog.taxonomy().categoryName(c, language)).toList())
                + " (" + basisName(d.basis(), nb) + ", " + d.reference() + ")").toList();
        List<String> retention = activities.stream()
                .map(a -> a.name().in(language) + ": " + a.retention().describe(language)).toList();
        Set<String> sources = new LinkedHashSet<>();
        person.data().forEach(value -> sources.add(catalog.system(value.system())
                .map(s -> s.name().in(language)).orElse(value.system())));
        // Art. 15(1)(g): where the data did not come from the person, the source the activity names.
        activities.forEach(activity -> activity.sources().forEach(source -> sources.add(source.in(language))));

        Context context = new Context();
        context.setVariables(Map.of("lang", language.code(), "nb", nb, "controller", controller,
                "purposes", purposes, "categories", List.copyOf(categories), "recipients", recipients,
                "disclosures", disclosures, "transfers", transfers.isEmpty() ? "" : String.join("; ", transfers),
                "retention", retention, "sources", List.copyOf(sources)));
        return engine.process("report", context);
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
