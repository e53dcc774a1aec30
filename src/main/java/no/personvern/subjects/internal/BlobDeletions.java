package no.personvern.subjects.internal;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The files of deleted documents, unlinked after the commit that deleted their rows, so that a
 * sweep or an erasure never waits for the file system. The deleting transaction queues the ids
 * ({@code blob_deletion}); after its commit a worker thread ({@code pv-blob-deletion}) unlinks the
 * files in parallel and removes the queue rows, a batch per transaction that holds the rows it took
 * ({@code FOR UPDATE SKIP LOCKED}), so instances working one queue take disjoint rows. A crash between
 * the commit and the unlink leaves queue rows: each instance works the queue at start, after each
 * commit that queued, and every {@code personvern.documents.deletion-interval}.
 */
@Component
class BlobDeletions {

    private static final Logger log = LoggerFactory.getLogger(BlobDeletions.class);

    /** Files per transaction of the worker: unlinked by the blob store's threads, then their rows deleted. */
    static final int BATCH = 5000;

    private final JdbcClient jdbc;
    private final BlobStore blobs;
    private final TransactionTemplate transactions;
    private final Clock clock;
    private final ExecutorService worker = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "pv-blob-deletion");
        thread.setDaemon(true);
        return thread;
    });
    /** A pass is queued and has not started: further wakes add nothing. */
    private final AtomicBoolean requested = new AtomicBoolean();

    BlobDeletions(JdbcClient jdbc, BlobStore blobs, TransactionTemplate transactions, Clock clock) {
        this.jdbc = jdbc;
        this.blobs = blobs;
        this.transactions = transactions;
        this.clock = clock;
    }

    /**
     * Queues the files of these documents, in the caller's transaction that deletes their rows; call
     * {@link #wakeAfterCommit()} after. One statement, the ids bound as one array: no look-up of the
     * rows (a file whose row another transaction deleted first is queued twice, and unlinked once).
     */
    void queue(Collection<UUID> documentIds) {
        if (documentIds.isEmpty()) {
            return;
        }
        jdbc.sql("""
                INSERT INTO blob_deletion (document_id, queued_at)
                SELECT q.id, :now FROM UNNEST(:ids) AS q(id)""")
                .param("now", OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC))
                .param("ids", documentIds.toArray(UUID[]::new)).update();
    }

    /** Starts a pass once the caller's transaction has committed (at once outside a transaction). */
    void wakeAfterCommit() {
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    wake();
                }
            });
        } else {
            wake();
        }
    }

    /** Starts a pass on the worker thread unless one is already waiting to start. */
    @EventListener(ApplicationReadyEvent.class)
    void wake() {
        if (requested.compareAndSet(false, true)) {
            try {
                worker.execute(() -> {
                    requested.set(false);
                    drainQuietly();
                });
            } catch (RejectedExecutionException e) {
                // Shutting down: the rows stay queued for the next start.
                requested.set(false);
            }
        }
    }

    private void drainQuietly() {
        try {
            drain();
        } catch (RuntimeException e) {
            // Ids of documents only, never a person's data; the rows stay for the next pass.
            log.warn("Queued document files not deleted this pass: {}", e.getClass().getName());
        }
    }

    /**
     * Works through the queue once, oldest first, skipping rows another instance holds; returns how
     * many queue rows this pass completed (each by exactly one pass, whatever instance runs it). A
     * batch that fails to unlink stays queued for the next pass; the pass goes on with the next one.
     */
    int drain() {
        long after = 0;
        int done = 0;
        while (true) {
            long[] last = {after};
            try {
                Integer batch = transactions.execute(status -> {
                    List<Queued> claimed = jdbc.sql("""
                            SELECT seq, document_id FROM blob_deletion WHERE seq > :after
                            ORDER BY seq LIMIT :limit FOR UPDATE SKIP LOCKED""")
                            .param("after", last[0]).param("limit", BATCH)
                            .query((rs, n) -> new Queued(rs.getLong(1), rs.getObject(2, UUID.class))).list();
                    if (claimed.isEmpty()) {
                        return null;
                    }
                    last[0] = claimed.get(claimed.size() - 1).seq();
                    blobs.deleteAll(claimed.stream().map(Queued::documentId).toList());
                    return jdbc.sql("DELETE FROM blob_deletion WHERE seq = ANY(:seqs)")
                            .param("seqs", claimed.stream().map(Queued::seq).toArray(Long[]::new)).update();
                });
                if (batch == null) {
                    return done;
                }
                done += batch;
            } catch (RuntimeException e) {
                if (last[0] == after) {
                    throw e;
                }
                log.warn("A batch of queued document files was not deleted, left for the next pass: {}",
                        e.getClass().getName());
            }
            after = last[0];
        }
    }

    /** Rows in the queue (for the console and the benchmark: when the last file went). */
    long queued() {
        return jdbc.sql("SELECT COUNT(*) FROM blob_deletion").query(Long.class).single();
    }

    @jakarta.annotation.PreDestroy
    void stop() throws InterruptedException {
        worker.shutdownNow();
        worker.awaitTermination(5, TimeUnit.SECONDS);
    }

    private record Queued(long seq, UUID documentId) {
    }
}
