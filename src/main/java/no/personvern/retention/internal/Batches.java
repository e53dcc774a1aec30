package no.personvern.retention.internal;

import java.time.Duration;
import no.personvern.retention.RetentionEvents;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/** A sweep's unit of work: the lease kept, then the work, the run's progress and its audit event in one transaction. */
@Component
class Batches {

    private final TransactionTemplate transactions;
    private final RunLog log;
    private final ApplicationEventPublisher events;
    /** A rest between batches that leaves the database to the writers; zero by default. */
    private final Duration pause;

    Batches(TransactionTemplate transactions, RunLog log, ApplicationEventPublisher events,
            RetentionProperties properties) {
        this.transactions = transactions;
        this.log = log;
        this.events = events;
        this.pause = properties.batchPause();
    }

    /** Runs one batch; throws {@link SweepLock.LostLock} before the work if the lease lapsed. */
    void run(Run run, Runnable work) {
        if (run.nextBatch() && !pause.isZero()) {
            try {
                Thread.sleep(pause.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("retention run interrupted", e);
            }
        }
        run.lease.renew();
        transactions.executeWithoutResult(status -> {
            Run.Counts before = run.counts();
            try {
                work.run();
            } catch (RuntimeException e) {
                run.restore(before);
                throw e;
            }
            log.progress(run);
            Run.Counts batch = run.since(before);
            if (!run.dryRun && !batch.isEmpty()) {
                events.publishEvent(new RetentionEvents.RetentionSwept(run.id, batch.deleted(), batch.kept()));
            }
        });
    }
}
