package no.personvern.catalog;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * The loaded, validated catalog: the single source of truth for what the company does with
 * personal data. Every reference in it (system, processor, category, use, subject) is known.
 */
public record Catalog(
        String source,
        ControllerDetails controller,
        List<TaxonomyTerm> extraDataCategories,
        List<DataSystem> systems,
        List<Activity> activities,
        List<Processor> processors,
        List<RetentionException> retentionExceptions,
        List<LocalizedText> securityMeasures,
        List<Authority> authorities,
        @JsonIgnore Taxonomy taxonomy) {

    public Optional<Activity> activity(String key) {
        return find(activities, activity -> activity.key().equals(key));
    }

    public Optional<DataSystem> system(String key) {
        return find(systems, system -> system.key().equals(key));
    }

    public Optional<Processor> processor(String key) {
        return find(processors, processor -> processor.key().equals(key));
    }

    public Optional<Authority> authority(String key) {
        return find(authorities, authority -> authority.key().equals(key));
    }

    /** The activities carried out by one system. */
    public List<Activity> activitiesOf(String system) {
        return activities.stream().filter(activity -> activity.usesSystem(system)).toList();
    }

    private static <T> Optional<T> find(List<T> items, Predicate<T> test) {
        return items.stream().filter(test).findFirst();
    }
}
