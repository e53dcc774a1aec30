package no.personvern.requests.internal;

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

    ObjectionFulfilment(RequestRepository requests, TransactionTemplate transactions) {
        this.requests = requests;
        this.transactions = transactions;
    }

    void fulfil(RequestRecord row) {
        transactions.executeWithoutResult(status -> {
            row.awaitDecision("Direct marketing stopped for good when the request was opened (Art. 21(3)); any"
                    + " objection to other processing awaits the DPO's decision per activity (Art. 21(1)).");
            requests.saveAwaitingDecision(row);
        });
    }
}
