package no.personvern.catalog;

import java.time.Instant;
import java.time.LocalDate;
import java.time.MonthDay;
import java.time.ZoneId;
import java.util.List;

/**
 * A legal obligation to keep data that overrides erasure and retention (Art. 17(3)(b)), e.g.
 * bokføringsloven § 13: accounting documentation is kept for five years after the end of the
 * financial year.
 *
 * @param activities the activities whose data is the documentation the law means (the newsletter's
 *     copy of a name is not an accounting record); empty means every activity
 * @param financialYearEnd the last day of the controller's financial year (the catalog's
 *     {@code controller.financialYearEnd}, by default 31 December)
 */
public record RetentionException(String key, String law, LocalizedText description, List<String> dataCategories,
        IsoPeriod keepFor, List<String> activities, MonthDay financialYearEnd) {

    private static final ZoneId NORWAY = ZoneId.of("Europe/Oslo");

    /** An obligation of a controller whose financial year is the calendar year. */
    public RetentionException(String key, String law, LocalizedText description, List<String> dataCategories,
            IsoPeriod keepFor, List<String> activities) {
        this(key, law, description, dataCategories, keepFor, activities, ControllerDetails.CALENDAR_YEAR_END);
    }

    /**
     * Until when a value collected at {@code collectedAt} must be kept: {@code keepFor} after the
     * end of the financial year in which it was collected (bokføringsloven § 13), the year's last
     * day taken to its end in Norway.
     */
    public Instant keptUntil(Instant collectedAt) {
        LocalDate collected = LocalDate.ofInstant(collectedAt, NORWAY);
        LocalDate yearEnd = financialYearEnd.atYear(collected.getYear());
        if (yearEnd.isBefore(collected)) {
            yearEnd = financialYearEnd.atYear(collected.getYear() + 1);
        }
        return keepFor.addTo(yearEnd.plusDays(1).atStartOfDay(NORWAY).toInstant());
    }

    /**
     * How long, in words, for the notice, the record and letters: "5 years after the end of the
     * financial year in which it was collected (the financial year ends on 31 December)".
     */
    public String describe(Language language) {
        boolean nb = language == Language.NB;
        String end = nb ? financialYearEnd.getDayOfMonth() + ". " + MONTHS_NB[financialYearEnd.getMonthValue() - 1]
                : financialYearEnd.getDayOfMonth() + " " + MONTHS_EN[financialYearEnd.getMonthValue() - 1];
        return nb ? keepFor.describe(language) + " etter utgangen av regnskapsåret de ble samlet inn i"
                        + " (regnskapsåret slutter " + end + ")"
                : keepFor.describe(language) + " after the end of the financial year in which they were collected"
                        + " (the financial year ends on " + end + ")";
    }

    private static final String[] MONTHS_NB = {"januar", "februar", "mars", "april", "mai", "juni", "juli",
        "august", "september", "oktober", "november", "desember"};
    private static final String[] MONTHS_EN = {"January", "February", "March", "April", "May", "June", "July",
        "August", "September", "October", "November", "December"};

    /** Whether the obligation covers this category as held for this activity. */
    public boolean covers(String category, String activity) {
        return dataCategories.contains(category) && (activities.isEmpty() || activities.contains(activity));
    }
}
