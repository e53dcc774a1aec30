package no.personvern.tracking.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import no.personvern.tracking.PageViewFigures;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * {@link PageViewFigures}: counts per day without the distinct visitors (which would read every hit's
 * row), so that the index answers alone. A day before today is kept for {@link #KEPT}: the pixel's
 * buffer and the website retention change past days only rarely, and then show within that time.
 */
@Component
class PageViewFigureQueries implements PageViewFigures {

    static final Duration KEPT = Duration.ofHours(1);
    static final int MAX_DAYS = 92;
    private static final ZoneId NORWAY = ZoneId.of("Europe/Oslo");

    private final JdbcClient jdbc;
    private final Clock clock;
    private final Map<LocalDate, Counted> past = new ConcurrentHashMap<>();

    private record Counted(long views, Instant at) {
    }

    PageViewFigureQueries(JdbcClient jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    @Override
    public List<Day> daily(LocalDate from, LocalDate to) {
        if (to.isBefore(from) || from.plusDays(MAX_DAYS).isBefore(to.plusDays(1))) {
            throw new IllegalArgumentException("from " + from + " to " + to + ": 1 to " + MAX_DAYS + " days");
        }
        Instant now = clock.instant();
        LocalDate today = LocalDate.ofInstant(now, NORWAY);
        if (past.size() > 4 * MAX_DAYS) {
            past.clear();
        }
        LocalDate firstMissing = null;
        for (LocalDate day = from; !day.isAfter(to); day = day.plusDays(1)) {
            Counted kept = past.get(day);
            if (!day.isBefore(today) || kept == null || kept.at().isBefore(now.minus(KEPT)) || kept.at().isAfter(now)) {
                firstMissing = day;
                break;
            }
        }
        Map<LocalDate, Long> counted = new HashMap<>();
        if (firstMissing != null) {
            jdbc.sql("""
                    SELECT hit_day, COUNT(*) AS views FROM page_hit
                    WHERE hit_day BETWEEN :from AND :to AND event = 'pageview' GROUP BY hit_day""")
                    .param("from", firstMissing).param("to", to)
                    .query(rs -> {
                        counted.put(rs.getObject("hit_day", LocalDate.class), rs.getLong("views"));
                    });
        }
        List<Day> days = new ArrayList<>();
        for (LocalDate day = from; !day.isAfter(to); day = day.plusDays(1)) {
            long views;
            if (firstMissing != null && !day.isBefore(firstMissing)) {
                views = counted.getOrDefault(day, 0L);
                if (day.isBefore(today)) {
                    past.put(day, new Counted(views, now));
                }
            } else {
                views = past.get(day).views();
            }
            days.add(new Day(day, views));
        }
        return days;
    }
}
