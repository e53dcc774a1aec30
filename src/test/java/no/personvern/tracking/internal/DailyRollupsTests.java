package no.personvern.tracking.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import no.personvern.retention.RetentionParticipant;
import no.personvern.testing.Api;
import no.personvern.testing.DatabaseTest;
import no.personvern.testing.MutableClock;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The statistics read from daily roll-ups answer exactly as the hits do: the same JSON before and
 * after the job, whatever the job has or has not done yet, with late hits and the retention sweep.
 */
@DatabaseTest
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = {"personvern.tracking.rollup-interval=PT100H",
    "personvern.retention.cron=-"})
class DailyRollupsTests {

    /** Late morning in Oslo; the statistics' days are UTC days, as {@code page_hit.hit_day} always was. */
    private static final Instant NOW = Instant.parse("2026-03-12T10:00:00Z");
    private static final LocalDate TODAY = LocalDate.parse("2026-03-12");

    /** The statistics as they were counted before roll-ups, straight from the hits. */
    private static final String HITS_PAGEVIEWS = """
            SELECT hit_day, COUNT(*) AS views, COUNT(DISTINCT visitor) AS visitors FROM page_hit
            WHERE event = 'pageview' AND hit_day BETWEEN :from AND :to GROUP BY hit_day ORDER BY hit_day""";
    private static final String HITS_CAMPAIGNS = """
            SELECT campaign, COUNT(*) AS hits FROM page_hit
            WHERE event = 'campaign' AND hit_day BETWEEN :from AND :to GROUP BY campaign ORDER BY hits DESC, campaign""";

    @TestConfiguration
    static class Time {
        @Bean
        @Primary
        MutableClock testClock() {
            return new MutableClock(NOW);
        }
    }

    @LocalServerPort
    int port;

    @Autowired
    MutableClock clock;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    Hits hits;

    @Autowired
    DailyRollups rollups;

    @Autowired
    WebsiteRetention retention;

    Api api;

    @BeforeEach
    void setUp() {
        api = new Api(port);
        clock.set(NOW);
        hits.flush();
        for (String table : List.of("page_hit", "page_view_day", "campaign_hit_day", "page_hit_changed", "page_view_running",
                "campaign_hit_running", "page_visitor_running")) {
            jdbc.sql("DELETE FROM " + table).update();
        }
        // The lock provider remembers that the lease's row exists: it is released, never deleted.
        jdbc.sql("UPDATE shedlock SET lock_until = TIMESTAMP '2000-01-01 00:00:00' WHERE name = :name")
                .param("name", DailyRollups.LOCK).update();
        // Around midnight UTC (an hour later in Oslo), days with campaigns only, ties between campaigns.
        pageView("2026-03-08T08:00:00Z", "a");
        pageView("2026-03-08T09:00:00Z", "a");
        pageView("2026-03-08T23:59:59Z", "b");
        campaign("2026-03-08T10:00:00Z", "vår");
        campaign("2026-03-08T10:00:01Z", "vår");
        campaign("2026-03-08T11:00:00Z", "høst");
        pageView("2026-03-09T06:00:00Z", "c");
        pageView("2026-03-09T23:30:00Z", "c");
        pageView("2026-03-10T00:30:00Z", "c");
        campaign("2026-03-10T00:10:00Z", "høst");
        campaign("2026-03-10T12:00:00Z", "høst");
        campaign("2026-03-11T12:00:00Z", "alfa");
        campaign("2026-03-11T12:00:01Z", "alfa");
        campaign("2026-03-11T12:00:02Z", "alfa");
        pageView("2026-03-12T00:00:00Z", "d");
        pageView("2026-03-12T09:59:00Z", "e");
        hits.flush();
    }

    @Test
    void theSameHitsGiveTheSameAnswersWithAndWithoutRollUps() {
        List<String> before = answers();
        assertThat(before).isEqualTo(fromTheHits());

        assertThat(days("page_hit_changed")).as("marked by the flush")
                .containsExactly("2026-03-08", "2026-03-09", "2026-03-10", "2026-03-11", "2026-03-12");
        assertThat(rollups.rollUp()).as("the four ended days with hits").isEqualTo(4);

        assertThat(days("page_view_day")).containsExactly("2026-03-08", "2026-03-09", "2026-03-10", "2026-03-11");
        assertThat(answers()).isEqualTo(before);
        assertThat(api.get("/api/v1/stats/pageviews?from=2026-03-09&to=2026-03-10", Api.ADMIN_TOKEN).body())
                .as("the UTC day of each hit, as before: 23:30 UTC is the day before in Oslo")
                .isEqualTo("{\"total\":3,\"byDay\":[{\"day\":\"2026-03-09\",\"views\":2,\"visitors\":1},"
                        + "{\"day\":\"2026-03-10\",\"views\":1,\"visitors\":1}]}");
    }

    @Test
    void endedDaysAreReadFromTheirRollUpsAndTodayFromItsRunningTotals() {
        rollups.rollUp();
        // Removed behind the statistics' back (no mark): neither a rolled-up day nor today is read from its hits.
        jdbc.sql("DELETE FROM page_hit WHERE hit_day = :day").param("day", LocalDate.parse("2026-03-08")).update();
        jdbc.sql("DELETE FROM page_hit WHERE at = :at")
                .param("at", Instant.parse("2026-03-12T09:59:00Z").atOffset(ZoneOffset.UTC)).update();

        String views = api.get("/api/v1/stats/pageviews?from=2026-03-08&to=2026-03-12", Api.ADMIN_TOKEN).body();
        assertThat(views).contains("{\"day\":\"2026-03-08\",\"views\":3,\"visitors\":2}")
                .contains("{\"day\":\"2026-03-12\",\"views\":2,\"visitors\":2}");
        assertThat(api.get("/api/v1/stats/campaigns?from=2026-03-08&to=2026-03-08", Api.ADMIN_TOKEN).body())
                .isEqualTo("{\"campaigns\":[{\"campaign\":\"vår\",\"hits\":2},{\"campaign\":\"høst\",\"hits\":1}]}");
    }

    @Test
    void aDayTheJobHasNotRolledUpYetIsCountedFromItsHitsNeverAsZero() {
        rollups.rollUp();
        pageView("2026-03-05T12:00:00Z", "f");
        campaign("2026-03-05T12:00:00Z", "vår");
        hits.flush();

        assertThat(days("page_view_day")).doesNotContain("2026-03-05");
        assertThat(answers()).isEqualTo(fromTheHits());
        assertThat(api.get("/api/v1/stats/pageviews?from=2026-03-05&to=2026-03-05", Api.ADMIN_TOKEN).body())
                .isEqualTo("{\"total\":1,\"byDay\":[{\"day\":\"2026-03-05\",\"views\":1,\"visitors\":1}]}");
    }

    @Test
    void aHitFlushedAfterItsDayWasRolledUpIsCountedAtOnceAndRolledUpAgain() {
        rollups.rollUp();
        // An instance whose buffer (or clock) lagged writes a hit of a day already rolled up.
        pageView("2026-03-08T23:59:59.900Z", "g");
        campaign("2026-03-08T23:59:59.950Z", "høst");
        hits.flush();

        assertThat(answers()).isEqualTo(fromTheHits());
        assertThat(days("page_hit_changed")).contains("2026-03-08");
        assertThat(rollups.rollUp()).isEqualTo(1);
        assertThat(jdbc.sql("SELECT views || '/' || visitors FROM page_view_day WHERE hit_day = :day")
                .param("day", LocalDate.parse("2026-03-08")).query(String.class).single()).isEqualTo("4/3");
        assertThat(answers()).isEqualTo(fromTheHits());
    }

    @Test
    void rollingUpTwiceGivesTheSameRowsAndTodayWaitsUntilItHasEnded() {
        rollups.rollUp();
        List<String> first = rows();
        assertThat(rollups.rollUp()).as("nothing changed").isZero();
        rollups.changed(List.of(LocalDate.parse("2026-03-08"), LocalDate.parse("2026-03-10"), LocalDate.parse("2026-03-11")));
        assertThat(rollups.rollUp()).isEqualTo(3);
        assertThat(rows()).isEqualTo(first);

        assertThat(rollups.rollUp(TODAY, TODAY)).isFalse();
        assertThat(days("page_view_day")).doesNotContain(TODAY.toString());
        clock.set(Instant.parse("2026-03-13T00:00:00Z"));
        assertThat(rollups.rollUp()).isEqualTo(1);
        assertThat(days("page_view_day")).contains(TODAY.toString());
        assertThat(answers()).isEqualTo(fromTheHits());
    }

    @Test
    void twoRunsAtOnceRollUpADayOnce() throws Exception {
        LocalDate day = LocalDate.parse("2026-03-08");
        CountDownLatch start = new CountDownLatch(1);
        List<CompletableFuture<Boolean>> runs = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            runs.add(CompletableFuture.supplyAsync(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return rollups.rollUp(day, TODAY);
            }));
        }
        start.countDown();

        assertThat(runs.stream().map(CompletableFuture::join).filter(Boolean::booleanValue)).hasSize(1);
        assertThat(jdbc.sql("SELECT COUNT(*) FROM campaign_hit_day WHERE hit_day = :day").param("day", day)
                .query(Long.class).single()).isEqualTo(2);
        assertThat(answers()).isEqualTo(fromTheHits());
    }

    @Test
    void anotherInstanceHoldingTheLeaseMeansThisOneRollsUpNothing() {
        rollups.rollUp();
        rollups.changed(List.of(LocalDate.parse("2026-03-08")));
        jdbc.sql("UPDATE shedlock SET lock_until = TIMESTAMP '2999-01-01 00:00:00', locked_by = 'other-instance'"
                + " WHERE name = :name").param("name", DailyRollups.LOCK).update();

        assertThat(rollups.rollUp()).isZero();
        assertThat(days("page_hit_changed")).as("left for the other instance").contains("2026-03-08");
        assertThat(answers()).isEqualTo(fromTheHits());
    }

    @Test
    void theSweepTakesTheRollUpsOfTheDaysItDeletesFromWithTheHits() {
        rollups.rollUp();
        // Thirteen months after noon of 9 March: that morning's page view goes, its evening's stays.
        Instant asOf = Instant.parse("2027-04-09T12:00:00Z");
        RetentionParticipant.Batch batch;
        do {
            batch = retention.sweep(asOf, false, 2);
        } while (batch.more());

        assertThat(days("page_view_day")).doesNotContain("2026-03-08", "2026-03-09");
        assertThat(answers()).isEqualTo(fromTheHits());
        rollups.rollUp();
        assertThat(jdbc.sql("SELECT views FROM page_view_day WHERE hit_day = :day")
                .param("day", LocalDate.parse("2026-03-09")).query(Long.class).single()).isEqualTo(1);
        assertThat(answers()).isEqualTo(fromTheHits());
    }

    @Test
    void anEmptyOrReversedRangeAnswersNothing() {
        rollups.rollUp();

        assertThat(api.get("/api/v1/stats/pageviews?from=2026-03-01&to=2026-03-04", Api.ADMIN_TOKEN).body())
                .isEqualTo("{\"total\":0,\"byDay\":[]}");
        assertThat(api.get("/api/v1/stats/pageviews?from=2026-03-11&to=2026-03-08", Api.ADMIN_TOKEN).body())
                .isEqualTo("{\"total\":0,\"byDay\":[]}");
        assertThat(api.get("/api/v1/stats/campaigns?from=2026-03-11&to=2026-03-08", Api.ADMIN_TOKEN).body())
                .isEqualTo("{\"campaigns\":[]}");
        assertThat(answers()).isEqualTo(fromTheHits());
    }

    @Test
    void todayCountedAsItsHitsAreFlushedEqualsTheCountOfItsHits() {
        rollups.rollUp();
        // The same visitors again in later flushes, in the same batch, and new ones; campaigns today.
        pageView("2026-03-12T10:00:00Z", "d");
        pageView("2026-03-12T10:00:01Z", "d");
        pageView("2026-03-12T10:00:02Z", "f");
        campaign("2026-03-12T10:00:03Z", "vår");
        hits.flush();
        pageView("2026-03-12T10:01:00Z", "e");
        pageView("2026-03-12T10:01:00Z", "f");
        pageView("2026-03-12T10:01:00Z", "g");
        campaign("2026-03-12T10:01:01Z", "vår");
        campaign("2026-03-12T10:01:02Z", "alfa");
        hits.flush();

        assertThat(running(TODAY)).isEqualTo("8/4/true");
        assertThat(visitorSet(TODAY)).containsExactly("d", "e", "f", "g");
        assertThat(answers()).isEqualTo(fromTheHits());
        // Read from the running totals, not from the hits: a campaign hit removed behind their back still counts.
        jdbc.sql("DELETE FROM page_hit WHERE hit_day = :day AND campaign = 'alfa'").param("day", TODAY).update();
        assertThat(api.get("/api/v1/stats/campaigns?from=2026-03-12&to=2026-03-12", Api.ADMIN_TOKEN).body())
                .isEqualTo("{\"campaigns\":[{\"campaign\":\"vår\",\"hits\":2},{\"campaign\":\"alfa\",\"hits\":1}]}");
    }

    @Test
    void twoInstancesFlushingTheSameVisitorAtOnceCountItOnce() throws Exception {
        String before = running(TODAY);
        assertThat(before).isEqualTo("2/2/true");
        CountDownLatch start = new CountDownLatch(1);
        List<CompletableFuture<Void>> flushes = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            String at = "2026-03-12T10:00:0" + i + "Z";
            // Two batches, as two instances' buffers flush them, each on a connection of its own.
            flushes.add(CompletableFuture.runAsync(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                hits.write(batch(at, "z", "d"), days(at, "z", "d"));
            }));
        }
        start.countDown();
        flushes.forEach(CompletableFuture::join);

        assertThat(running(TODAY)).as("4 views more, 1 visitor more: d was counted before, z once").isEqualTo("6/3/true");
        assertThat(answers()).isEqualTo(fromTheHits());
    }

    @Test
    void aFlushThatRollsBackAddsNothingAndItsVisitorIsCountedWhenItComes() {
        String at = "2026-03-12T10:00:00Z";
        List<Object[]> rows = batch(at, "z");
        // The hits cannot be stored (an event longer than the column): the whole flush rolls back.
        rows.get(0)[2] = "pageview-too-long";
        assertThatThrownBy(() -> hits.write(rows, days(at, "z"))).isInstanceOf(DataAccessException.class);

        assertThat(running(TODAY)).isEqualTo("2/2/true");
        assertThat(visitorSet(TODAY)).doesNotContain("z");
        hits.write(batch(at, "z"), days(at, "z"));
        assertThat(running(TODAY)).isEqualTo("3/3/true");
        assertThat(answers()).isEqualTo(fromTheHits());
    }

    @Test
    void aDayWithHitsStoredBeforeItsRunningTotalsIsReadFromItsHits() {
        // Hits stored before this version, or before the day's running totals began: not in them.
        jdbc.sql("DELETE FROM page_view_running").update();
        jdbc.sql("DELETE FROM page_visitor_running").update();
        jdbc.sql("DELETE FROM campaign_hit_running").update();
        pageView("2026-03-12T10:00:00Z", "d");
        pageView("2026-03-12T10:00:00Z", "h");
        hits.flush();

        assertThat(running(TODAY)).isEqualTo("2/2/false");
        assertThat(api.get("/api/v1/stats/pageviews?from=2026-03-12&to=2026-03-12", Api.ADMIN_TOKEN).body())
                .isEqualTo("{\"total\":4,\"byDay\":[{\"day\":\"2026-03-12\",\"views\":4,\"visitors\":3}]}");
        assertThat(answers()).isEqualTo(fromTheHits());
    }

    @Test
    void theJobDeletesTheVisitorSetOfADayItRollsUpAndALateFlushIsNotReadFromRunningTotals() {
        assertThat(visitorSet(LocalDate.parse("2026-03-08"))).containsExactly("a", "b");
        rollups.rollUp();
        for (String day : List.of("2026-03-08", "2026-03-09", "2026-03-10", "2026-03-11")) {
            assertThat(visitorSet(LocalDate.parse(day))).isEmpty();
            assertThat(running(LocalDate.parse(day))).isNull();
        }
        assertThat(visitorSet(TODAY)).containsExactly("d", "e");
        pageView("2026-03-08T12:00:00Z", "a");
        hits.flush();

        assertThat(running(LocalDate.parse("2026-03-08"))).as("the day's other hits are in its roll-up").isEqualTo("1/1/false");
        assertThat(answers()).isEqualTo(fromTheHits());
        rollups.rollUp();
        assertThat(visitorSet(LocalDate.parse("2026-03-08"))).isEmpty();
        assertThat(answers()).isEqualTo(fromTheHits());
    }

    @Test
    void theSweepMakesTheRunningTotalsOfTheDaysItDeletesFromIncompleteAndDeletesTheirVisitors() {
        // Not rolled up yet: 8 and 9 March have running totals; the sweep deletes the morning of the 9th.
        RetentionParticipant.Batch batch;
        do {
            batch = retention.sweep(Instant.parse("2027-04-09T12:00:00Z"), false, 2);
        } while (batch.more());

        assertThat(running(LocalDate.parse("2026-03-09"))).endsWith("/false");
        assertThat(visitorSet(LocalDate.parse("2026-03-09"))).isEmpty();
        assertThat(answers()).isEqualTo(fromTheHits());
    }

    private String running(LocalDate day) {
        return jdbc.sql("SELECT views, visitors, complete FROM page_view_running WHERE hit_day = :day").param("day", day)
                .query((rs, row) -> rs.getLong(1) + "/" + rs.getLong(2) + "/" + rs.getBoolean(3)).optional().orElse(null);
    }

    private List<String> visitorSet(LocalDate day) {
        return jdbc.sql("SELECT visitor FROM page_visitor_running WHERE hit_day = :day ORDER BY visitor").param("day", day)
                .query(String.class).list();
    }

    /** Page views as {@link Hits#flush} hands them to {@link Hits#write}. */
    private static List<Object[]> batch(String at, String... visitors) {
        List<Object[]> rows = new ArrayList<>();
        for (String visitor : visitors) {
            OffsetDateTime time = Instant.parse(at).atOffset(ZoneOffset.UTC);
            rows.add(new Object[] {time, time.toLocalDate(), "pageview", "/pris", null, visitor, "192.0.2.0/24", "Firefox",
                "Linux"});
        }
        return rows;
    }

    private static Map<LocalDate, DailyRollups.Flushed> days(String at, String... visitors) {
        DailyRollups.Flushed flushed = new DailyRollups.Flushed();
        for (String visitor : visitors) {
            flushed.add("pageview", null, visitor);
        }
        return Map.of(Instant.parse(at).atOffset(ZoneOffset.UTC).toLocalDate(), flushed);
    }

    private static final List<String> RANGES = List.of("2026-03-01/2026-03-31", "2026-03-08/2026-03-08",
            "2026-03-09/2026-03-10", "2026-03-10/2026-03-12", "2026-03-12/2026-03-12", "2026-03-11/2026-03-11",
            "2026-03-01/2026-03-04", "2026-03-11/2026-03-08", "2025-03-13/2026-03-12");

    /** The JSON of both statistics for each range. */
    private List<String> answers() {
        List<String> answers = new ArrayList<>();
        for (String range : RANGES) {
            String query = "?from=" + range.split("/")[0] + "&to=" + range.split("/")[1];
            answers.add(api.get("/api/v1/stats/pageviews" + query, Api.ADMIN_TOKEN).body());
            answers.add(api.get("/api/v1/stats/campaigns" + query, Api.ADMIN_TOKEN).body());
        }
        return answers;
    }

    /** The same JSON from the hits alone, with the queries the statistics ran before roll-ups. */
    private List<String> fromTheHits() {
        List<String> answers = new ArrayList<>();
        for (String range : RANGES) {
            LocalDate from = LocalDate.parse(range.split("/")[0]);
            LocalDate to = LocalDate.parse(range.split("/")[1]);
            List<Map<String, Object>> days = jdbc.sql(HITS_PAGEVIEWS).param("from", from).param("to", to).query()
                    .listOfRows();
            long total = days.stream().mapToLong(day -> ((Number) day.get("views")).longValue()).sum();
            answers.add("{\"total\":" + total + ",\"byDay\":[" + String.join(",", days.stream()
                    .map(day -> "{\"day\":\"" + day.get("hit_day") + "\",\"views\":" + day.get("views") + ",\"visitors\":"
                            + day.get("visitors") + "}").toList()) + "]}");
            List<Map<String, Object>> campaigns = jdbc.sql(HITS_CAMPAIGNS).param("from", from).param("to", to).query()
                    .listOfRows();
            answers.add("{\"campaigns\":[" + String.join(",", campaigns.stream()
                    .map(c -> "{\"campaign\":\"" + c.get("campaign") + "\",\"hits\":" + c.get("hits") + "}").toList())
                    + "]}");
        }
        return answers;
    }

    private List<String> days(String table) {
        return jdbc.sql("SELECT hit_day FROM " + table + " ORDER BY hit_day").query(LocalDate.class).list().stream()
                .map(LocalDate::toString).toList();
    }

    private List<String> rows() {
        List<String> rows = new ArrayList<>(jdbc.sql("SELECT hit_day || ' ' || views || ' ' || visitors FROM page_view_day"
                + " ORDER BY hit_day").query(String.class).list());
        rows.addAll(jdbc.sql("SELECT hit_day || ' ' || campaign || ' ' || hits FROM campaign_hit_day ORDER BY hit_day, campaign")
                .query(String.class).list());
        return rows;
    }

    private void pageView(String at, String visitor) {
        hits.add(new Hits.Hit(Instant.parse(at), "pageview", "/pris", null, visitor, "192.0.2.0/24", "Firefox", "Linux"));
    }

    private void campaign(String at, String name) {
        hits.add(new Hits.Hit(Instant.parse(at), "campaign", "/pris", name, null, "192.0.2.0/24", "Firefox", "Linux"));
    }
}
