package no.personvern.catalog;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.util.List;
import java.util.Optional;
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
     * the access report all say it: the activity's rule, and where a retention exception keeps some
     * of its categories longer, until when (counted from the end of the financial year).
     */
    public String retentionText(Activity activity, Language language) {
        StringBuilder text = new StringBuilder(activity.retention().describe(language));
        for (RetentionException exception : retentionExceptions) {
            List<String> held = exception.dataCategories().stream().filter(activity::declaresCategory)
                    .filter(key -> exception.covers(key, activity.key()))
                    .map(key -> taxonomy.categoryName(key, language)).toList();
            if (!held.isEmpty()) {
                boolean nb = language == Language.NB;
                text.append(nb ? "; unntak: " : "; exception: ").append(String.join(", ", held))
                        .append(nb ? " oppbevares i " : " are kept for ").append(exception.describe(language))
                        .append(nb ? ", etter " : ", under ").append(exception.law());
            }
        }
        return text.toString();
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
