package no.personvern.retention.internal;

import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import no.personvern.catalog.Activity;
import no.personvern.catalog.Catalog;
import no.personvern.retention.RetentionParticipant;
import no.personvern.subjects.Expiry;
import org.springframework.stereotype.Component;

/**
 * One run's walk through the rules: each activity's data by its clock, in keyset pages of one
 * transaction each; then values whose hold ended, deferred erasures, sign-ups never confirmed, the
 * other modules' data (in batches while they say more is left), and the people to flag as inactive.
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
    private final UnconfirmedSignUps signUps;
    private final InactivePeople inactivePeople;
    private final int batchSize;

    Sweeps(Catalog catalog, Expiry expiry, TriggeredSweep triggered, DeferredErasures deferredErasures,
            Settlement settlement, Batches batches, List<RetentionParticipant> participants,
            UnconfirmedSignUps signUps, InactivePeople inactivePeople, RetentionProperties properties) {
        this.signUps = signUps;
        this.inactivePeople = inactivePeople;
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
        signUps.sweep(run);
        for (RetentionParticipant participant : participants) {
            boolean[] more = {false};
            do {
                batches.run(run, () -> {
                    RetentionParticipant.Batch batch = participant.sweep(run.asOf, run.dryRun, batchSize);
                    run.count(batch.deleted(), batch.kept());
                    more[0] = batch.more() && !run.dryRun;
                });
            } while (more[0]);
        }
        inactivePeople.flag(run);
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
