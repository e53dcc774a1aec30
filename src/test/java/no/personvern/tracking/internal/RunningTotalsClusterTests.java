package no.personvern.tracking.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import no.personvern.testing.Api;
import no.personvern.testing.DatabaseTest;
import no.personvern.testing.Instances;
import no.personvern.testing.TestDatabases;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Two instances of Personvern on one database flush hits of the same visitors at the same moment:
 * today's running totals count each visitor once and equal the count of the hits.
 */
@DatabaseTest
class RunningTotalsClusterTests {

    @Test
    void twoInstancesFlushingTheSameVisitorsAtOnceCountEachOnce() {
        Map<String, Object> database = TestDatabases.freshDatabase("running-totals-cluster");
        Map<String, String> quiet = Map.of("personvern.tracking.flush-interval", "PT100H",
                "personvern.tracking.rollup-interval", "PT100H", "personvern.retention.cron", "-");
        try (ConfigurableApplicationContext first = Instances.start(database, quiet);
                ConfigurableApplicationContext second = Instances.start(database, quiet)) {
            List<Hits> instances = List.of(first.getBean(Hits.class), second.getBean(Hits.class));
            for (int round = 0; round < 3; round++) {
                Instant now = Instant.now();
                for (Hits hits : instances) {
                    // The same 40 visitors on both instances, every round; a campaign hit each.
                    for (int visitor = 0; visitor < 40; visitor++) {
                        hits.add(new Hits.Hit(now, "pageview", "/pris", null, "visitor-" + visitor, "192.0.2.0/24",
                                "Firefox", "Linux"));
                    }
                    hits.add(new Hits.Hit(now, "campaign", "/pris", "vår", null, "192.0.2.0/24", "Firefox", "Linux"));
                }
                CountDownLatch start = new CountDownLatch(1);
                List<CompletableFuture<Void>> flushes = new ArrayList<>();
                for (Hits hits : instances) {
                    flushes.add(CompletableFuture.runAsync(() -> {
                        try {
                            start.await();
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                        hits.flush();
                    }));
                }
                start.countDown();
                flushes.forEach(CompletableFuture::join);
            }

            JdbcClient jdbc = first.getBean(JdbcClient.class);
            LocalDate today = LocalDate.now(ZoneOffset.UTC);
            LocalDate from = today.minusDays(1);
            List<String> raw = jdbc.sql("SELECT hit_day, COUNT(*) AS views, COUNT(DISTINCT visitor) AS visitors FROM page_hit"
                    + " WHERE event = 'pageview' GROUP BY hit_day ORDER BY hit_day")
                    .query((rs, row) -> rs.getObject("hit_day", LocalDate.class) + " " + rs.getLong("views") + " "
                            + rs.getLong("visitors")).list();
            List<String> running = jdbc.sql("SELECT hit_day, views, visitors FROM page_view_running WHERE complete"
                    + " ORDER BY hit_day")
                    .query((rs, row) -> rs.getObject("hit_day", LocalDate.class) + " " + rs.getLong("views") + " "
                            + rs.getLong("visitors")).list();
            assertThat(raw).as("240 page views of 40 visitors").isNotEmpty();
            assertThat(running).as("complete, and equal to the hits' count").isEqualTo(raw);
            long views = raw.stream().mapToLong(day -> Long.parseLong(day.split(" ")[1])).sum();
            assertThat(views).isEqualTo(240);

            Api api = Instances.api(second);
            assertThat(api.get("/api/v1/stats/pageviews?from=" + from + "&to=" + today, Api.ADMIN_TOKEN).body())
                    .startsWith("{\"total\":240,");
            assertThat(api.get("/api/v1/stats/campaigns?from=" + from + "&to=" + today, Api.ADMIN_TOKEN).body())
                    .isEqualTo("{\"campaigns\":[{\"campaign\":\"vår\",\"hits\":6}]}");
        }
    }
}
