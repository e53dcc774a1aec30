package no.personvern.tracking.internal;

import java.lang.management.ManagementFactory;
import java.sql.Types;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Supplier;
import net.javacrumbs.shedlock.core.ClockProvider;
import net.javacrumbs.shedlock.core.LockConfiguration;
import net.javacrumbs.shedlock.core.SimpleLock;
import net.javacrumbs.shedlock.provider.jdbctemplate.JdbcTemplateLockProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Daily roll-ups of the page hits, so that a year of statistics reads a row a day instead of every
 * hit. A day is rolled up once it has ended (the UTC day of {@code page_hit.hit_day}, as the
 * statistics have always counted), by the job {@code pv-stats-rollup} under the ShedLock lease
 * {@code page-hit-rollup}: the views and distinct visitors of the day ({@code page_view_day}) and
 * the hits per campaign ({@code campaign_hit_day}). Distinct visitors cannot be added up from parts
 * of a day, so an ended day is counted whole, from its hits.
 * <p>
 * A day not rolled up (today, a day with late hits) is counted as its hits are flushed, in the
 * flush's transaction ({@link #counted}): running totals of views and campaign hits, and the set of
 * the day's visitors ({@code page_visitor_running}, unique per day) whose newly inserted rows are
 * added to the day's distinct visitors. They are read only while {@code complete}: the day's first
 * flush found no hit of the day stored before, and no sweep deleted hits of it since. The job deletes
 * them when it rolls the day up (the visitor set holds pseudonyms: it never outlives the day's
 * rolling up, nor the hits); the flushes of a day are serialised by its row in {@code page_hit_changed}.
 * <p>
 * Exact, not eventually right: whatever writes or deletes hits of a day (the flush, the retention
 * sweep) marks the day in {@code page_hit_changed} in the same transaction, and a marked day is read
 * from the hits until the job has rolled it up again. The job removes the mark before it counts, in
 * the transaction that writes the roll-up: a writer that commits first is counted (the removal waits
 * for its row lock), one that commits later marks the day again. Today is always marked once a hit
 * has arrived. Run twice, or by two instances at once, a day gives the same rows: whoever removes
 * the mark counts the day; the other finds no mark and leaves it.
 */
@Component
class DailyRollups {

    static final String LOCK = "page-hit-rollup";
    private static final Duration LEASE = Duration.ofMinutes(30);
    private static final Logger log = LoggerFactory.getLogger(DailyRollups.class);

    private final JdbcClient jdbc;
    private final TransactionTemplate transactions;
    private final TransactionTemplate snapshot;
    private final Clock clock;
    private final JdbcTemplateLockProvider locks;
    private final JdbcTemplate template;

    DailyRollups(JdbcClient jdbc, JdbcTemplate template, PlatformTransactionManager transactionManager, Clock clock) {
        this.jdbc = jdbc;
        this.template = template;
        this.transactions = new TransactionTemplate(transactionManager);
        // Roll-ups and hits of one snapshot: a day rolled up between two reads is counted once.
        this.snapshot = new TransactionTemplate(transactionManager);
        this.snapshot.setIsolationLevel(TransactionDefinition.ISOLATION_REPEATABLE_READ);
        this.snapshot.setReadOnly(true);
        this.clock = clock;
        this.locks = new JdbcTemplateLockProvider(JdbcTemplateLockProvider.Configuration.builder()
                .withJdbcTemplate(template)
                .withLockedByValue(ManagementFactory.getRuntimeMXBean().getName() + "/" + UUID.randomUUID())
                .usingDbTime().build());
    }

    /**
     * In the caller's transaction: the hits of these days changed, so their roll-ups are not read
     * until the job has made them again. The update takes the mark's row lock (see the class comment).
     */
    void changed(Collection<LocalDate> days) {
        for (LocalDate day : new TreeSet<>(days)) {
            if (bump(day) == 0
                    && jdbc.sql("INSERT INTO page_hit_changed (hit_day, changes) VALUES (:day, 1) ON CONFLICT DO NOTHING")
                            .param("day", day).update() == 0) {
                bump(day);
            }
        }
    }

    /** The views, campaign hits and visitors of one day in a flushed batch. */
    static final class Flushed {
        long views;
        final Map<String, Long> campaigns = new HashMap<>();
        final TreeSet<String> visitors = new TreeSet<>();

        void add(String event, String campaign, String visitor) {
            if ("pageview".equals(event)) {
                views++;
                if (visitor != null) {
                    visitors.add(visitor);
                }
            } else if ("campaign".equals(event)) {
                campaigns.merge(campaign, 1L, Long::sum);
            }
        }
    }

    /**
     * In the flush's transaction, after {@link #changed} (whose row locks serialise the day's flushes)
     * and before its hits are inserted: adds the batch to the running totals of its days. A day's row
     * is complete when it is made while no hit of the day is stored (hits stored before it are not in it).
     */
    void counted(Map<LocalDate, Flushed> batch) {
        for (Map.Entry<LocalDate, Flushed> entry : new TreeMap<>(batch).entrySet()) {
            LocalDate day = entry.getKey();
            Flushed flushed = entry.getValue();
            long visitors = 0;
            if (!flushed.visitors.isEmpty()) {
                List<Object[]> rows = new ArrayList<>(flushed.visitors.size());
                for (String visitor : flushed.visitors) {
                    rows.add(new Object[] {day, visitor});
                }
                for (int inserted : template.batchUpdate(
                        "INSERT INTO page_visitor_running (hit_day, visitor) VALUES (?, ?) ON CONFLICT DO NOTHING", rows)) {
                    if (inserted < 0) {
                        throw new IllegalStateException("the driver did not report the rows inserted");
                    }
                    visitors += inserted;
                }
            }
            if (addTo(day, flushed.views, visitors) == 0) {
                boolean complete = !jdbc.sql("SELECT COUNT(*) FROM (SELECT 1 FROM page_hit WHERE hit_day = :day"
                        + " FETCH FIRST 1 ROWS ONLY) stored").param("day", day).query(Long.class).single().equals(1L);
                if (jdbc.sql("INSERT INTO page_view_running (hit_day, views, visitors, complete)"
                        + " VALUES (:day, :views, :visitors, :complete) ON CONFLICT DO NOTHING").param("day", day)
                        .param("views", flushed.views).param("visitors", visitors).param("complete", complete)
                        .update() == 0) {
                    addTo(day, flushed.views, visitors);
                }
            }
            for (Map.Entry<String, Long> campaign : flushed.campaigns.entrySet()) {
                if (jdbc.sql("UPDATE campaign_hit_running SET hits = hits + :n WHERE hit_day = :day"
                        + " AND campaign IS NOT DISTINCT FROM :campaign").param("n", campaign.getValue())
                        .param("day", day).param("campaign", campaign.getKey(), Types.VARCHAR).update() == 0) {
                    jdbc.sql("INSERT INTO campaign_hit_running (hit_day, campaign, hits) VALUES (:day, :campaign, :n)")
                            .param("day", day).param("campaign", campaign.getKey(), Types.VARCHAR)
                            .param("n", campaign.getValue()).update();
                }
            }
        }
    }

    private int addTo(LocalDate day, long views, long visitors) {
        return jdbc.sql("UPDATE page_view_running SET views = views + :views, visitors = visitors + :visitors"
                + " WHERE hit_day = :day").param("views", views).param("visitors", visitors).param("day", day).update();
    }

    private int bump(LocalDate day) {
        return jdbc.sql("UPDATE page_hit_changed SET changes = changes + 1 WHERE hit_day = :day").param("day", day).update();
    }

    /**
     * In the retention sweep's transaction, after it deleted hits of the days from {@code first} to
     * {@code last}: their roll-ups go with them, and the days are read from what is left.
     */
    void deleted(LocalDate first, LocalDate last) {
        jdbc.sql("DELETE FROM page_view_day WHERE hit_day BETWEEN :first AND :last").param("first", first)
                .param("last", last).update();
        jdbc.sql("DELETE FROM campaign_hit_day WHERE hit_day BETWEEN :first AND :last").param("first", first)
                .param("last", last).update();
        List<LocalDate> days = new ArrayList<>();
        for (LocalDate day = first; !day.isAfter(last); day = day.plusDays(1)) {
            days.add(day);
        }
        changed(days);
        // The running totals of these days no longer cover the hits: read from the hits until rolled up.
        jdbc.sql("UPDATE page_view_running SET complete = FALSE WHERE hit_day BETWEEN :first AND :last")
                .param("first", first).param("last", last).update();
        jdbc.sql("DELETE FROM page_visitor_running WHERE hit_day BETWEEN :first AND :last").param("first", first)
                .param("last", last).update();
    }

    /** The job: rolls up every ended day marked as changed; 0 while another instance holds the lease. */
    int rollUp() {
        Optional<SimpleLock> lock = locks.lock(new LockConfiguration(ClockProvider.now(), LOCK, LEASE, Duration.ZERO));
        if (lock.isEmpty()) {
            return 0;
        }
        try {
            LocalDate today = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
            List<LocalDate> days = jdbc.sql("SELECT hit_day FROM page_hit_changed WHERE hit_day < :today ORDER BY hit_day")
                    .param("today", today).query(LocalDate.class).list();
            int rolled = 0;
            for (LocalDate day : days) {
                if (Thread.currentThread().isInterrupted()) {
                    break;
                }
                rolled += rollUp(day, today) ? 1 : 0;
            }
            if (rolled > 0) {
                log.info("Statistics: {} days rolled up", rolled);
            }
            return rolled;
        } finally {
            lock.get().unlock();
        }
    }

    /** One ended day, in one transaction; false if it is not marked (another run rolled it up) or not over. */
    boolean rollUp(LocalDate day, LocalDate today) {
        if (!day.isBefore(today)) {
            return false;
        }
        return Boolean.TRUE.equals(transactions.execute(status -> {
            if (jdbc.sql("DELETE FROM page_hit_changed WHERE hit_day = :day").param("day", day).update() == 0) {
                return false;
            }
            jdbc.sql("DELETE FROM page_view_day WHERE hit_day = :day").param("day", day).update();
            jdbc.sql("DELETE FROM campaign_hit_day WHERE hit_day = :day").param("day", day).update();
            // Its running totals and visitor set go: a later flush of the day starts an incomplete one.
            jdbc.sql("DELETE FROM page_visitor_running WHERE hit_day = :day").param("day", day).update();
            jdbc.sql("DELETE FROM campaign_hit_running WHERE hit_day = :day").param("day", day).update();
            jdbc.sql("DELETE FROM page_view_running WHERE hit_day = :day").param("day", day).update();
            long[] views = jdbc.sql("""
                    SELECT COUNT(*) AS views, COUNT(DISTINCT visitor) AS visitors FROM page_hit
                    WHERE hit_day = :day AND event = 'pageview'""").param("day", day)
                    .query((rs, row) -> new long[] {rs.getLong("views"), rs.getLong("visitors")}).single();
            int campaigns = jdbc.sql("""
                    INSERT INTO campaign_hit_day (hit_day, campaign, hits)
                    SELECT hit_day, campaign, COUNT(*) FROM page_hit WHERE hit_day = :day AND event = 'campaign'
                    GROUP BY hit_day, campaign""").param("day", day).update();
            // A day with no hits left (the sweep deleted them) keeps no row: it reads as the hits do, empty.
            if (views[0] > 0 || campaigns > 0) {
                jdbc.sql("INSERT INTO page_view_day (hit_day, views, visitors) VALUES (:day, :views, :visitors)")
                        .param("day", day).param("views", views[0]).param("visitors", views[1]).update();
            }
            return true;
        }));
    }

    /** Views and distinct visitors per day with page views, in day order, as counted from the hits. */
    List<Tracking.DayViews> pageViews(LocalDate from, LocalDate to) {
        return read(() -> {
            TreeMap<LocalDate, Tracking.DayViews> rolled = rolled(from, to);
            TreeMap<LocalDate, Tracking.DayViews> running = running(from, to, rolled);
            List<Tracking.DayViews> days = new ArrayList<>();
            rolled.values().stream().filter(day -> day.views() > 0).forEach(days::add);
            running.values().stream().filter(day -> day.views() > 0).forEach(days::add);
            rolled.putAll(running);
            List<LocalDate[]> unrolled = ranges(from, to, rolled, false);
            if (!unrolled.isEmpty()) {
                Ranges where = new Ranges("hit_day", "r", unrolled);
                where.bind(jdbc.sql("SELECT hit_day, COUNT(*) AS views, COUNT(DISTINCT visitor) AS visitors FROM page_hit"
                        + " WHERE event = 'pageview' AND (" + where.sql + ") GROUP BY hit_day"))
                        .query((rs, row) -> new Tracking.DayViews(rs.getObject("hit_day", LocalDate.class),
                                rs.getLong("views"), rs.getLong("visitors")))
                        .list().forEach(days::add);
            }
            days.sort(Comparator.comparing(Tracking.DayViews::day));
            return days;
        });
    }

    /** Hits per campaign over the days, most first, then by name in the database's order. */
    List<Tracking.CampaignHits> campaigns(LocalDate from, LocalDate to) {
        return read(() -> {
            TreeMap<LocalDate, Tracking.DayViews> rolled = rolled(from, to);
            TreeMap<LocalDate, Tracking.DayViews> running = running(from, to, rolled);
            List<String> parts = new ArrayList<>();
            List<Ranges> bound = new ArrayList<>();
            List<LocalDate[]> runningRanges = ranges(from, to, running, true);
            if (!runningRanges.isEmpty()) {
                Ranges where = new Ranges("hit_day", "n", runningRanges);
                parts.add("SELECT campaign, hits FROM campaign_hit_running WHERE " + where.sql);
                bound.add(where);
            }
            rolled.putAll(running);
            TreeMap<LocalDate, Tracking.DayViews> rolledOnly = new TreeMap<>(rolled);
            rolledOnly.keySet().removeAll(running.keySet());
            List<LocalDate[]> rolledRanges = ranges(from, to, rolledOnly, true);
            if (!rolledRanges.isEmpty()) {
                Ranges where = new Ranges("hit_day", "d", rolledRanges);
                parts.add("SELECT campaign, hits FROM campaign_hit_day WHERE " + where.sql);
                bound.add(where);
            }
            List<LocalDate[]> unrolled = ranges(from, to, rolled, false);
            if (!unrolled.isEmpty()) {
                Ranges where = new Ranges("hit_day", "r", unrolled);
                parts.add("SELECT campaign, COUNT(*) AS hits FROM page_hit WHERE event = 'campaign' AND (" + where.sql
                        + ") GROUP BY campaign");
                bound.add(where);
            }
            if (parts.isEmpty()) {
                return List.<Tracking.CampaignHits>of();
            }
            JdbcClient.StatementSpec statement = jdbc.sql("SELECT campaign, SUM(hits) AS hits FROM ("
                    + String.join(" UNION ALL ", parts) + ") counted GROUP BY campaign ORDER BY 2 DESC, 1");
            for (Ranges where : bound) {
                statement = where.bind(statement);
            }
            return statement.query((rs, row) -> new Tracking.CampaignHits(rs.getString("campaign"), rs.getLong("hits")))
                    .list();
        });
    }

    private <T> T read(Supplier<T> reading) {
        return snapshot.execute(status -> reading.get());
    }

    /** The rolled-up days in the range that have not changed since. */
    private TreeMap<LocalDate, Tracking.DayViews> rolled(LocalDate from, LocalDate to) {
        TreeMap<LocalDate, Tracking.DayViews> rolled = new TreeMap<>();
        jdbc.sql("""
                SELECT v.hit_day, v.views, v.visitors FROM page_view_day v
                WHERE v.hit_day BETWEEN :from AND :to
                AND NOT EXISTS (SELECT 1 FROM page_hit_changed c WHERE c.hit_day = v.hit_day)""")
                .param("from", from).param("to", to)
                .query((rs, row) -> new Tracking.DayViews(rs.getObject("hit_day", LocalDate.class), rs.getLong("views"),
                        rs.getLong("visitors")))
                .list().forEach(day -> rolled.put(day.day(), day));
        return rolled;
    }

    /** The days in the range not in {@code rolled} whose running totals cover all their hits. */
    private TreeMap<LocalDate, Tracking.DayViews> running(LocalDate from, LocalDate to, Map<LocalDate, ?> rolled) {
        TreeMap<LocalDate, Tracking.DayViews> running = new TreeMap<>();
        jdbc.sql("SELECT hit_day, views, visitors FROM page_view_running WHERE complete AND hit_day BETWEEN :from AND :to")
                .param("from", from).param("to", to)
                .query((rs, row) -> new Tracking.DayViews(rs.getObject("hit_day", LocalDate.class), rs.getLong("views"),
                        rs.getLong("visitors")))
                .list().stream().filter(day -> !rolled.containsKey(day.day())).forEach(day -> running.put(day.day(), day));
        return running;
    }

    /** The runs of consecutive days in {@code from..to} that are ({@code rolled}) or are not rolled up. */
    static List<LocalDate[]> ranges(LocalDate from, LocalDate to, TreeMap<LocalDate, ?> rolledDays, boolean rolled) {
        List<LocalDate[]> ranges = new ArrayList<>();
        LocalDate start = null;
        for (LocalDate day = from; !day.isAfter(to); day = day.plusDays(1)) {
            boolean wanted = rolledDays.containsKey(day) == rolled;
            if (wanted && start == null) {
                start = day;
            } else if (!wanted && start != null) {
                ranges.add(new LocalDate[] {start, day.minusDays(1)});
                start = null;
            }
        }
        if (start != null) {
            ranges.add(new LocalDate[] {start, to});
        }
        return ranges;
    }

    /** {@code column BETWEEN … OR …} over runs of days, with named parameters. */
    private static final class Ranges {

        private final String sql;
        private final String prefix;
        private final List<LocalDate[]> ranges;

        Ranges(String column, String prefix, List<LocalDate[]> ranges) {
            List<String> terms = new ArrayList<>();
            for (int i = 0; i < ranges.size(); i++) {
                terms.add(column + " BETWEEN :" + prefix + "f" + i + " AND :" + prefix + "t" + i);
            }
            this.sql = String.join(" OR ", terms);
            this.prefix = prefix;
            this.ranges = ranges;
        }

        JdbcClient.StatementSpec bind(JdbcClient.StatementSpec statement) {
            for (int i = 0; i < ranges.size(); i++) {
                statement = statement.param(prefix + "f" + i, ranges.get(i)[0]).param(prefix + "t" + i, ranges.get(i)[1]);
            }
            return statement;
        }
    }
}
