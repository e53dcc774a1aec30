package no.personvern.retention.internal;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import no.personvern.catalog.Catalog;
import no.personvern.consent.Subscriptions;
import no.personvern.subjects.Expiry;
import org.springframework.stereotype.Component;

/**
 * Carries out the policy on a page of candidates: deletes what is due, keeps, restricted, what a
 * retention exception keeps, and erases the people left with nothing.
 */
@Component
class Settlement {

    private final Catalog catalog;
    private final Expiry expiry;
    private final LegalHoldService holds;
    private final Subscriptions subscriptions;

    Settlement(Catalog catalog, Expiry expiry, LegalHoldService holds, Subscriptions subscriptions) {
        this.catalog = catalog;
        this.expiry = expiry;
        this.holds = holds;
        this.subscriptions = subscriptions;
    }

    /**
     * Settles these candidates, and checks {@code alsoCheck} (people whose clocks ran out here) for
     * erasure; {@code holdEnded}: the items are values whose hold ended, which nothing keeps now.
     */
    void settle(Run run, List<Expiry.Item> items, Set<UUID> alsoCheck, boolean holdEnded) {
        Set<UUID> subjects = new LinkedHashSet<>(alsoCheck);
        items.forEach(item -> subjects.add(item.subjectId()));
        Set<UUID> held = holds.held(subjects, run.asOf);
        RetentionPolicy.Decision decision = new RetentionPolicy(catalog.retentionExceptions())
                .decide(items, alsoCheck, held, run.asOf, holdEnded);
        Map<String, Long> deleted = decision.deleted();
        if (!run.dryRun) {
            expiry.delete(decision.due());
            if (holdEnded) {
                expiry.destroyUnusedHoldKeys(decision.due().stream().map(Expiry.Item::subjectId).distinct().toList());
            }
            decision.keptUntil().forEach(kept -> expiry.keep(kept.items(), kept.reason(), kept.until()));
            for (UUID subjectId : expiry.withoutData(decision.mayBeEmpty())) {
                if (subscriptions.activeLists(subjectId).isEmpty()
                        && expiry.eraseIfEmpty(subjectId)) {
                    deleted.merge("people", 1L, Long::sum);
                }
            }
        }
        run.count(deleted, decision.kept());
    }
}
