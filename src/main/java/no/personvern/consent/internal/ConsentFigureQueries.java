package no.personvern.consent.internal;

import java.time.Clock;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import no.personvern.consent.ConsentFigures;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * {@link ConsentFigures}: one grouped count per week over {@code consent_record_rates}. A week that
 * has ended is kept in memory for {@link #KEPT}, so that the dashboard reads only the current week
 * per view; records deleted or added late show within that time.
 */
@Component
class ConsentFigureQueries implements ConsentFigures {

    static final Duration KEPT = Duration.ofHours(1);
    private static final ZoneId NORWAY = ZoneId.of("Europe/Oslo");
    private static final int MAX_WEEKS = 104;

    private final JdbcClient jdbc;
    private final Clock clock;
    private final Map<LocalDate, Counted> ended = new ConcurrentHashMap<>();

    private record Counted(Week week, Instant at) {
    }

    ConsentFigureQueries(JdbcClient jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    @Override
    public List<Week> weekly(LocalDate today, int weeks) {
        int count = Math.max(1, Math.min(weeks, MAX_WEEKS));
        LocalDate current = today.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
        Instant now = clock.instant();
        if (ended.size() > 4 * MAX_WEEKS) {
            ended.clear();
        }
        List<Week> result = new ArrayList<>();
        for (int i = count - 1; i >= 0; i--) {
            LocalDate start = current.minusWeeks(i);
            if (i == 0) {
                result.add(count(start));
                continue;
            }
            Counted kept = ended.get(start);
            if (kept == null || kept.at().isBefore(now.minus(KEPT)) || kept.at().isAfter(now)) {
                kept = new Counted(count(start), now);
                ended.put(start, kept);
            }
            result.add(kept.week());
        }
        return result;
    }

    private Week count(LocalDate start) {
        Map<String, long[]> counts = new TreeMap<>();
        jdbc.sql("""
                SELECT purpose, granted, COUNT(*) AS decisions FROM consent_record
                WHERE recorded_at >= :from AND recorded_at < :to GROUP BY purpose, granted""")
                .param("from", OffsetDateTime.ofInstant(start.atStartOfDay(NORWAY).toInstant(), NORWAY))
                .param("to", OffsetDateTime.ofInstant(start.plusWeeks(1).atStartOfDay(NORWAY).toInstant(), NORWAY))
                .query(rs -> {
                    long[] pair = counts.computeIfAbsent(rs.getString("purpose"), purpose -> new long[2]);
                    pair[rs.getBoolean("granted") ? 0 : 1] += rs.getLong("decisions");
                });
        Map<String, Decisions> byPurpose = new LinkedHashMap<>();
        counts.forEach((purpose, pair) -> byPurpose.put(purpose, new Decisions(pair[0], pair[1])));
        return new Week(start, java.util.Collections.unmodifiableMap(byPurpose));
    }
}
