package no.personvern.subjects;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import no.personvern.catalog.Activity;
import no.personvern.catalog.Catalog;
import no.personvern.catalog.RetentionException;
import no.personvern.catalog.Role;

/**
 * A reason to keep some categories through an erasure (Art. 17(3)(b)): a retention exception
 * such as bokføringsloven § 13, a legal hold, or data processed for a customer who decides
 * (Art. 28(3)(e)). Held values are kept restricted until {@code until} (null: until released).
 *
 * @param activities the activities whose values the hold covers; empty means every activity
 */
public record Hold(String reason, Instant until, Set<String> categories, Set<String> activities,
        RetentionException exception) {

    public Hold(String reason, Instant until, Set<String> categories) {
        this(reason, until, categories, Set.of(), null);
    }

    public Hold(String reason, Instant until, Set<String> categories, Set<String> activities) {
        this(reason, until, categories, activities, null);
    }

    /** Until when a value collected then is kept: by the retention exception's rule, or {@code until}. */
    public Instant untilFor(Instant collectedAt) {
        return exception == null ? until : exception.keptUntil(collectedAt);
    }

    /** Art. 28(3)(e): what the company processes for a customer is kept for the customer to decide on. */
    public static final String PROCESSOR_HOLD = "processor-for-customer (Art. 28(3)(e))";

    /**
     * The holds the catalog requires on any erasure from {@code now}: each retention exception
     * (e.g. bookkeeping: 5 years after the end of the year each value belongs to; {@code until} is
     * the latest such end, for a value collected now) and the data of activities the company
     * carries out as processor (until the customer decides).
     */
    public static List<Hold> requiredBy(Catalog catalog, Instant now) {
        List<Hold> holds = new ArrayList<>();
        catalog.retentionExceptions().forEach(exception -> holds.add(new Hold(
                "retention-exception:" + exception.key() + " (" + exception.law() + ")",
                exception.keptUntil(now), Set.copyOf(exception.dataCategories()),
                Set.copyOf(exception.activities()), exception)));
        for (Activity activity : catalog.activities()) {
            if (activity.role() == Role.PROCESSOR) {
                holds.add(new Hold(PROCESSOR_HOLD, null, Set.copyOf(activity.dataCategories()), Set.of(activity.key())));
            }
        }
        return List.copyOf(holds);
    }

    public boolean covers(String category, String activity) {
        return categories.contains(category) && (activities.isEmpty() || activities.contains(activity));
    }
}
