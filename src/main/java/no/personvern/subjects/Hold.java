package no.personvern.subjects;

import java.time.Instant;
import java.util.Set;

/**
 * A reason to keep some categories through an erasure (Art. 17(3)(b)): a retention exception
 * such as bokføringsloven § 13, a legal hold, or data processed for a customer who decides
 * (Art. 28(3)(e)). Held values are kept restricted until {@code until} (null: until released).
 *
 * @param activities the activities whose values the hold covers; empty means every activity
 */
public record Hold(String reason, Instant until, Set<String> categories, Set<String> activities) {

    public Hold(String reason, Instant until, Set<String> categories) {
        this(reason, until, categories, Set.of());
    }

    public boolean covers(String category, String activity) {
        return categories.contains(category) && (activities.isEmpty() || activities.contains(activity));
    }
}
