package no.personvern.catalog;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;

/**
 * A legal obligation to keep data that overrides erasure and retention (Art. 17(3)(b)), e.g.
 * bokføringsloven § 13: accounting documentation is kept for five years.
 *
 * @param activities the activities whose data is the documentation the law means (the newsletter's
 *     copy of a name is not an accounting record); empty means every activity
 */
public record RetentionException(String key, String law, LocalizedText description, List<String> dataCategories,
        IsoPeriod keepFor, List<String> activities) {

    private static final ZoneId NORWAY = ZoneId.of("Europe/Oslo");

    /**
     * Until when a value collected at {@code collectedAt} must be kept: {@code keepFor} after the
     * end of the financial year it belongs to (bokføringsloven § 13), taken as the calendar year in
     * Norway, the default financial year of Norwegian companies.
     */
    public Instant keptUntil(Instant collectedAt) {
        LocalDate nextYear = LocalDate.ofInstant(collectedAt, NORWAY).withDayOfYear(1).plusYears(1);
        return keepFor.addTo(nextYear.atStartOfDay(NORWAY).toInstant());
    }

    /** Whether the obligation covers this category as held for this activity. */
    public boolean covers(String category, String activity) {
        return dataCategories.contains(category) && (activities.isEmpty() || activities.contains(activity));
    }
}
