package no.personvern.audit.internal;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Commits the audit entries of reads in groups: the entries of reads that arrive together go into
 * one batched insert and one commit, so that sixteen concurrent reads wait for one flush of the
 * database's log instead of sixteen. The promise of the trail does not weaken: a read's entries are
 * handed over when its transaction is about to commit, and the commit does not go on — so the read
 * returns nothing — until they are committed. If they cannot be, the read fails
 * ({@link AuditUnavailable}, 503) and nothing leaves.
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

    /** Readers at most in one commit (each with its transaction's entries). */
    private static final int MAX_READS = 1000;
    /** How long a read waits for its entries to be committed before it gives up (and returns nothing). */
    private static final long WAIT_SECONDS = 30;

    private final HikariDataSource connection;
    private final boolean writeFileAfterCommit;
    private final BlockingQueue<Read> queue = new LinkedBlockingQueue<>();
    private final Thread committer;
    private volatile boolean closed;

    GroupCommit(DataSource dataSource) throws SQLException {
        HikariConfig config = new HikariConfig();
        dataSource.unwrap(HikariDataSource.class).copyStateTo(config);
        config.setPoolName("audit-group-commit");
        config.setMaximumPoolSize(1);
        config.setMinimumIdle(1);
        config.setAutoCommit(false);
        config.setMetricRegistry(null);
        config.setMetricsTrackerFactory(null);
        config.setHealthCheckRegistry(null);
        this.connection = new HikariDataSource(config);
        String url = String.valueOf(config.getJdbcUrl());
        // As EmbeddedDatabaseDurability does for the pool's transactions: an H2 file database keeps
        // commits in memory for a while; the group is written to the file before any reader goes on.
        this.writeFileAfterCommit = url.startsWith("jdbc:h2:") && !url.startsWith("jdbc:h2:mem:");
        this.committer = new Thread(this::commitWhileOpen, "pv-audit-group-commit");
        committer.setDaemon(true);
        committer.start();
    }

    /**
     * Takes a read's entry: committed with the other entries of its transaction just before that
     * commits, or at once (waiting for it) outside a transaction. False for an entry of a transaction
     * that may change data: it belongs in that transaction.
     */
    boolean takes(PendingEntry entry) {
        if (!TransactionSynchronizationManager.isActualTransactionActive()) {
            commit(List.of(entry));
            return true;
        }
        if (!TransactionSynchronizationManager.isCurrentTransactionReadOnly()) {
            return false;
        }
        Gathered gathered = (Gathered) TransactionSynchronizationManager.getResource(this);
        if (gathered == null || gathered.handedOver) {
            if (gathered != null) {
                commit(List.of(entry)); // published while the transaction commits: too late to gather
                return true;
            }
            gathered = new Gathered();
            TransactionSynchronizationManager.bindResource(this, gathered);
            TransactionSynchronizationManager.registerSynchronization(gathered);
        }
        gathered.entries.add(entry);
        return true;
    }

    /** A transaction's entries, handed over just before it commits. */
    private final class Gathered implements TransactionSynchronization {

        final List<PendingEntry> entries = new ArrayList<>();
        boolean handedOver;

        @Override
        public void beforeCommit(boolean readOnly) {
            handedOver = true;
            commit(entries);
        }

        @Override
        public void afterCompletion(int status) {
            TransactionSynchronizationManager.unbindResourceIfPossible(GroupCommit.this);
        }
    }

    /** Hands the entries to the committer and waits until they are committed; fails the read if not. */
    private void commit(List<PendingEntry> entries) {
        if (entries.isEmpty()) {
            return;
        }
        Read read = new Read(List.copyOf(entries), new CompletableFuture<>());
        if (closed) {
            throw new AuditUnavailable(new IllegalStateException("shutting down"));
        }
        queue.add(read);
        try {
            read.committed.get(WAIT_SECONDS, TimeUnit.SECONDS);
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

    private void commitWhileOpen() {
        List<Read> group = new ArrayList<>();
        while (!closed) {
            try {
                group.add(queue.take());
            } catch (InterruptedException e) {
                break;
            }
            queue.drainTo(group, MAX_READS - 1);
            commitGroup(group);
            group.clear();
        }
        queue.drainTo(group);
        group.forEach(read -> read.committed.completeExceptionally(new IllegalStateException("shutting down")));
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

    private void insert(List<Read> reads) throws SQLException {
        try (Connection c = connection.getConnection()) {
            try (PreparedStatement insert = c.prepareStatement("""
                    INSERT INTO audit_pending (at, actor, action, subject_ref, details) VALUES (?, ?, ?, ?, ?)""")) {
                for (Read read : reads) {
                    for (PendingEntry entry : read.entries) {
                        insert.setObject(1, entry.at());
                        insert.setString(2, entry.actor());
                        insert.setString(3, entry.action());
                        insert.setString(4, entry.subjectRef());
                        insert.setString(5, entry.details());
                        insert.addBatch();
                    }
                }
                insert.executeBatch();
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
            if (writeFileAfterCommit) {
                try (Statement checkpoint = c.createStatement()) {
                    checkpoint.execute("CHECKPOINT");
                }
            }
        }
    }

    @Override
    public void destroy() throws InterruptedException {
        closed = true;
        committer.interrupt();
        committer.join(TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
        connection.close();
    }
}
