package no.personvern.catalog.internal;

import java.io.Reader;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import no.personvern.catalog.Activity;
import no.personvern.catalog.Authority;
import no.personvern.catalog.Catalog;
import no.personvern.catalog.CatalogInvalidException;
import no.personvern.catalog.ControllerDetails;
import no.personvern.catalog.DataSystem;
import no.personvern.catalog.LocalizedText;
import no.personvern.catalog.MailingList;
import no.personvern.catalog.Processor;
import no.personvern.catalog.RetentionException;
import no.personvern.catalog.Taxonomy;
import no.personvern.catalog.TaxonomyTerm;
import no.personvern.catalog.internal.YamlWalker.Fields;
import org.yaml.snakeyaml.nodes.Node;

/**
 * Reads a catalog YAML file into a {@link Catalog}: each part by its reader, then the checks
 * across parts. All problems are collected and reported together, each as
 * {@code file:line: what is wrong 'value'}.
 */
final class CatalogReader {

    private CatalogReader() {
    }

    /**
     * Reads and validates a catalog.
     *
     * @param file the name used in problem messages
     * @param environment looks up {@code ${NAME}} variables (normally {@code System::getenv})
     * @throws CatalogInvalidException naming every problem found
     */
    static Catalog read(String file, Reader source, Function<String, String> environment, Taxonomy taxonomy) {
        LocatedProblems problems = new LocatedProblems(file);
        YamlWalker yaml = new YamlWalker(problems, new Placeholders(environment));
        Node root = yaml.compose(source);
        Fields top = yaml.fields(root, "catalog", "controller", "taxonomy", "systems", "activities", "processors",
                "retentionExceptions", "securityMeasures", "authorities");
        if (top == null) {
            problems.throwIfAny(); // the root is not a mapping, and fields() has said so
        }
        RegisterReader registers = new RegisterReader(yaml);
        ControllerDetails controller = new ControllerReader(yaml).read(top);
        List<TaxonomyTerm> extraCategories = registers.extraCategories(top, taxonomy);
        Taxonomy extended = taxonomy.withDataCategories(extraCategories);
        List<DataSystem> systems = registers.systems(top);
        List<Processor> processors = new ProcessorReader(yaml, extended).read(top);
        List<RetentionException> exceptions = registers.retentionExceptions(top, extended,
                controller == null ? ControllerDetails.CALENDAR_YEAR_END : controller.financialYearEnd());
        Set<String> processorKeys = keys(processors, Processor::key);
        ActivityReader activityReader = new ActivityReader(yaml, extended);
        List<Activity> activities = activityReader.read(top, keys(systems, DataSystem::key), processorKeys);

        CrossReferenceChecks checks = new CrossReferenceChecks(problems, activityReader.lines());
        checks.ownProcessing(activities);
        checks.retentionClocks(activities);
        List<MailingList> lists = checks.lists(activities, systems);
        checks.exceptionActivities(registers.exceptionActivities(), keys(activities, Activity::key));
        List<LocalizedText> securityMeasures = registers.securityMeasures(top);
        List<Authority> authorities = registers.authorities(top);
        checks.authorityKeys(registers.authorityKeys(), processorKeys);
        List<String> warnings = new ArrayList<>();
        new LawfulnessChecks(file, problems, warnings, activityReader.lines()).check(activities);
        checks.addBuiltIns(activities, systems);
        problems.throwIfAny();
        return new Catalog(file, controller, List.copyOf(extraCategories), List.copyOf(systems),
                List.copyOf(activities), List.copyOf(processors), List.copyOf(exceptions),
                List.copyOf(securityMeasures), List.copyOf(authorities), List.copyOf(lists), extended,
                List.copyOf(warnings));
    }

    private static <T> Set<String> keys(List<T> items, Function<T, String> key) {
        Set<String> keys = new LinkedHashSet<>();
        items.forEach(item -> keys.add(key.apply(item)));
        return keys;
    }
}
