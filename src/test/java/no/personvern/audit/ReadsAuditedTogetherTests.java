package no.personvern.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import no.personvern.testing.Api;
import no.personvern.testing.DatabaseTest;
import no.personvern.testing.Instances;
import no.personvern.testing.TestDatabases;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The entries of reads are committed together, one commit for concurrent reads, and still each
 * before its read answers; a change's entry stays in the change's transaction.
 */
@DatabaseTest
class ReadsAuditedTogetherTests {

    record Happened(String action, UUID subjectId, Map<String, Object> details) implements AuditEvent {
    }

    private static final int READERS = 16;

    @Test
    void concurrentReadsAreEachAuditedOnceAndChained() throws Exception {
        try (ConfigurableApplicationContext context = Instances.start(TestDatabases.freshDatabase("reads-together"))) {
            Api api = Instances.api(context);
            List<String> people = people(api, 8);
            int rounds = 10;
            List<Integer> statuses = inParallel(READERS, reader -> {
                List<Integer> answered = new ArrayList<>();
                for (int round = 0; round < rounds; round++) {
                    answered.add(api.get("/api/v1/subjects/" + people.get((reader + round) % people.size()),
                            Api.ADMIN_TOKEN).status());
                }
                return answered;
            });
            assertThat(statuses).hasSize(READERS * rounds).containsOnly(200);

            AuditTrail trail = context.getBean(AuditTrail.class);
            AuditVerification verification = trail.verify();
            assertThat(verification.valid()).isTrue();
            JdbcClient jdbc = context.getBean(JdbcClient.class);
            for (String person : people) {
                long reads = jdbc.sql("SELECT COUNT(*) FROM audit_entry WHERE action = 'subject.read' AND subject_ref = :ref")
                        .param("ref", trail.subjectRef(UUID.fromString(person))).query(Long.class).single();
                assertThat(reads).as("entries of the reads of one person").isEqualTo((long) READERS * rounds / people.size());
            }
            assertThat(jdbc.sql("SELECT COUNT(*) FROM audit_pending").query(Long.class).single()).isZero();
        }
    }

    @Test
    void aReadWhoseEntryCannotBeCommittedReturnsNoPersonalData() {
        try (ConfigurableApplicationContext context = Instances.start(TestDatabases.freshDatabase("reads-refused"))) {
            Api api = Instances.api(context);
            String person = api.post("/api/v1/subjects", Api.ADMIN_TOKEN, person("refused@example.no", "Ingrid Refused"))
                    .json().get("id").asString();
            JdbcClient jdbc = context.getBean(JdbcClient.class);
            jdbc.sql("ALTER TABLE audit_pending RENAME TO audit_pending_away").update();
            Api.Response refused;
            try {
                refused = api.get("/api/v1/subjects/" + person, Api.ADMIN_TOKEN);
            } finally {
                jdbc.sql("ALTER TABLE audit_pending_away RENAME TO audit_pending").update();
            }
            assertThat(refused.status()).isEqualTo(503);
            assertThat(refused.header("Content-Type")).startsWith("application/problem+json");
            assertThat(refused.body()).doesNotContain("Ingrid", "refused@example.no").doesNotContain("Exception");

            Api.Response answered = api.get("/api/v1/subjects/" + person, Api.ADMIN_TOKEN);
            assertThat(answered.status()).isEqualTo(200);
            assertThat(answered.body()).contains("Ingrid Refused");
        }
    }

    @Test
    void moreConcurrentReadersThanPooledConnectionsAllComplete() throws Exception {
        // Two pooled connections for sixteen readers, each waiting for its entry while it holds one:
        // the entries are committed on a connection of their own, or no reader would ever go on (and
        // after the pool's timeout, here 10 s, every read would be refused).
        try (ConfigurableApplicationContext context = Instances.start(TestDatabases.freshDatabase("reads-pool"),
                Map.of("spring.datasource.hikari.maximum-pool-size", "2",
                        "spring.datasource.hikari.connection-timeout", "10000"))) {
            Api api = Instances.api(context);
            List<String> people = people(api, 4);
            List<Integer> statuses = inParallel(READERS, reader -> {
                List<Integer> answered = new ArrayList<>();
                for (int round = 0; round < 5; round++) {
                    answered.add(api.get("/api/v1/subjects/" + people.get((reader + round) % people.size()),
                            Api.ADMIN_TOKEN).status());
                }
                return answered;
            });
            assertThat(statuses).hasSize(READERS * 5).containsOnly(200);
            assertThat(context.getBean(AuditTrail.class).verify().valid()).isTrue();
        }
    }

    @Test
    void aChangesEntryCommitsAndRollsBackWithTheChange() {
        try (ConfigurableApplicationContext context = Instances.start(TestDatabases.freshDatabase("writes-entry"))) {
            JdbcClient jdbc = context.getBean(JdbcClient.class);
            TransactionTemplate change = new TransactionTemplate(context.getBean(PlatformTransactionManager.class));
            change.executeWithoutResult(status -> {
                context.publishEvent(new Happened("test.changed", UUID.randomUUID(), Map.of("n", 1)));
                // In the change's own transaction, written just before it commits (TransactionEntries),
                // not handed to the group commit: nothing of it is in the trail while the change runs.
                assertThat(pending(jdbc, "test.changed")).isZero();
                status.setRollbackOnly();
            });
            assertThat(pending(jdbc, "test.changed")).as("the entry of a change that rolled back").isZero();

            change.executeWithoutResult(status ->
                    context.publishEvent(new Happened("test.changed", UUID.randomUUID(), Map.of("n", 2))));
            AuditTrail trail = context.getBean(AuditTrail.class);
            assertThat(trail.entries(null, null, null, 0, 100)).extracting(AuditEntry::action).containsExactly("test.changed");

            // A read-only transaction's entries are committed apart from it (PostgreSQL would refuse
            // them in it), and before it returns.
            TransactionTemplate read = new TransactionTemplate(context.getBean(PlatformTransactionManager.class));
            read.setReadOnly(true);
            read.executeWithoutResult(status -> {
                context.publishEvent(new Happened("test.read", UUID.randomUUID(), Map.of()));
                context.publishEvent(new Happened("test.read", UUID.randomUUID(), Map.of()));
            });
            assertThat(trail.entries(null, null, null, 0, 100)).extracting(AuditEntry::action)
                    .containsExactly("test.changed", "test.read", "test.read");
        }
    }

    private static long pending(JdbcClient jdbc, String action) {
        return jdbc.sql("SELECT COUNT(*) FROM audit_pending WHERE action = :action").param("action", action)
                .query(Long.class).single();
    }

    private static List<String> people(Api api, int count) {
        List<String> people = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Api.Response created = api.post("/api/v1/subjects", Api.ADMIN_TOKEN,
                    person("reader-" + i + "-" + UUID.randomUUID() + "@example.no", "Person " + i));
            assertThat(created.status()).isEqualTo(201);
            people.add(created.json().get("id").asString());
        }
        return people;
    }

    private static String person(String email, String name) {
        return """
                {"system":"newsletter","activity":"newsletter","identities":{"email":"%s"},"data":{"user.name":"%s"}}"""
                .formatted(email, name);
    }

    interface Reader {
        List<Integer> read(int reader) throws Exception;
    }

    private static List<Integer> inParallel(int readers, Reader reader) throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(readers);
        try {
            List<Future<List<Integer>>> running = new ArrayList<>();
            for (int r = 0; r < readers; r++) {
                int n = r;
                running.add(threads.submit((Callable<List<Integer>>) () -> reader.read(n)));
            }
            List<Integer> statuses = new ArrayList<>();
            for (Future<List<Integer>> future : running) {
                statuses.addAll(future.get(5, TimeUnit.MINUTES));
            }
            return statuses;
        } finally {
            threads.shutdownNow();
        }
    }
}
