package no.personvern.retention;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import no.personvern.audit.AuditEntry;
import no.personvern.audit.AuditTrail;
import no.personvern.testing.Api;
import no.personvern.testing.DatabaseTest;
import no.personvern.testing.Json;
import no.personvern.testing.Multipart;
import no.personvern.testing.MutableClock;
import no.personvern.testing.People;
import no.personvern.testing.Requests;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/** Retention rules from the catalog, swept through HTTP: S15 (contract end), S16 (3 months), S17 (withdrawal). */
@DatabaseTest
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
        properties = {"personvern.retention.batch-size=2", "personvern.retention.cron=-"})
class RetentionApiTests {

    private static final Instant START = Instant.parse("2026-01-10T09:00:00Z");

    @TestConfiguration
    static class Time {
        @Bean
        @Primary
        MutableClock testClock() {
            return new MutableClock(START);
        }
    }

    @LocalServerPort
    int port;

    @Autowired
    MutableClock clock;

    @Autowired
    JdbcClient jdbc;

    @Value("${personvern.data-dir}")
    Path dataDir;

    @Autowired
    AuditTrail audit;

    Api api;
    Requests requests;

    @BeforeEach
    void setUp() {
        api = new Api(port);
        requests = new Requests(api);
        clock.set(START);
        // Each test starts from an empty vault, so a sweep's counts are this test's alone.
        jdbc.sql("DELETE FROM subject_document").update();
        jdbc.sql("DELETE FROM subject_value").update();
        jdbc.sql("DELETE FROM retention_trigger").update();
        jdbc.sql("DELETE FROM legal_hold").update();
        jdbc.sql("DELETE FROM data_request").update();
    }

    @Test
    void mobileUploadsGoAfterThreeMonthsWithTheirFiles() throws Exception {
        String subject = person(People.in("go-mobile", "service-delivery").data("user.name", "Mobil Bruker"));
        String[] documents = {upload(subject), upload(subject), upload(subject)};
        Path file = blob(documents[0]);
        assertThat(file).exists();

        JsonNode early = sweep(false, null);
        assertThat(early.get("deleted").size()).isZero();

        JsonNode preview = sweep(true, "2026-04-11T09:00:00Z");
        assertThat(preview.get("dryRun").asBoolean()).isTrue();
        assertThat(preview.get("deleted").get("documents").asLong()).isEqualTo(3);
        assertThat(file).as("a dry run deletes nothing").exists();

        clock.set(START.atOffset(ZoneOffset.UTC).plusMonths(3).plusDays(1).toInstant());
        JsonNode run = sweep(false, null);
        assertThat(run.get("status").asString()).isEqualTo("completed");
        assertThat(run.get("deleted").get("documents").asLong()).isEqualTo(3);
        assertThat(run.get("deleted").get("documents:mobile-uploads").asLong()).isEqualTo(3);
        // The files follow the commit (the deletion queue).
        await().atMost(Duration.ofSeconds(30)).until(() -> !Files.exists(file));
        for (String document : documents) {
            assertThat(api.get("/api/v1/subjects/" + subject + "/documents/" + document, Api.ADMIN_TOKEN).status())
                    .isEqualTo(404);
        }
        assertThat(api.get("/api/v1/subjects/" + subject, Api.ADMIN_TOKEN).status())
                .as("the person's contract data stays").isEqualTo(200);
        assertThat(trail("retention\\.swept", "documents:mobile-uploads")).contains("documents:mobile-uploads");
    }

    @Test
    void whenTheContractEndsServiceDataGoesWhileTheInvoicesStayForFiveYears() {
        String email = "kontrakt-" + UUID.randomUUID() + "@example.no";
        String subject = People.in("go", "service-delivery").email(email).data("user.name", "Kari Kontrakt")
                .data("user.contact.phone_number", "+4791234567").data("user.contact.address", "Storgata 1")
                .create(api, Api.ADMIN_TOKEN);
        assertThat(People.in("go", "own-bookkeeping").email(email).data("user.name", "Kari Kontrakt")
                .data("user.contact.address", "Storgata 1").write(api, Api.ADMIN_TOKEN).status())
                .as("the invoices are the same person's").isEqualTo(200);
        assertThat(api.post("/api/v1/subjects/" + subject + "/contract-end", Api.ADMIN_TOKEN,
                Json.object("endedAt", "2026-01-09T00:00:00Z")).status()).isEqualTo(202);

        JsonNode run = sweep(false, null);

        assertThat(run.get("deleted").get("values:service-delivery").asLong()).isEqualTo(3);
        assertThat(run.get("deleted").has("people")).isFalse();
        JsonNode read = api.get("/api/v1/subjects/" + subject, Api.ADMIN_TOKEN).json();
        assertThat(read.get("data").findValuesAsString("activity")).containsOnly("own-bookkeeping").hasSize(2);
        assertThat(read.toString()).doesNotContain("+4791234567");

        clock.set(START.atOffset(ZoneOffset.UTC).plusYears(5).plusDays(1).toInstant());
        JsonNode fiveYears = sweep(false, null);
        assertThat(fiveYears.get("kept").get("retention-exception:bookkeeping").asLong())
                .as("bokføringsloven § 13 counts five years from the end of the financial year, not from the invoice")
                .isEqualTo(2);
        assertThat(api.get("/api/v1/subjects/" + subject, Api.ADMIN_TOKEN).json().get("data").size())
                .as("kept, but restricted: no longer shown or used").isZero();

        clock.set(Instant.parse("2032-01-01T00:00:00Z"));
        JsonNode later = sweep(false, null);
        assertThat(later.get("deleted").get("values").asLong()).isEqualTo(2);
        assertThat(later.get("deleted").get("people").asLong()).as("the last data gone, the person is erased")
                .isEqualTo(1);
        assertThat(api.get("/api/v1/subjects/" + subject, Api.ADMIN_TOKEN).status()).isEqualTo(410);
    }

    @Test
    void whatAnErasureKeptForBookkeepingIsDeletedByTheFirstSweepAfterTheFiveYears() {
        String email = "slett-" + UUID.randomUUID() + "@example.no";
        String subject = People.in("go", "own-bookkeeping").email(email).data("user.name", "Siv Slett")
                .data("user.contact.address", "Fakturagata 9").create(api, Api.ADMIN_TOKEN);
        JsonNode erasure = api.post("/api/v1/requests", Api.ADMIN_TOKEN, Requests.staffBody("erasure", email)).json();
        assertThat(erasure.get("outcome").asString()).contains("retention-exception:bookkeeping");

        clock.set(START.atOffset(ZoneOffset.UTC).plusYears(4).toInstant());
        assertThat(sweep(false, null).get("deleted").has("values")).as("still within the five years").isFalse();

        clock.set(Instant.parse("2031-12-31T12:00:00Z"));
        assertThat(sweep(false, null).get("deleted").has("values")).as("until the fifth year after 2026 ends")
                .isFalse();

        assertThat(holdKeys(subject)).isEqualTo(1);

        clock.set(Instant.parse("2032-01-01T00:00:00Z"));
        JsonNode run = sweep(false, null);
        assertThat(run.get("deleted").get("values").asLong()).isEqualTo(2);
        assertThat(holdKeys(subject)).as("the hold key goes with its last value: backups are unreadable too")
                .isZero();
        assertThat(jdbc.sql("SELECT COUNT(*) FROM subject_value WHERE subject_id = CAST(:id AS UUID)")
                .param("id", subject).query(Long.class).single()).isZero();
    }

    @Test
    void withdrawingNewsletterConsentStartsItsClockAndNothingElsesAndSigningUpAgainStopsIt() {
        String subject = person(People.in("newsletter", "newsletter").data("user.name", "Nils Nyhet"));
        String other = person(People.in("newsletter", "newsletter").data("user.name", "Olga Omtanke"));
        for (String id : new String[] {subject, other}) {
            consent(id, false);
        }
        consent(other, true);

        JsonNode run = sweep(false, null);

        assertThat(run.get("deleted").get("values:newsletter").asLong()).isEqualTo(1);
        assertThat(run.get("deleted").get("people").asLong()).as("Nils held nothing else: erased").isEqualTo(1);
        assertThat(api.get("/api/v1/subjects/" + subject, Api.ADMIN_TOKEN).status()).isEqualTo(410);
        assertThat(api.get("/api/v1/subjects/" + other, Api.ADMIN_TOKEN).json().get("data").toString())
                .as("Olga consented again: her clock stopped").contains("Olga Omtanke");
    }

    @Test
    void aLegalHoldKeepsDataThroughSweepsUntilItIsReleased() throws Exception {
        String subject = person(People.in("go-mobile", "service-delivery").data("user.name", "Holdt Person"));
        String document = upload(subject);
        JsonNode hold = api.post("/api/v1/legal-holds", Api.ADMIN_TOKEN,
                Json.object("subjectId", subject, "reason", "Tvist om faktura, sak 26-1234")).json();
        assertThat(hold.get("active").asBoolean()).isTrue();

        clock.advance(Duration.ofDays(120));
        JsonNode run = sweep(false, null);
        assertThat(run.get("kept").get("legal-hold").asLong()).isEqualTo(1);
        assertThat(run.get("deleted").has("documents")).isFalse();
        assertThat(blob(document)).exists();

        assertThat(api.delete("/api/v1/legal-holds/" + hold.get("id").asString(), Api.ADMIN_TOKEN).status())
                .isEqualTo(200);
        assertThat(api.delete("/api/v1/legal-holds/" + hold.get("id").asString(), Api.ADMIN_TOKEN).status())
                .as("a hold ends once").isEqualTo(409);
        JsonNode after = sweep(false, null);
        assertThat(after.get("deleted").get("documents").asLong()).isEqualTo(1);
        await().atMost(Duration.ofSeconds(30)).until(() -> !Files.exists(blob(document)));
        String trail = trail("legal-hold\\..*", "legal-hold.released");
        assertThat(trail).contains("legal-hold.placed", "legal-hold.released").doesNotContain("Tvist");
    }

    @Test
    void unverifiedRequestsAndExpiredAccessPackagesAreCleanedWithTheAddressTheyAloneBroughtIn() {
        String stranger = "ukjent-" + UUID.randomUUID() + "@example.no";
        assertThat(requests.file("access", stranger)
                .status()).isEqualTo(202);
        String known = "kjent-" + UUID.randomUUID() + "@example.no";
        String customer = People.in("go", "service-delivery").email(known).data("user.name", "Kjent Kunde")
                .create(api, Api.ADMIN_TOKEN);
        assertThat(requests.file("access", known)
                .status()).isEqualTo(202);
        JsonNode access = api.post("/api/v1/requests", Api.ADMIN_TOKEN, Json.object("type", "access",
                "subjectId", customer, "channel", "customer-center", "verifiedBy", "agent 7: BankID")).json();
        UUID packageId = jdbc.sql("SELECT package_id FROM data_request WHERE id = CAST(:id AS UUID)")
                .param("id", access.get("id").asString()).query(UUID.class).single();
        Path packageFile = blob(packageId.toString());
        assertThat(packageFile).exists();

        JsonNode early = sweep(true, null);
        assertThat(early.get("deleted").has("requests:unverified")).isFalse();

        clock.advance(Duration.ofDays(8));
        JsonNode run = sweep(false, null);

        assertThat(run.get("deleted").get("requests:unverified").asLong()).isEqualTo(2);
        assertThat(run.get("deleted").get("access-packages").asLong()).isEqualTo(1);
        assertThat(run.get("deleted").get("people").asLong()).as("only the stranger: nothing else held them")
                .isEqualTo(1);
        assertThat(api.get("/api/v1/subjects?email=" + stranger, Api.ADMIN_TOKEN).json().get("items")).isEmpty();
        assertThat(api.get("/api/v1/subjects/" + customer, Api.ADMIN_TOKEN).status()).isEqualTo(200);
        assertThat(packageFile).doesNotExist();
        assertThat(api.getBytes("/api/v1/public/requests/" + access.get("id").asString() + "/package?token=x", null)
                .statusCode()).isEqualTo(404);
    }

    @Test
    void aFutureAsOfIsOnlyForDryRunsAndBadInputIsAClearProblem() {
        Api.Response future = api.post("/api/v1/retention/runs", Api.ADMIN_TOKEN,
                Json.object("dryRun", false, "asOf", "2030-01-01T00:00:00Z"));
        assertThat(future.status()).isEqualTo(422);
        assertThat(future.json().get("errors").get(0).get("field").asString()).isEqualTo("asOf");
        Api.Response malformed = api.post("/api/v1/retention/runs", Api.ADMIN_TOKEN,
                Json.object("dryRun", true, "asOf", "P3X"));
        assertThat(malformed.status()).isEqualTo(422);
        assertThat(sweep(true, "P1Y").get("asOf").asString()).as("a duration from now: a future instant, fine for a"
                + " dry run").startsWith("2027-01-10");
        assertThat(api.post("/api/v1/retention/runs", Api.ADMIN_TOKEN, Json.object("asOf", "P1Y")).json().get("errors")
                .get(0).get("field").asString()).as("dryRun must be said, never assumed").isEqualTo("dryRun");
        assertThat(api.post("/api/v1/retention/runs", Api.ADMIN_TOKEN, "").status()).isIn(400, 422);
        assertThat(api.post("/api/v1/retention/runs", Api.ADMIN_TOKEN, Json.object("dryRun", true, "asOf",
                "P999999999Y"))
                .status()).isEqualTo(422);
        assertThat(api.post("/api/v1/retention/runs", Api.ADMIN_TOKEN, Json.object("dryRun", "maybe")).status())
                .isEqualTo(400);
        String subject = person(People.in("go", "service-delivery"));
        assertThat(api.post("/api/v1/legal-holds", Api.ADMIN_TOKEN, Json.object("subjectId",
                UUID.randomUUID(), "reason", "x")).status()).isEqualTo(404);
        assertThat(api.post("/api/v1/legal-holds", Api.ADMIN_TOKEN, Json.object("subjectId", subject, "reason", "x",
                "until", "soon")).status()).isEqualTo(422);
        assertThat(api.post("/api/v1/legal-holds", Api.ADMIN_TOKEN, Json.object("subjectId", subject, "reason", "x",
                "until", "2020-01-01")).status()).isEqualTo(422);
        assertThat(api.post("/api/v1/legal-holds", Api.ADMIN_TOKEN, Json.object("subjectId", subject)).status())
                .isEqualTo(422);
        assertThat(api.delete("/api/v1/legal-holds/" + UUID.randomUUID(), Api.ADMIN_TOKEN).status()).isEqualTo(404);
        assertThat(api.post("/api/v1/subjects/" + UUID.randomUUID() + "/contract-end", Api.ADMIN_TOKEN, "{}").status())
                .isEqualTo(404);
        assertThat(api.get("/api/v1/retention/runs/" + UUID.randomUUID(), Api.ADMIN_TOKEN).status()).isEqualTo(404);
        assertThat(api.post("/api/v1/legal-holds", Api.ADMIN_TOKEN, Json.object("reason", " ", "until", "soon"))
                .errorFields()).as("every invalid field at once").containsExactly("subjectId", "reason", "until");
        assertThat(api.post("/api/v1/retention/runs", Api.ADMIN_TOKEN, Json.object("asOf", "P3X")).errorFields())
                .containsExactly("dryRun", "asOf");
        assertThat(jdbc.sql("SELECT COUNT(*) FROM legal_hold").query(Long.class).single()).isZero();
    }

    @Test
    void aRunWhileAnotherInstanceHoldsTheLeaseIsRefusedAndALapsedLeaseIsTakenOver() {
        // Another instance's run: in the log, and holding the lease (the lock's times are the database's).
        UUID other = UUID.randomUUID();
        jdbc.sql("""
                INSERT INTO retention_run (id, status, dry_run, as_of, started_by, started_at, deleted, kept)
                VALUES (:id, 'running', FALSE, :at, 'other-instance', :at, '{}', '{}')""")
                .param("id", other).param("at", START.minus(Duration.ofMinutes(1)).atOffset(ZoneOffset.UTC)).update();
        jdbc.sql("DELETE FROM shedlock").update();
        jdbc.sql("INSERT INTO shedlock (name, lock_until, locked_at, locked_by) VALUES ('retention-sweep',"
                + " TIMESTAMP '2999-01-01 00:00:00', TIMESTAMP '2000-01-01 00:00:00', 'other-instance')").update();
        try {
            Api.Response refused = api.post("/api/v1/retention/runs", Api.ADMIN_TOKEN, Json.object("dryRun", true));
            assertThat(refused.status()).isEqualTo(409);
            assertThat(refused.json().get("detail").asString()).contains(other.toString());

            // The other instance stopped: its lease lapses.
            jdbc.sql("UPDATE shedlock SET lock_until = TIMESTAMP '2000-01-01 00:02:00'").update();
            assertThat(sweep(true, null).get("status").asString()).isEqualTo("completed");
            assertThat(api.get("/api/v1/retention/runs/" + other, Api.ADMIN_TOKEN).json().get("status").asString())
                    .as("the run whose lease lapsed").isEqualTo("abandoned");
        } finally {
            jdbc.sql("UPDATE shedlock SET lock_until = TIMESTAMP '2000-01-01 00:02:00'").update();
            jdbc.sql("UPDATE retention_run SET status = 'abandoned' WHERE status = 'running'").update();
        }
    }

    // ---- helpers ---------------------------------------------------------------------------

    @Test
    void pageViewsOlderThanTheirPeriodGoInBatchesOfTheConfiguredSizeAndADryRunCountsThemAll() {
        jdbc.sql("DELETE FROM page_hit").update();
        Api.Response chosen = api.send("POST", "/api/v1/public/cookie-consent", null,
                Map.of("Content-Type", "application/json"),
                Json.object("choices", Json.fields("statistics", true, "marketing", false)));
        String cookie = chosen.raw().headers().allValues("Set-Cookie").stream()
                .filter(c -> c.startsWith("pv_consent=")).findFirst().orElseThrow().split(";")[0];
        for (int i = 0; i < 5; i++) {
            api.get("/t.gif?e=pageview&p=/side-" + i, null, Map.of("Cookie", cookie));
        }
        clock.advance(Duration.ofDays(390));
        assertThat(sweep(false, null).get("deleted").has("page-hits:pageviews"))
                .as("the example keeps statistics until the next visit: 13 months by default").isFalse();

        clock.advance(Duration.ofDays(10));
        assertThat(sweep(true, null).get("deleted").get("page-hits:pageviews").asLong()).isEqualTo(5);
        assertThat(jdbc.sql("SELECT COUNT(*) FROM page_hit").query(Long.class).single()).isEqualTo(5);
        assertThat(sweep(false, null).get("deleted").get("page-hits:pageviews").asLong()).isEqualTo(5);
        assertThat(jdbc.sql("SELECT COUNT(*) FROM page_hit").query(Long.class).single()).isZero();
        trail("retention\\.swept", "page-hits:pageviews");
        assertThat(entries("retention\\.swept").stream().filter(entry -> entry.contains("page-hits:pageviews")))
                .as("batches of two: 2, 2 and 1").hasSizeGreaterThanOrEqualTo(3);
    }

    private JsonNode sweep(boolean dryRun, String asOf) {
        // A run shown finished has released its lease: the next one starts at once, never 409.
        Api.Response started = api.post("/api/v1/retention/runs", Api.ADMIN_TOKEN, asOf == null
                ? Json.object("dryRun", dryRun) : Json.object("dryRun", dryRun, "asOf", asOf));
        assertThat(started.status()).as(started.body()).isEqualTo(202);
        String id = started.json().get("id").asString();
        JsonNode run = await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(20))
                .until(() -> api.get("/api/v1/retention/runs/" + id, Api.ADMIN_TOKEN).json(),
                        finished -> !finished.get("status").asString().equals("running"));
        assertThat(run.get("status").asString()).as(run.toString()).isEqualTo("completed");
        return run;
    }

    private long holdKeys(String subject) {
        return jdbc.sql("SELECT COUNT(*) FROM data_key WHERE owner_id = CAST(:id AS UUID) AND purpose = 'hold'")
                .param("id", subject).query(Long.class).single();
    }

    /** The audit entries whose action matches {@code actions}, once the trail holds the awaited one. */
    private String trail(String actions, String awaited) {
        return await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(50))
                .until(() -> entries(actions).toString(), trail -> trail.contains(awaited));
    }

    private List<String> entries(String actions) {
        List<String> entries = new ArrayList<>();
        long after = 0;
        for (List<AuditEntry> page = audit.entries(null, null, null, after, 500); !page.isEmpty();
                page = audit.entries(null, null, null, after, 500)) {
            page.stream().filter(entry -> entry.action().matches(actions))
                    .forEach(entry -> entries.add(entry.action() + " " + entry.details()));
            after = page.get(page.size() - 1).seq();
        }
        return entries;
    }

    /** A new person (under an address of their own) as {@code person} describes them. */
    private String person(People person) {
        Api.Response created = person.email("p-" + UUID.randomUUID() + "@example.no").write(api, Api.ADMIN_TOKEN);
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        return created.json().get("id").asString();
    }

    private String upload(String subject) {
        Api.Response stored = api.postMultipart("/api/v1/subjects/" + subject + "/documents", Api.ADMIN_TOKEN,
                new Multipart().field("kind", "voucher").field("system", "go-mobile")
                        .file("file", "bilag.jpg", "image/jpeg", new byte[] {1, 2, 3, 4}));
        assertThat(stored.status()).as(stored.body()).isEqualTo(201);
        return stored.json().get("id").asString();
    }

    private void consent(String subject, boolean granted) {
        assertThat(api.post("/api/v1/subjects/" + subject + "/consents", Api.ADMIN_TOKEN,
                Json.object("purpose", "marketing.communications.email", "granted", granted, "method", "web-form"))
                .status()).isEqualTo(201);
    }

    private Path blob(String documentId) {
        return dataDir.resolve("blobs").resolve(documentId.substring(0, 2)).resolve(documentId + ".bin");
    }
}
