package no.personvern.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import no.personvern.testing.DatabaseTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A change and its audit entries commit together or not at all, also now that a transaction's
 * entries go in as one batch just before it commits.
 */
@DatabaseTest
@SpringBootTest
class AuditTransactionTests {

    record Happened(String action, UUID subjectId, Map<String, Object> details) implements AuditEvent {
    }

    @Autowired
    ApplicationEventPublisher events;

    @Autowired
    PlatformTransactionManager transactionManager;

    @Autowired
    JdbcClient jdbc;

    @Test
    void theEntriesOfATransactionAreWrittenWithItInTheOrderPublished() {
        String run = UUID.randomUUID().toString();
        new TransactionTemplate(transactionManager).executeWithoutResult(status -> {
            for (int i = 0; i < 3; i++) {
                events.publishEvent(new Happened("test.committed", null, Map.of("run", run, "n", i)));
            }
        });
        assertThat(entries(run)).containsExactly("{\"n\":0,\"run\":\"" + run + "\"}", "{\"n\":1,\"run\":\"" + run
                + "\"}", "{\"n\":2,\"run\":\"" + run + "\"}");
    }

    @Test
    void theEntriesOfARolledBackTransactionAreNeverWritten() {
        String run = UUID.randomUUID().toString();
        new TransactionTemplate(transactionManager).executeWithoutResult(status -> {
            events.publishEvent(new Happened("test.rolled-back", null, Map.of("run", run, "n", 1)));
            events.publishEvent(new Happened("test.rolled-back", null, Map.of("run", run, "n", 2)));
            status.setRollbackOnly();
        });
        assertThatThrownBy(() -> new TransactionTemplate(transactionManager).executeWithoutResult(status -> {
            events.publishEvent(new Happened("test.rolled-back", null, Map.of("run", run, "n", 3)));
            throw new IllegalStateException("the change failed after its entry was published");
        })).isInstanceOf(IllegalStateException.class);
        assertThat(entries(run)).isEmpty();
    }

    @Test
    void anEntryThatCannotBeWrittenFailsTheCommitOfItsChange() {
        String run = UUID.randomUUID().toString();
        String change = "change-" + run;
        assertThatThrownBy(() -> new TransactionTemplate(transactionManager).executeWithoutResult(status -> {
            jdbc.sql("INSERT INTO audit_verification (id, verified_at, actor, valid, entries) VALUES (:id,"
                    + " CURRENT_TIMESTAMP, :actor, TRUE, 0)").param("id", UUID.randomUUID()).param("actor", change)
                    .update();
            events.publishEvent(new Happened("test.fine", null, Map.of("run", run)));
            // Longer than the 4,000 characters a stored entry's details may have.
            events.publishEvent(new Happened("test.too-long", null, Map.of("run", run, "text", "x".repeat(5000))));
        })).isInstanceOf(DataAccessException.class);
        assertThat(jdbc.sql("SELECT COUNT(*) FROM audit_verification WHERE actor = :actor").param("actor", change)
                .query(Long.class).single()).as("the change rolled back with its entries").isZero();
        assertThat(entries(run)).isEmpty();
    }

    @Test
    void aNestedTransactionsEntriesCommitOrRollBackWithItAlone() {
        String run = UUID.randomUUID().toString();
        TransactionTemplate outer = new TransactionTemplate(transactionManager);
        TransactionTemplate inner = new TransactionTemplate(transactionManager);
        inner.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
        outer.executeWithoutResult(status -> {
            events.publishEvent(new Happened("test.outer", null, Map.of("run", run, "n", 1)));
            inner.executeWithoutResult(nested -> {
                events.publishEvent(new Happened("test.inner", null, Map.of("run", run, "n", 2)));
                nested.setRollbackOnly();
            });
            inner.executeWithoutResult(nested -> events.publishEvent(new Happened("test.inner", null,
                    Map.of("run", run, "n", 3))));
            events.publishEvent(new Happened("test.outer", null, Map.of("run", run, "n", 4)));
        });
        assertThat(entries(run)).containsExactlyInAnyOrder("{\"n\":3,\"run\":\"" + run + "\"}", "{\"n\":1,\"run\":\"" + run
                + "\"}", "{\"n\":4,\"run\":\"" + run + "\"}");
    }

    @Test
    void anEntryPublishedWhileItsTransactionCommitsIsWrittenToo() {
        String run = UUID.randomUUID().toString();
        new TransactionTemplate(transactionManager).executeWithoutResult(status -> {
            events.publishEvent(new Happened("test.before", null, Map.of("run", run, "n", 1)));
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void beforeCommit(boolean readOnly) {
                    events.publishEvent(new Happened("test.late", null, Map.of("run", run, "n", 2)));
                }

                @Override
                public int getOrder() {
                    return LOWEST_PRECEDENCE;
                }
            });
        });
        assertThat(entries(run)).hasSize(2);
    }

    /** The run's entries, pending or chained, in the order they were written. */
    private List<String> entries(String run) {
        return jdbc.sql("SELECT details FROM (SELECT id AS n, 0 AS chained, details FROM audit_pending UNION ALL"
                + " SELECT seq, 1, details FROM audit_entry) a WHERE details LIKE :run ORDER BY chained DESC, n")
                .param("run", "%" + run + "%").query(String.class).list();
    }
}
