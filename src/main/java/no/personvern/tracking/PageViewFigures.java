package no.personvern.tracking;

import java.time.LocalDate;
import java.util.List;

/**
 * Page views per day for the console's dashboard, from the same hits as {@code GET
 * /api/v1/stats/pageviews}, counted on the index {@code page_hit_day (hit_day, event)}. Days that have
 * ended are kept in memory for a while, so that a view counts only today's hits.
 */
public interface PageViewFigures {

    /** The views of each day from {@code from} to {@code to} (inclusive, at most 92 days), zero where none. */
    List<Day> daily(LocalDate from, LocalDate to);

    record Day(LocalDate day, long views) {
    }
}
