package no.personvern.retention.internal;

import java.time.Clock;
import java.util.Map;
import java.util.UUID;
import no.personvern.retention.RetentionEvents;
import no.personvern.subjects.Vault;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * People who asked for erasure while a legal hold kept their data, whose holds have now all ended
 * (Art. 17(3)(e) no longer applies): handed to the requests module, which erases them in full
 * (connected systems, Art. 19, the person told).
 */
@Component
class DeferredErasures {

    private static final Logger log = LoggerFactory.getLogger(DeferredErasures.class);

    private final LegalHoldService holds;
    private final Vault vault;
    private final ApplicationEventPublisher events;
    private final TransactionTemplate transactions;
    private final Batches batches;
    private final Clock clock;
    private final int batchSize;

    DeferredErasures(LegalHoldService holds, Vault vault, ApplicationEventPublisher events,
            TransactionTemplate transactions, Batches batches, Clock clock, RetentionProperties properties) {
        this.holds = holds;
        this.vault = vault;
        this.events = events;
        this.transactions = transactions;
        this.batches = batches;
        this.clock = clock;
        this.batchSize = properties.batchSize();
    }

    void handOn(Run run) {
        if (run.dryRun) {
            long due = holds.countErasuresDue(run.asOf);
            if (due > 0) {
                run.count(Map.of("erasures-resumed", due), Map.of());
            }
            return;
        }
        // Outside the batch transactions: the erasure runs in full (mails, connected systems) in the
        // requests module, after this commit, and must neither be rolled back with a batch nor take a
        // batch down with it. One page per run.
        for (UUID subjectId : holds.erasuresDue(run.asOf, batchSize)) {
            try {
                boolean live = vault.isLive(subjectId);
                // The erasure is handed on durably: the event and the mark that it was handed on commit together.
                transactions.executeWithoutResult(status -> {
                    if (live) {
                        events.publishEvent(new RetentionEvents.DeferredErasureDue(subjectId));
                    }
                    holds.erased(subjectId, clock.instant());
                });
                if (live) {
                    run.count(Map.of("erasures-resumed", 1L), Map.of());
                }
            } catch (RuntimeException e) {
                log.warn("Retention run {}: a deferred erasure failed ({}); the next run tries again", run.id,
                        e.getClass().getSimpleName());
                run.count(Map.of("erasures-failed", 1L), Map.of());
            }
        }
        // The counts so far are recorded with the lease renewed.
        batches.run(run, () -> { });
    }
}
