package no.personvern.catalog;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The loaded, validated catalog: the single source of truth for what the company does with
 * personal data. Every reference in it (system, processor, category, use, subject) is known, and
 * it holds an activity for each of Personvern's own processings (declared, or built in).
 *
 * @param lists the subscription lists, each a consent-based e-mail activity
 * @param warnings declarations that need judgement, printed at start-up ({@code file:line: what to check})
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
        List<MailingList> lists,
        @JsonIgnore Taxonomy taxonomy,
        List<String> warnings) {

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

    public Optional<MailingList> list(String name) {
        return find(lists, list -> list.name().equals(name));
    }

    /** The activities carried out by one system. */
    public List<Activity> activitiesOf(String system) {
        return activities.stream().filter(activity -> activity.usesSystem(system)).toList();
    }

    /**
     * The activity under which Personvern carries out its own processing of this kind, declared
     * by the catalog or built in; empty only for consent proof in a catalog that asks for no consent.
     */
    public Optional<Activity> activityFor(OwnProcessing processing) {
        return find(activities, activity -> activity.personvern() == processing);
    }

    /**
     * Where a requester's address is held (Art. 12–22): the activity that handles data-subject
     * requests and its first system. Every loaded catalog has one.
     */
    @JsonIgnore
    public Source requestHandling() {
        Activity activity = activityFor(OwnProcessing.DATA_SUBJECT_REQUESTS).orElseThrow();
        return new Source(activity.systems().get(0), activity.key());
    }

    /**
     * How long an activity keeps its data, in words, as the notice, the record (Art. 30(1)(f)) and
     * the access report all say it. Where a retention exception keeps some of the activity's
     * categories (bokføringsloven § 13), the exception's rule replaces the activity's for them: those
     * categories are kept counted from the end of the financial year, never "after collection"; the
     * activity's own rule is named only for the categories no exception covers.
     */
    public String retentionText(Activity activity, Language language) {
        boolean nb = language == Language.NB;
        List<String> kept = new ArrayList<>();
        Set<String> covered = new LinkedHashSet<>();
        for (RetentionException exception : retentionExceptions) {
            List<String> held = exception.dataCategories().stream().filter(activity::declaresCategory)
                    .filter(key -> exception.covers(key, activity.key())).filter(covered::add).toList();
            if (!held.isEmpty()) {
                kept.add(names(held, language) + (nb ? " oppbevares i " : " are kept for ")
                        + exception.describe(language) + (nb ? ", etter " : ", under ") + exception.law());
            }
        }
        if (kept.isEmpty()) {
            return activity.retention().describe(language);
        }
        List<String> others = activity.dataCategories().stream().filter(key -> !covered.contains(key)).toList();
        List<String> parts = new ArrayList<>(kept);
        if (!others.isEmpty()) {
            parts.add((nb ? "øvrige opplysninger (" : "other data (") + names(others, language) + "): "
                    + activity.retention().describe(language));
        }
        return String.join("; ", parts);
    }

    private String names(List<String> categories, Language language) {
        return String.join(", ", categories.stream().map(key -> taxonomy.categoryName(key, language)).toList());
    }

    /**
     * The category a request's message (free text the person wrote) is kept under: the first
     * {@code user.content} category of the activity for handling requests. Every loaded catalog has one.
     */
    @JsonIgnore
    public String requestMessageCategory() {
        return activityFor(OwnProcessing.DATA_SUBJECT_REQUESTS).orElseThrow().contentCategories().get(0);
    }

    /** A system and one of its activities: where a write is stored. */
    public record Source(String system, String activity) {
    }

    private static <T> Optional<T> find(List<T> items, Predicate<T> test) {
        return items.stream().filter(test).findFirst();
    }
}
