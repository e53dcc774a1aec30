package no.personvern.retention.internal;

import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import no.personvern.catalog.Activity;
import no.personvern.catalog.RetentionRule;
import no.personvern.subjects.Expiry;
import org.springframework.stereotype.Component;

/** The sweep of the clocks an event started: people whose contract ended or who withdrew, a page at a time. */
@Component
class TriggeredSweep {

    private final RetentionRepository repository;
    private final RetentionClocks clocks;
    private final LegalHoldService holds;
    private final Expiry expiry;
    private final Settlement settlement;
    private final Batches batches;
    private final Clock clock;
    private final int batchSize;

    TriggeredSweep(RetentionRepository repository, RetentionClocks clocks, LegalHoldService holds, Expiry expiry,
            Settlement settlement, Batches batches, Clock clock, RetentionProperties properties) {
        this.repository = repository;
        this.clocks = clocks;
        this.holds = holds;
        this.expiry = expiry;
        this.settlement = settlement;
        this.batches = batches;
        this.clock = clock;
        this.batchSize = properties.batchSize();
    }

    /**
     * The activity's data of people whose {@code kind} clock started at or before {@code cutoff}. A
     * withdrawal concerns one activity and is marked swept here, unless the person is held; a contract
     * end concerns them all and is marked by {@link #contractEndsSwept}.
     */
    void sweep(Run run, Activity activity, Instant cutoff) {
        RetentionRule.Trigger kind = activity.retention().trigger();
        boolean withdrawal = kind == RetentionRule.Trigger.WITHDRAWAL;
        String activityKey = withdrawal ? activity.key() : null;
        RetentionRepository.Trigger after = new RetentionRepository.Trigger(new UUID(0, 0), null, Instant.EPOCH);
        List<RetentionRepository.Trigger> triggers;
        do {
            triggers = repository.dueTriggers(kind, activityKey, cutoff, after, batchSize);
            if (triggers.isEmpty()) {
                return;
            }
            after = triggers.get(triggers.size() - 1);
            List<RetentionRepository.Trigger> page = triggers;
            batches.run(run, () -> {
                Set<UUID> subjects = new LinkedHashSet<>();
                for (RetentionRepository.Trigger trigger : page) {
                    if (withdrawal && clocks.stopped(trigger.subjectId(), activity)) {
                        if (!run.dryRun) {
                            repository.deleteTrigger(trigger.id());
                        }
                    } else {
                        subjects.add(trigger.subjectId());
                    }
                }
                Set<UUID> held = holds.held(subjects, run.asOf);
                settlement.settle(run, expiry.itemsOf(subjects, List.of(activity.key())), subjects, false);
                if (!run.dryRun && withdrawal) {
                    List<UUID> done = page.stream().filter(t -> subjects.contains(t.subjectId())
                            && !held.contains(t.subjectId())).map(RetentionRepository.Trigger::id).toList();
                    if (!done.isEmpty()) {
                        repository.markSwept(done, clock.instant());
                    }
                }
            });
        } while (triggers.size() == batchSize);
    }

    /**
     * A contract end is done with once every contract-bound activity's clock has run out for it
     * (the longest delay counts) and no legal hold stops the person's sweep.
     */
    void contractEndsSwept(Run run, List<Activity> activities) {
        if (run.dryRun) {
            return;
        }
        RetentionPolicy.contractEndsDoneBy(activities, run.asOf).ifPresent(cutoff -> batches.run(run,
                () -> repository.markContractEndsSwept(cutoff, run.asOf, clock.instant())));
    }
}
