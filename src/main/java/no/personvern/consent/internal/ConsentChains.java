package no.personvern.consent.internal;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.UUID;
import java.util.concurrent.locks.ReentrantLock;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * The latest hash of a holder's chain of consent records (a person's or a visitor's), read under a
 * lock of that holder kept until the transaction ends: each record names the hash of the one before
 * it, so two decisions of one holder at once (two tabs, a double click) must not both link to the
 * same predecessor. On PostgreSQL the lock is a transaction-scoped advisory lock, taken in the same
 * round trip as the read and shared by every instance; the embedded database lives in one process,
 * so there a lock of this process does.
 */
@Component
class ConsentChains {

    /** The advisory locks of consent chains, apart from any other use of advisory locks ('cons'). */
    private static final int LOCK_CLASS = 0x636f6e73;
    private static final int STRIPES = 256;
    private static final ReentrantLock[] LOCAL = new ReentrantLock[STRIPES];

    static {
        for (int i = 0; i < STRIPES; i++) {
            LOCAL[i] = new ReentrantLock();
        }
    }

    private final JdbcTemplate jdbc;
    private final boolean postgres;

    ConsentChains(JdbcTemplate jdbc, @Value("${spring.datasource.url:}") String url) {
        this.jdbc = jdbc;
        this.postgres = url.startsWith("jdbc:postgresql:");
    }

    private static int lockKey(UUID subjectId, String visitorId) {
        return (subjectId != null ? "s:" + subjectId : "v:" + visitorId).hashCode();
    }

    /**
     * The order in which a transaction locks several holders (the stripe, then the key): the same for
     * every transaction, so that two never wait on each other.
     */
    static long lockOrder(UUID subjectId, String visitorId) {
        int key = lockKey(subjectId, visitorId);
        return ((long) Math.floorMod(key, STRIPES) << 32) | (key & 0xffffffffL);
    }

    /** Locks the holder until the transaction ends, then reads the hash of their latest record (or null). */
    String lockAndReadLatest(UUID subjectId, String visitorId) {
        if (!TransactionSynchronizationManager.isActualTransactionActive()
                || !TransactionSynchronizationManager.isSynchronizationActive()) {
            throw new IllegalStateException("a consent chain is extended only in a transaction");
        }
        String column = subjectId != null ? "subject_id" : "visitor_id";
        Object holder = subjectId != null ? subjectId : visitorId;
        String latest = "SELECT hash FROM consent_record WHERE " + column + " = ? ORDER BY seq DESC LIMIT 1";
        int key = lockKey(subjectId, visitorId);
        if (postgres) {
            // One round trip: the read is a statement of its own, so it sees what the lock waited for.
            return jdbc.execute("SELECT pg_advisory_xact_lock(?, ?); " + latest, (PreparedStatement statement) -> {
                statement.setInt(1, LOCK_CLASS);
                statement.setInt(2, key);
                statement.setObject(3, holder);
                statement.execute();
                statement.getMoreResults();
                try (ResultSet rows = statement.getResultSet()) {
                    return rows.next() ? rows.getString(1) : null;
                }
            });
        }
        ReentrantLock lock = LOCAL[Math.floorMod(key, STRIPES)];
        lock.lock();
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCompletion(int status) {
                lock.unlock();
            }
        });
        return jdbc.query(latest, rows -> rows.next() ? rows.getString(1) : null, holder);
    }
}
