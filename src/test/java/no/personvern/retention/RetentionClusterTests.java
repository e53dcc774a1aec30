package no.personvern.retention;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import no.personvern.Personvern;
import no.personvern.testing.Api;
import no.personvern.testing.DatabaseTest;
import no.personvern.testing.Instances;
import no.personvern.testing.Multipart;
import no.personvern.testing.TestDatabases;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * Two instances of Personvern on one database: one retention run at a time across them, whether
 * asked for through HTTP or started by each instance's scheduler, and every expired document is
 * deleted exactly once.
 */
@DatabaseTest
class RetentionClusterTests {

    @Test
    void aRunAskedOfOneInstanceWhileTheOtherIsSweepingIsRefused() throws Exception {
        Map<String, Object> database = TestDatabases.freshDatabase("retention-cluster-manual");
        try (ConfigurableApplicationContext first = start(database, "-");
                ConfigurableApplicationContext second = start(database, "-")) {
            Api a = Instances.api(first);
            Api b = Instances.api(second);
            expiredDocuments(a, first, 4);

            Api.Response started = a.post("/api/v1/retention/runs", Api.ADMIN_TOKEN, "{\"dryRun\":false}");
            assertThat(started.status()).isEqualTo(202);
            String run = started.json().get("id").asString();
            Api.Response refused = b.post("/api/v1/retention/runs", Api.ADMIN_TOKEN, "{\"dryRun\":false}");
            assertThat(refused.status()).isEqualTo(409);
            assertThat(refused.json().get("detail").asString()).contains(run);

            await().atMost(Duration.ofSeconds(30)).until(() -> !b.get("/api/v1/retention/runs/" + run, Api.ADMIN_TOKEN)
                    .json().get("status").asString().equals("running"));
            JsonNode done = b.get("/api/v1/retention/runs/" + run, Api.ADMIN_TOKEN).json();
            assertThat(done.get("status").asString()).isEqualTo("completed");
            assertThat(done.get("deleted").get("documents").asLong()).isEqualTo(4);

            Api.Response next = b.post("/api/v1/retention/runs", Api.ADMIN_TOKEN, "{\"dryRun\":false}");
            assertThat(next.status()).as("the lock is free again").isEqualTo(202);
        }
    }

    @Test
    void bothSchedulersFiringDeleteEachExpiredDocumentOnceInRunsThatNeverOverlap() throws Exception {
        Map<String, Object> database = TestDatabases.freshDatabase("retention-cluster-scheduled");
        try (ConfigurableApplicationContext first = start(database, "-")) {
            expiredDocuments(Instances.api(first), first, 6);
        }
        try (ConfigurableApplicationContext first = start(database, "* * * * * *");
                ConfigurableApplicationContext second = start(database, "* * * * * *")) {
            JdbcClient jdbc = first.getBean(JdbcClient.class);
            await().atMost(Duration.ofSeconds(30)).until(() -> jdbc.sql("SELECT COUNT(*) FROM subject_document")
                    .query(Long.class).single() == 0
                    && jdbc.sql("SELECT COUNT(*) FROM retention_run WHERE status = 'running'").query(Long.class)
                            .single() == 0);
            List<Map<String, Object>> runs = jdbc.sql("SELECT started_at, finished_at, deleted, status"
                    + " FROM retention_run ORDER BY started_at").query((rs, row) -> Map.<String, Object>of(
                            "started_at", rs.getObject("started_at", OffsetDateTime.class),
                            "finished_at", rs.getObject("finished_at", OffsetDateTime.class),
                            "deleted", rs.getString("deleted"), "status", rs.getString("status"))).list();
            assertThat(runs).isNotEmpty();
            for (int i = 1; i < runs.size(); i++) {
                assertThat(runs.get(i - 1).get("status")).as("run %d", i - 1).isEqualTo("completed");
                Instant previousEnd = instant(runs.get(i - 1).get("finished_at"));
                Instant start = instant(runs.get(i).get("started_at"));
                assertThat(start).as("run %d starts after run %d ended", i, i - 1).isAfterOrEqualTo(previousEnd);
            }
            long deleted = runs.stream().map(run -> (String) run.get("deleted"))
                    .mapToLong(counts -> counts.matches(".*\"documents\":(\\d+).*")
                            ? Long.parseLong(counts.replaceAll(".*\"documents\":(\\d+).*", "$1")) : 0)
                    .sum();
            assertThat(deleted).as("each document deleted exactly once").isEqualTo(6);
        }
    }

    /** Uploads documents and moves their upload four months back, past the three months of S16. */
    private static void expiredDocuments(Api api, ConfigurableApplicationContext app, int count) {
        String subject = api.post("/api/v1/subjects", Api.ADMIN_TOKEN, "{\"system\":\"go-mobile\",\"activity\":"
                + "\"service-delivery\",\"identities\":{\"email\":\"klynge-" + UUID.randomUUID()
                + "@example.no\"},\"data\":{\"user.name\":\"Klynge\"}}").json().get("id").asString();
        for (int i = 0; i < count; i++) {
            assertThat(api.postMultipart("/api/v1/subjects/" + subject + "/documents", Api.ADMIN_TOKEN,
                    new Multipart().field("kind", "image").field("system", "go-mobile")
                            .file("file", "bilde.jpg", "image/jpeg", new byte[] {9, 8, 7})).status()).isEqualTo(201);
        }
        app.getBean(JdbcClient.class).sql("UPDATE subject_document SET uploaded_at = :at")
                .param("at", OffsetDateTime.now(ZoneOffset.UTC).minusMonths(4)).update();
    }

    private static ConfigurableApplicationContext start(Map<String, Object> database, String cron) {
        return Instances.start(database, Map.of("personvern.retention.cron", cron,
                "personvern.retention.batch-size", "1", "personvern.retention.batch-pause", "PT0.3S"));
    }

    /** A timestamp column as the driver gives it: OffsetDateTime on H2, Timestamp on PostgreSQL. */
    private static Instant instant(Object column) {
        return column instanceof java.sql.Timestamp timestamp ? timestamp.toInstant()
                : ((OffsetDateTime) column).toInstant();
    }
}
