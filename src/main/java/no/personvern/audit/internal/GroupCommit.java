package no.personvern.audit.internal;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Commits the audit entries of reads in groups: the entries of reads that arrive together go into
 * one insert that commits itself, so that sixteen concurrent reads wait for one flush of the
 * database's log instead of sixteen. The promise of the trail does not weaken: a read's transaction
 * does not return — so the read answers nothing — until its entries are committed. If they cannot
 * be, the read fails ({@link AuditUnavailable}, 503) and nothing leaves.
 *
 * <p>Only entries of read-only transactions, and of events published outside any transaction, come
 * here: such a transaction changes nothing that its entry could commit or roll back with (PostgreSQL
 * refuses a write in it). The entry of a change stays in the change's own transaction.
 *
 * <p>The group is committed on a connection of its own, not one of the pool's: the readers wait for
 * it holding pooled connections, and a committer that needed one of those could wait for ever.
 */
@Component
class GroupCommit implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(GroupCommit.class);

    /** Reads at most in one commit. */
    private static final int MAX_READS = 1000;
    /** Rows in one insert statement (five parameters each; PostgreSQL takes 32,767 parameters at most). */
    private static final int ROWS_PER_STATEMENT = 1000;
    /** How long a read waits for its entries to be committed before it gives up (and returns nothing). */
    private static final long WAIT_SECONDS = 30;

    private final HikariDataSource connection;
    private final boolean writeFileAfterCommit;
    private final Queue<Read> queue = new ConcurrentLinkedQueue<>();
    /** Held by the reader that commits the queued entries: one at a time, on the one connection. */
    private final ReentrantLock committing = new ReentrantLock();

    GroupCommit(DataSource dataSource) throws SQLException {
        HikariConfig config = new HikariConfig();
        dataSource.unwrap(HikariDataSource.class).copyStateTo(config);
        config.setPoolName("audit-group-commit");
        config.setMaximumPoolSize(1);
        config.setMinimumIdle(1);
        config.setMetricRegistry(null);
        config.setMetricsTrackerFactory(null);
        config.setHealthCheckRegistry(null);
        this.connection = new HikariDataSource(config);
        String url = String.valueOf(config.getJdbcUrl());
        // As EmbeddedDatabaseDurability does for the pool's transactions: an H2 file database keeps
        // commits in memory for a while; the group is written to the file before any reader goes on.
        this.writeFileAfterCommit = url.startsWith("jdbc:h2:") && !url.startsWith("jdbc:h2:mem:");
    }

    /**
     * Takes a read's entry: queued at once, and waited for when the read's
     * transaction has committed — before that transaction returns anything to its caller; outside a
     * transaction, waited for at once. False for an entry of a transaction that may change data: it
     * belongs in that transaction. A read that fails after its entry was handed over may leave its
     * entry: the trail may record a read attempted, never miss one that returned data.
     */
    boolean takes(PendingEntry entry) {
        if (!TransactionSynchronizationManager.isActualTransactionActive()) {
            await(submit(List.of(entry)));
            return true;
        }
        if (!TransactionSynchronizationManager.isCurrentTransactionReadOnly()) {
            return false;
        }
        Awaited awaited = (Awaited) TransactionSynchronizationManager.getResource(this);
        if (awaited == null) {
            awaited = new Awaited();
            TransactionSynchronizationManager.bindResource(this, awaited);
            TransactionSynchronizationManager.registerSynchronization(awaited);
        }
        awaited.reads.add(submit(List.of(entry)));
        return true;
    }

    /**
     * The entries a read-only transaction queued, waited for after its commit: an exception here
     * reaches the transaction's caller in place of its result. Those of a transaction that rolled back
     * are committed all the same (the read was attempted), without waiting for them.
     */
    private final class Awaited implements TransactionSynchronization {

        final List<CompletableFuture<Void>> reads = new ArrayList<>();

        @Override
        public void afterCommit() {
            reads.forEach(GroupCommit.this::await);
        }

        @Override
        public void afterCompletion(int status) {
            TransactionSynchronizationManager.unbindResourceIfPossible(GroupCommit.this);
            if (status != STATUS_COMMITTED) {
                commitQueued();
            }
        }
    }

    private CompletableFuture<Void> submit(List<PendingEntry> entries) {
        Read read = new Read(entries, new CompletableFuture<>());
        queue.add(read);
        return read.committed;
    }

    /**
     * Waits until the entries are committed; fails the read (nothing returned) if they are not. The
     * reader commits what is queued itself if no one else is committing (no hand-over to another
     * thread); otherwise the one who is takes the queued entries next (it looks again after it lets go).
     */
    private void await(CompletableFuture<Void> committed) {
        commitQueued();
        try {
            committed.get(WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new AuditUnavailable(e.getCause());
        } catch (TimeoutException e) {
            throw new AuditUnavailable(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AuditUnavailable(e);
        }
    }

    private record Read(List<PendingEntry> entries, CompletableFuture<Void> committed) {
    }

    private void commitQueued() {
        while (!queue.isEmpty() && committing.tryLock()) {
            try {
                List<Read> group = new ArrayList<>();
                for (Read read; group.size() < MAX_READS && (read = queue.poll()) != null; ) {
                    group.add(read);
                }
                if (!group.isEmpty()) {
                    commitGroup(group);
                }
            } finally {
                committing.unlock();
            }
        }
    }

    /**
     * One insert and one commit for the group. Should that fail, each read's entries are tried on
     * their own, so that an entry the database refuses fails its own read only.
     */
    private void commitGroup(List<Read> group) {
        try {
            insert(group);
            group.forEach(read -> read.committed.complete(null));
        } catch (SQLException | RuntimeException groupFailure) {
            if (group.size() == 1) {
                fail(group.get(0), groupFailure);
                return;
            }
            for (Read read : group) {
                try {
                    insert(List.of(read));
                    read.committed.complete(null);
                } catch (SQLException | RuntimeException failure) {
                    fail(read, failure);
                }
            }
        }
    }

    private static void fail(Read read, Exception failure) {
        // Entries hold pseudonyms and ids only, but the driver's message may quote the statement: the
        // kind of failure is logged, not its text.
        log.warn("audit entries of a read could not be committed ({}, SQL state {}); the read was refused",
                failure.getClass().getSimpleName(), failure instanceof SQLException sql ? sql.getSQLState() : "-");
        read.committed.completeExceptionally(failure);
    }

    /**
     * One multi-row insert that commits itself: a single round trip to the database for the group
     * (a batch and a commit would be two). A group of more rows than one statement takes is inserted
     * in one transaction.
     */
    private void insert(List<Read> reads) throws SQLException {
        List<PendingEntry> entries = new ArrayList<>();
        reads.forEach(read -> entries.addAll(read.entries));
        try (Connection c = connection.getConnection()) {
            boolean oneStatement = entries.size() <= ROWS_PER_STATEMENT;
            c.setAutoCommit(oneStatement);
            try {
                for (int from = 0; from < entries.size(); from += ROWS_PER_STATEMENT) {
                    insertRows(c, entries.subList(from, Math.min(entries.size(), from + ROWS_PER_STATEMENT)));
                }
                if (!oneStatement) {
                    c.commit();
                }
            } catch (SQLException | RuntimeException e) {
                if (!oneStatement) {
                    c.rollback();
                }
                throw e;
            }
            if (writeFileAfterCommit) {
                try (Statement checkpoint = c.createStatement()) {
                    checkpoint.execute("CHECKPOINT");
                }
            }
        }
    }

    private static void insertRows(Connection c, List<PendingEntry> rows) throws SQLException {
        StringBuilder sql = new StringBuilder("INSERT INTO audit_pending (at, actor, action, subject_ref, details) VALUES ");
        for (int i = 0; i < rows.size(); i++) {
            sql.append(i == 0 ? "(?, ?, ?, ?, ?)" : ", (?, ?, ?, ?, ?)");
        }
        try (PreparedStatement insert = c.prepareStatement(sql.toString())) {
            int p = 0;
            for (PendingEntry entry : rows) {
                insert.setObject(++p, entry.at());
                insert.setString(++p, entry.actor());
                insert.setString(++p, entry.action());
                insert.setString(++p, entry.subjectRef());
                insert.setString(++p, entry.details());
            }
            insert.executeUpdate();
        }
    }

    @Override
    public void destroy() {
        connection.close();
    }
}
