package no.personvern.requests.internal;

import no.personvern.catalog.Taxonomy;
import no.personvern.consent.Consents;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Art. 21: direct marketing stopped when the request was opened ({@link ImmediateEffects}); the
 * objection to processing based on legitimate interests or a public task awaits the DPO's decision
 * per activity ({@link ObjectionDecisions}).
 */
@Component
class ObjectionFulfilment {

    private final RequestRepository requests;
    private final TransactionTemplate transactions;
    private final MarketingStop marketing;
    private final Consents consents;

    ObjectionFulfilment(RequestRepository requests, TransactionTemplate transactions, MarketingStop marketing,
            Consents consents) {
        this.marketing = marketing;
        this.consents = consents;
        this.requests = requests;
        this.transactions = transactions;
    }

    void fulfil(RequestRecord row) {
        transactions.executeWithoutResult(status -> {
            stopMarketingIfOpenedBefore(row);
            row.awaitDecision("Direct marketing stopped for good when the request was opened (Art. 21(3)); any"
                    + " objection to other processing awaits the DPO's decision per activity (Art. 21(1)).");
            requests.saveAwaitingDecision(row);
        });
    }

    /**
     * Art. 21(3): a request opened before marketing stopped at opening stops it now; idempotent:
     * withdraws only while a marketing consent is still granted.
     */
    private void stopMarketingIfOpenedBefore(RequestRecord row) {
        if (row.subjectId() == null) {
            return;
        }
        boolean granted = consents.current(row.subjectId()).entrySet().stream()
                .anyMatch(consent -> Boolean.TRUE.equals(consent.getValue())
                        && Taxonomy.isWithin(consent.getKey(), "marketing"))
                || consents.byActivity(row.subjectId()).values().stream().flatMap(purposes -> purposes.entrySet().stream())
                        .anyMatch(consent -> Boolean.TRUE.equals(consent.getValue())
                                && Taxonomy.isWithin(consent.getKey(), "marketing"));
        if (granted) {
            marketing.stop(row.subjectId(), "objection", true);
        }
    }
}
