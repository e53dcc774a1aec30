package no.personvern.retention.internal;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import no.personvern.catalog.Activity;
import no.personvern.catalog.Catalog;
import no.personvern.retention.RetentionParticipant;
import no.personvern.subjects.Expiry;
import org.springframework.stereotype.Component;

/**
 * One run's walk through the rules: each activity's data by its clock, in keyset pages of one
 * transaction each; then values whose hold ended, deferred erasures, and the other modules' data.
 */
@Component
class Sweeps {

    private final Catalog catalog;
    private final Expiry expiry;
    private final TriggeredSweep triggered;
    private final DeferredErasures deferredErasures;
    private final Settlement settlement;
    private final Batches batches;
    private final List<RetentionParticipant> participants;
    private final int batchSize;

    Sweeps(Catalog catalog, Expiry expiry, TriggeredSweep triggered, DeferredErasures deferredErasures,
            Settlement settlement, Batches batches, List<RetentionParticipant> participants,
            RetentionProperties properties) {
        this.catalog = catalog;
        this.expiry = expiry;
        this.triggered = triggered;
        this.deferredErasures = deferredErasures;
        this.settlement = settlement;
        this.batches = batches;
        this.participants = participants;
        this.batchSize = properties.batchSize();
    }

    void sweep(Run run) {
        List<Activity> activities = catalog.activities();
        for (Activity activity : activities) {
            RetentionPolicy.cutoff(activity.retention(), run.asOf).ifPresent(cutoff -> {
                switch (activity.retention().trigger()) {
                    case COLLECTION -> {
                        page(run, false, cursor -> expiry.valuesCollectedBefore(activity.key(), cutoff, cursor,
                                batchSize));
                        page(run, false, cursor -> expiry.documentsUploadedBefore(activity.key(), cutoff, cursor,
                                batchSize));
                    }
                    case CONTRACT_END, WITHDRAWAL -> triggered.sweep(run, activity, cutoff);
                    case NEXT_VISIT, PROOF -> {
                        // RetentionPolicy.cutoff leaves these out.
                    }
                }
            });
        }
        triggered.contractEndsSwept(run, activities);
        Instant asOf = run.asOf;
        page(run, true, cursor -> expiry.holdsEndedBefore(asOf, cursor, batchSize));
        deferredErasures.handOn(run);
        for (RetentionParticipant participant : participants) {
            batches.run(run, () -> run.count(participant.sweep(run.asOf, run.dryRun), Map.of()));
        }
    }

    /** Walks pages of candidates by keyset; each page is one batch. */
    private void page(Run run, boolean holdEnded, Function<Expiry.Cursor, List<Expiry.Item>> next) {
        Expiry.Cursor cursor = Expiry.Cursor.START;
        List<Expiry.Item> items;
        do {
            items = next.apply(cursor);
            if (items.isEmpty()) {
                return;
            }
            cursor = Expiry.Cursor.after(items.get(items.size() - 1));
            List<Expiry.Item> page = items;
            batches.run(run, () -> settlement.settle(run, page, Set.of(), holdEnded));
        } while (items.size() == batchSize);
    }
}
