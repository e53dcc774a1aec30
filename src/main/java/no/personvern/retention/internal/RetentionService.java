package no.personvern.retention.internal;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import no.personvern.Problems;
import no.personvern.Refusal.Kind;
import no.personvern.retention.RetentionRun;
import no.personvern.retention.RetentionRuns;
import no.personvern.subjects.Vault;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.core.task.TaskExecutor;
import org.springframework.security.core.Authentication;
import org.springframework.security.concurrent.DelegatingSecurityContextRunnable;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Service;

/**
 * Retention runs: the catalog's rules applied in bounded batches, each its own transaction, one run
 * at a time across every instance (the {@link SweepLock}).
 */
@Service
class RetentionService implements RetentionRuns {

    private static final Logger log = LoggerFactory.getLogger(RetentionService.class);

    private final SweepLock lock;
    private final RunLog runs;
    private final Sweeps sweeps;
    private final RetentionClocks clocks;
    private final Vault vault;
    private final TaskExecutor executor;
    private final Clock clock;

    RetentionService(SweepLock lock, RunLog runs, Sweeps sweeps, RetentionClocks clocks, Vault vault,
            @Qualifier("retentionSweepExecutor") TaskExecutor executor, Clock clock) {
        this.lock = lock;
        this.runs = runs;
        this.sweeps = sweeps;
        this.clocks = clocks;
        this.vault = vault;
        this.executor = executor;
        this.clock = clock;
    }

    @Override
    public RetentionRun start(boolean dryRun, Instant asOf) {
        Run run = open(dryRun, asOf).orElseThrow(this::going);
        // The sweep works for whoever started it: its audit entries name them (a token, a member of staff).
        executor.execute(new DelegatingSecurityContextRunnable(() -> sweep(run)));
        return get(run.id);
    }

    @Override
    public RetentionRun run(boolean dryRun, Instant asOf) {
        Run run = open(dryRun, asOf).orElseThrow(this::going);
        sweep(run);
        return get(run.id);
    }

    /** Starts a run in the background unless another run is going; with several instances, one gets the lock. */
    Optional<RetentionRun> startIfFree(boolean dryRun, Instant asOf) {
        return open(dryRun, asOf).map(run -> {
            executor.execute(() -> sweep(run));
            return get(run.id);
        });
    }

    @Override
    public RetentionRun get(UUID runId) {
        return runs.get(runId).orElseThrow(() -> Problems.notFound("No retention run " + runId + "."));
    }

    @Override
    public List<RetentionRun> recent(int limit) {
        return runs.recent(limit);
    }

    @Override
    public void contractEnded(UUID subjectId, Instant endedAt) {
        Instant now = clock.instant();
        Instant at = endedAt == null ? now : endedAt;
        if (at.isAfter(now)) {
            throw Problems.invalid("endedAt", "must not lie in the future: tell Personvern when the agreement has ended");
        }
        if (!vault.isLive(subjectId)) {
            throw Problems.notFound("No person " + subjectId + " is held.");
        }
        clocks.contractEnded(subjectId, at);
    }

    /** The run, opened in the log, if the lease was free; empty while another run is going. */
    private Optional<Run> open(boolean dryRun, Instant requestedAsOf) {
        Instant asked = clock.instant();
        Instant asOf = requestedAsOf == null ? asked : requestedAsOf;
        if (!dryRun && asOf.isAfter(asked)) {
            throw Problems.invalid("asOf", "a future asOf is allowed only for a dry run (\"what would go by then?\")");
        }
        String startedBy = actor() + " @ " + lock.instance();
        return lock.acquire().map(lease -> {
            try {
                return runs.open(UUID.randomUUID(), dryRun, asOf, lease, startedBy);
            } catch (RuntimeException e) {
                lease.release();
                throw e;
            }
        });
    }

    private RuntimeException going() {
        // Between another instance taking the lock and recording its run, the run has no id yet.
        String which = runs.going().map(id -> "Retention run " + id).orElse("Another retention run");
        return Problems.refusal(Kind.CONFLICT, "A retention run is going",
                which + " is going; one run at a time. Try again when it has finished.", null);
    }

    private void sweep(Run run) {
        String error = null;
        try {
            sweeps.sweep(run);
        } catch (SweepLock.LostLock e) {
            error = "lost the lock: another instance took over after the lease lapsed";
        } catch (RuntimeException e) {
            // The exception's message could quote a value from a failed statement: the class and where
            // it was thrown are enough to find it, and nothing about a person reaches the log.
            StackTraceElement where = e.getStackTrace().length == 0 ? null : e.getStackTrace()[0];
            log.error("Retention run {} failed: {} at {}", run.id, e.getClass().getName(), where);
            error = "failed: " + e.getClass().getSimpleName();
        }
        // The lease goes before the run is shown finished: whoever sees "completed" may start the next run at once.
        try {
            run.lease.release();
        } finally {
            runs.close(run, error);
        }
    }

    private static String actor() {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        return authentication == null ? "scheduler" : authentication.getName();
    }
}
