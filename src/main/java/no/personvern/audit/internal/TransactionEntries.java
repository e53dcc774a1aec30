package no.personvern.audit.internal;

import java.util.ArrayList;
import java.util.List;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * The pending entries of one transaction, inserted together, in one batched statement, just
 * before it commits: a change and its entries still commit together or not at all (a failed insert
 * fails the commit, and a rollback leaves nothing to insert), but a transaction of many entries,
 * such as a banner choice of three consent records, pays one round trip for them instead of one each.
 * Outside a transaction, and for an entry that arrives after its transaction's batch went in, the
 * entry is inserted at once.
 */
@Component
class TransactionEntries {

    private static final String INSERT = "INSERT INTO audit_pending (at, actor, action, subject_ref, details)"
            + " VALUES (?, ?, ?, ?, ?)";

    private final JdbcTemplate jdbc;

    TransactionEntries(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    void add(PendingEntry entry) {
        Batch batch = TransactionSynchronizationManager.isActualTransactionActive()
                && TransactionSynchronizationManager.isSynchronizationActive() ? batchOfTransaction() : null;
        if (batch == null || batch.inserted) {
            insert(List.of(entry));
        } else {
            batch.entries.add(entry);
        }
    }

    /**
     * The current transaction's batch. Synchronizations belong to the transaction they were
     * registered in: one suspended for a nested new transaction is not among them until resumed.
     */
    private Batch batchOfTransaction() {
        for (TransactionSynchronization synchronization : TransactionSynchronizationManager.getSynchronizations()) {
            if (synchronization instanceof Batch batch && batch.owner == this) {
                return batch;
            }
        }
        Batch batch = new Batch(this);
        TransactionSynchronizationManager.registerSynchronization(batch);
        return batch;
    }

    private void insert(List<PendingEntry> entries) {
        jdbc.batchUpdate(INSERT, entries.stream().map(e -> new Object[] {e.at(), e.actor(), e.action(), e.subjectRef(),
            e.details()}).toList());
    }

    private static final class Batch implements TransactionSynchronization {

        private final TransactionEntries owner;
        private final List<PendingEntry> entries = new ArrayList<>(4);
        private boolean inserted;

        Batch(TransactionEntries owner) {
            this.owner = owner;
        }

        @Override
        public void beforeCommit(boolean readOnly) {
            inserted = true;
            if (!entries.isEmpty()) {
                owner.insert(entries);
            }
        }

        /** Last of the synchronizations before the commit: an entry published by another one is still in it. */
        @Override
        public int getOrder() {
            return LOWEST_PRECEDENCE;
        }
    }
}
