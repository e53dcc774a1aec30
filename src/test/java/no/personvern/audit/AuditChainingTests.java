package no.personvern.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import no.personvern.testing.DatabaseTest;
import no.personvern.testing.Instances;
import no.personvern.testing.TestDatabases;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionStatus;
import org.springframework.transaction.support.DefaultTransactionDefinition;

/**
 * The chainer moves pending entries into the chain a whole batch at a time; these hold it to the
 * chain's promises with batches and pages larger than one: one strict order across instances, every
 * entry exactly once, and a break found at the entry where it is.
 */
@DatabaseTest
class AuditChainingTests {

    /** More than two of the chainer's batches and more than two of the verification's pages. */
    private static final int MANY = 25_000;

    record Happened(String action, UUID subjectId, Map<String, Object> details) implements AuditEvent {
    }

    @Test
    void twoInstancesChainingBatchesWhileWritersWriteChainEveryEntryExactlyOnceInOneUnforkedChain() throws Exception {
        Map<String, Object> database = TestDatabases.freshDatabase("audit-two-chainers");
        try (ConfigurableApplicationContext first = Instances.start(database);
                ConfigurableApplicationContext second = Instances.start(database)) {
            JdbcClient jdbc = first.getBean(JdbcClient.class);
            long before = first.getBean(AuditTrail.class).length();
            ExecutorService threads = Executors.newFixedThreadPool(8);
            List<Future<?>> done = new ArrayList<>();
            // Seeders commit pending entries in transactions of 250 on both instances, so that ids commit
            // out of order; writers publish entries through each instance; readers on both instances
            // chain before every read (as the trail does); each instance's own chainer runs throughout.
            for (int s = 0; s < 4; s++) {
                ConfigurableApplicationContext instance = s % 2 == 0 ? first : second;
                int seeder = s;
                done.add(threads.submit(() -> {
                    for (int from = seeder * (MANY / 4); from < (seeder + 1) * (MANY / 4); from += 250) {
                        seed(instance, "seed", from, 250);
                    }
                }));
            }
            for (int w = 0; w < 2; w++) {
                ConfigurableApplicationContext instance = w == 0 ? first : second;
                int writer = w;
                done.add(threads.submit(() -> {
                    for (int i = 0; i < 200; i++) {
                        instance.publishEvent(new Happened("test.written", UUID.randomUUID(),
                                Map.of("writer", writer, "i", i)));
                    }
                }));
            }
            AtomicBoolean writing = new AtomicBoolean(true);
            List<AuditVerification> duringWrites = java.util.Collections.synchronizedList(new ArrayList<>());
            List<Future<?>> readers = new ArrayList<>();
            for (ConfigurableApplicationContext instance : List.of(first, second)) {
                readers.add(threads.submit(() -> {
                    while (writing.get()) {
                        instance.getBean(AuditTrail.class).entries(null, null, null, 0, 1);
                        duringWrites.add(instance.getBean(AuditTrail.class).verify());
                    }
                }));
            }
            for (Future<?> future : done) {
                future.get(5, TimeUnit.MINUTES);
            }
            writing.set(false);
            for (Future<?> reader : readers) {
                reader.get(5, TimeUnit.MINUTES);
            }
            threads.shutdown();

            AuditVerification verification = second.getBean(AuditTrail.class).verify();
            long total = before + MANY + 400;
            assertThat(verification).isEqualTo(new AuditVerification(true, total, null));
            assertThat(duringWrites).isNotEmpty().allSatisfy(during -> assertThat(during.valid()).isTrue());
            assertThat(jdbc.sql("SELECT COUNT(*) FROM audit_pending").query(Long.class).single()).isZero();
            assertThat(jdbc.sql("SELECT COUNT(*), MIN(seq), MAX(seq) FROM audit_entry")
                    .query((rs, row) -> List.of(rs.getLong(1), rs.getLong(2), rs.getLong(3))).single())
                    .containsExactly(total, 1L, total);
            List<String> seeded = jdbc.sql("SELECT details FROM audit_entry WHERE action = 'seed'").query(String.class)
                    .list();
            Set<String> distinct = new HashSet<>(seeded);
            assertThat(seeded).hasSize(MANY);
            assertThat(distinct).hasSize(MANY);
            assertThat(jdbc.sql("SELECT COUNT(*) FROM audit_entry WHERE action = 'test.written'").query(Long.class)
                    .single()).isEqualTo(400);
            // Each seeder's entries are chained in the order they were committed: by its n, seqs rise.
            Map<Integer, List<Long>> bySeeder = new java.util.TreeMap<>();
            jdbc.sql("SELECT seq, details FROM audit_entry WHERE action = 'seed' ORDER BY seq").query(rs -> {
                int n = Integer.parseInt(rs.getString(2).replaceAll("\\D", "")) - 100_000;
                bySeeder.computeIfAbsent(n / (MANY / 4), k -> new ArrayList<>()).add((long) n);
            });
            assertThat(bySeeder).hasSize(4).allSatisfy((seeder, ns) -> assertThat(ns).hasSize(MANY / 4).isSorted());
        }
    }

    @Test
    void anEntryCommittedLateWithALowerIdIsChainedOnceAfterTheOnesChainedBeforeIt() throws Exception {
        Map<String, Object> database = TestDatabases.freshDatabase("audit-late-commit");
        try (ConfigurableApplicationContext context = Instances.start(database, Map.of(
                "personvern.audit.chain-interval", "PT1H"))) {
            JdbcClient jdbc = context.getBean(JdbcClient.class);
            AuditTrail trail = context.getBean(AuditTrail.class);
            trail.length();
            // The late entry takes its id first and commits last, on a thread of its own.
            CountDownLatch inserted = new CountDownLatch(1);
            CountDownLatch commit = new CountDownLatch(1);
            ExecutorService lateWriter = Executors.newSingleThreadExecutor();
            Future<?> late = lateWriter.submit(() -> {
                PlatformTransactionManager transactions = context.getBean(PlatformTransactionManager.class);
                TransactionStatus status = transactions.getTransaction(new DefaultTransactionDefinition());
                seedInTransaction(context, "late", 0, 1);
                inserted.countDown();
                commit.await();
                transactions.commit(status);
                return null;
            });
            inserted.await(1, TimeUnit.MINUTES);
            seed(context, "early", 1, 3);
            List<Long> earlyIds = jdbc.sql("SELECT id FROM audit_pending WHERE action = 'early'").query(Long.class).list();
            trail.entries(null, null, null, 0, 1);
            long chainedBefore = trail.length();
            assertThat(jdbc.sql("SELECT COUNT(*) FROM audit_entry WHERE action = 'early'").query(Long.class).single())
                    .isEqualTo(3);
            commit.countDown();
            late.get(1, TimeUnit.MINUTES);
            lateWriter.shutdown();
            long lateId = jdbc.sql("SELECT id FROM audit_pending WHERE action = 'late'").query(Long.class).single();
            assertThat(earlyIds).hasSize(3).allSatisfy(id -> assertThat(id).isGreaterThan(lateId));
            trail.entries(null, null, null, 0, 1);

            assertThat(trail.length()).isEqualTo(chainedBefore + 1);
            List<String> actions = jdbc.sql("SELECT action FROM audit_entry WHERE action IN ('late', 'early') ORDER BY seq")
                    .query(String.class).list();
            assertThat(actions).containsExactly("early", "early", "early", "late");
            assertThat(jdbc.sql("SELECT COUNT(*) FROM audit_pending").query(Long.class).single()).isZero();
            assertThat(trail.verify().valid()).isTrue();
        }
    }

    @Test
    void aChainLongerThanAPageIsVerifiedWholeAndABreakIsFoundAtItsSeqInAnyPage() {
        Map<String, Object> database = TestDatabases.freshDatabase("audit-long-chain");
        try (ConfigurableApplicationContext context = Instances.start(database)) {
            JdbcClient jdbc = context.getBean(JdbcClient.class);
            AuditTrail trail = context.getBean(AuditTrail.class);
            seed(context, "seed", 0, MANY);
            long length = trail.verify().entries();
            assertThat(length).isGreaterThanOrEqualTo(MANY);
            assertThat(trail.verify()).isEqualTo(new AuditVerification(true, length, null));

            for (long seq : new long[] {1, 9_999, 10_000, 10_001, 17_321, length}) {
                String details = jdbc.sql("SELECT details FROM audit_entry WHERE seq = :seq").param("seq", seq)
                        .query(String.class).single();
                jdbc.sql("UPDATE audit_entry SET details = :d WHERE seq = :seq").param("d", details.replace("}", ",\"x\":1}"))
                        .param("seq", seq).update();
                assertThat(trail.verify()).as("tampered at %d", seq).isEqualTo(new AuditVerification(false, seq - 1, seq));
                jdbc.sql("UPDATE audit_entry SET details = :d WHERE seq = :seq").param("d", details).param("seq", seq)
                        .update();
            }
            assertThat(trail.verify().valid()).isTrue();

            // A hash rewritten to match the altered entry still breaks the link to the next one.
            jdbc.sql("UPDATE audit_entry SET hash = :h WHERE seq = 12345").param("h", "f".repeat(64)).update();
            assertThat(trail.verify()).isEqualTo(new AuditVerification(false, 12_344, 12_345L));
            jdbc.sql("UPDATE audit_entry SET hash = (SELECT prev_hash FROM audit_entry WHERE seq = 12346) WHERE seq = 12345")
                    .update();
            // The last entry gone: the head claims one more than the chain holds.
            jdbc.sql("DELETE FROM audit_entry WHERE seq = :seq").param("seq", length).update();
            assertThat(trail.verify()).isEqualTo(new AuditVerification(false, length - 1, length));
        }
    }

    /** {@code count} pending entries with details {@code {"n":<i>}} for i from {@code from}, committed at once. */
    private static void seed(ConfigurableApplicationContext context, String action, int from, int count) {
        PlatformTransactionManager transactions = context.getBean(PlatformTransactionManager.class);
        TransactionStatus status = transactions.getTransaction(new DefaultTransactionDefinition(
                DefaultTransactionDefinition.PROPAGATION_REQUIRES_NEW));
        seedInTransaction(context, action, from, count);
        transactions.commit(status);
    }

    private static void seedInTransaction(ConfigurableApplicationContext context, String action, int from, int count) {
        OffsetDateTime at = OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MICROS);
        List<Object[]> rows = new ArrayList<>();
        for (int n = from; n < from + count; n++) {
            rows.add(new Object[] {at, "system", action, "s_" + Integer.toHexString(n), "{\"n\":" + (100_000 + n) + "}"});
        }
        context.getBean(JdbcTemplate.class).batchUpdate(
                "INSERT INTO audit_pending (at, actor, action, subject_ref, details) VALUES (?, ?, ?, ?, ?)", rows);
    }
}
