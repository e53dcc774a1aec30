package no.personvern.retention.internal;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import no.personvern.retention.RetentionRun;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/** The record of runs in {@code retention_run}: opened once the lock is held, counted per batch, closed. */
@Component
class RunLog {

    private final RetentionRepository repository;
    private final TransactionTemplate transactions;
    private final Clock clock;

    RunLog(RetentionRepository repository, TransactionTemplate transactions, Clock clock) {
        this.repository = repository;
        this.transactions = transactions;
        this.clock = clock;
    }

    /**
     * Records a run as running from now: the time taken once the lease is ours, so a run that held
     * it until a moment ago has finished by then. A run still marked running lost its lease (its
     * instance stopped): it is abandoned.
     */
    Run open(UUID id, boolean dryRun, Instant asOf, SweepLock.Lease lease, String startedBy) {
        transactions.executeWithoutResult(status -> {
            Instant now = clock.instant();
            repository.abandonRunning(now);
            repository.insertRun(id, dryRun, asOf, startedBy, now);
        });
        return new Run(id, dryRun, asOf, lease);
    }

    /** The run's counts so far, in the batch's transaction. */
    void progress(Run run) {
        repository.progress(run.id, run.deleted, run.kept);
    }

    /** The run's end: completed, or failed with the reason ({@code error} not null). */
    void close(Run run, String error) {
        transactions.executeWithoutResult(status -> repository.finish(run.id, error == null ? "completed" : "failed",
                clock.instant(), run.deleted, run.kept, error));
    }

    Optional<RetentionRun> get(UUID id) {
        return repository.run(id);
    }

    List<RetentionRun> recent(int limit) {
        return repository.recent(limit);
    }

    /** The run the log shows going, if any. */
    Optional<UUID> going() {
        return repository.running();
    }
}
