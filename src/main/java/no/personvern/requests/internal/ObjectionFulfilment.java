package no.personvern.requests.internal;

import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/** Art. 21(3): direct marketing stops for good at once; an objection to other processing awaits the DPO. */
@Component
class ObjectionFulfilment {

    private final RequestRepository requests;
    private final MarketingStop marketing;
    private final TransactionTemplate transactions;

    ObjectionFulfilment(RequestRepository requests, MarketingStop marketing, TransactionTemplate transactions) {
        this.requests = requests;
        this.marketing = marketing;
        this.transactions = transactions;
    }

    void fulfil(RequestRecord row) {
        marketing.stop(row.subjectId(), "objection", true);
        transactions.executeWithoutResult(status -> {
            row.awaitDecision("Direct marketing stopped for good (Art. 21(3)); any objection to other"
                    + " processing awaits the DPO's decision.");
            requests.saveAwaitingDecision(row);
        });
    }
}
