package no.personvern.web.console;

import jakarta.annotation.PreDestroy;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;
import no.personvern.audit.AuditTrail;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.concurrent.DelegatingSecurityContextRunnable;
import org.springframework.stereotype.Component;

/**
 * The console's verification of the audit chain, run in the background: re-hashing millions of
 * entries takes minutes, far longer than a page may. At most one run at a time on this instance (a
 * second request while one runs joins it); the run is recorded by the trail under the member who
 * started it, and the page shows it through {@link AuditTrail#lastVerification()}.
 */
@Component
class ChainVerification {

    private static final Logger log = LoggerFactory.getLogger(ChainVerification.class);

    private final AuditTrail trail;
    private final Clock clock;
    private final AtomicReference<Instant> runningSince = new AtomicReference<>();
    private final ExecutorService worker = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "pv-audit-verify");
        thread.setDaemon(true);
        return thread;
    });

    ChainVerification(AuditTrail trail, Clock clock) {
        this.trail = trail;
        this.clock = clock;
    }

    /** Starts a run unless one is running; either way, when the running one started. */
    Instant start() {
        Instant now = clock.instant();
        if (!runningSince.compareAndSet(null, now)) {
            Instant since = runningSince.get();
            return since == null ? now : since;
        }
        try {
            worker.execute(new DelegatingSecurityContextRunnable(this::run));
        } catch (RuntimeException refused) {
            runningSince.set(null);
            throw refused;
        }
        return now;
    }

    private void run() {
        try {
            trail.verify();
        } catch (RuntimeException failed) {
            log.warn("The audit chain's verification failed: {}", failed.getClass().getName());
        } finally {
            runningSince.set(null);
        }
    }

    /** When the run on this instance started, if one is running. */
    Optional<Instant> runningSince() {
        return Optional.ofNullable(runningSince.get());
    }

    /** Waits up to {@code patience} for the running run to end (a short trail is verified at once); true once none runs. */
    boolean awaitIdle(Duration patience) {
        long until = System.nanoTime() + patience.toNanos();
        while (runningSince.get() != null) {
            if (System.nanoTime() - until >= 0) {
                return false;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }

    @PreDestroy
    void stop() {
        worker.shutdownNow();
    }
}
