package no.personvern.requests.internal;

import java.util.UUID;
import no.personvern.requests.DataRequest;
import no.personvern.requests.RequestType;
import no.personvern.retention.LegalHolds;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * An open request goes to every connected system first; it is carried out once they are all
 * done, so erasure reaches the systems before the vault forgets the identities they need.
 */
@Component
class FanOut {

    private static final Logger log = LoggerFactory.getLogger(FanOut.class);

    private final RequestRepository requests;
    private final RequestViews views;
    private final Deliveries deliveries;
    private final LegalHolds legalHolds;
    private final Fulfilment fulfilment;
    private final RestrictionFulfilment restriction;
    private final ApplicationEventPublisher events;
    private final TransactionTemplate transactions;

    FanOut(RequestRepository requests, RequestViews views, Deliveries deliveries, LegalHolds legalHolds,
            Fulfilment fulfilment, RestrictionFulfilment restriction, ApplicationEventPublisher events,
            TransactionTemplate transactions) {
        this.restriction = restriction;
        this.requests = requests;
        this.views = views;
        this.deliveries = deliveries;
        this.legalHolds = legalHolds;
        this.fulfilment = fulfilment;
        this.events = events;
        this.transactions = transactions;
    }

    /**
     * Called in the transaction that opens the request, so the fan-out starts from committed state:
     * the deliveries are written with it, or, when there is nothing to wait for (no connected
     * system, or an erasure under a legal hold, Art. 17(3)(e)), the fulfilment is stored with it as
     * an event ({@link Deliveries.AllSystemsDone}) that is run again after a failure or a crash.
     * True when it can be carried out at once.
     */
    boolean start(UUID requestId) {
        RequestRecord row = requests.find(requestId).orElseThrow();
        if (row.type() == RequestType.RESTRICTION) {
            // Art. 18: in force at once, in the transaction that opens the request, before any
            // connected system answers; the systems still receive the request.
            restriction.restrictNow(row);
        }
        boolean held = row.type() == RequestType.ERASURE && !legalHolds.active(row.subjectId()).isEmpty();
        if (!held && deliveries.start(requestId)) {
            row.startWork();
            requests.saveStarted(row);
            return false;
        }
        events.publishEvent(new Deliveries.AllSystemsDone(requestId));
        return true;
    }

    /**
     * After the opening commit, a request with nothing to wait for is carried out at once, in one
     * transaction with its claim, so the answer shows the result. Should that fail, the stored event
     * carries it out (whichever comes second finds it claimed).
     */
    DataRequest proceed(UUID requestId) {
        try {
            return transactions.execute(status -> fulfilment.fulfil(requestId));
        } catch (RuntimeException e) {
            log.warn("Request {} could not be carried out at once ({}); its stored event runs it again", requestId,
                    e.getClass().getSimpleName());
            return views.get(requestId);
        }
    }

    /** A connected system's answer after it said 202. */
    DataRequest callback(UUID requestId, String system, String status) {
        views.existing(requestId);
        deliveries.callback(requestId, system, status);
        return views.get(requestId);
    }
}
