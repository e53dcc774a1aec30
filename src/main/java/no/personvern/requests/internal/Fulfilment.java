package no.personvern.requests.internal;

import java.time.Clock;
import java.util.UUID;
import no.personvern.requests.DataRequest;
import org.springframework.stereotype.Component;

/**
 * Carries out a request once every connected system is done, by its right. Rectification, and
 * objections to other processing, wait for an agent or the DPO.
 */
@Component
class Fulfilment {

    private final RequestRepository requests;
    private final RequestViews views;
    private final Clock clock;
    private final PackageFulfilment packages;
    private final ErasureFulfilment erasure;
    private final RestrictionFulfilment restriction;
    private final ObjectionFulfilment objection;

    Fulfilment(RequestRepository requests, RequestViews views, Clock clock, PackageFulfilment packages,
            ErasureFulfilment erasure, RestrictionFulfilment restriction, ObjectionFulfilment objection) {
        this.requests = requests;
        this.views = views;
        this.clock = clock;
        this.packages = packages;
        this.erasure = erasure;
        this.restriction = restriction;
        this.objection = objection;
    }

    /** Carries the request out, unless it is claimed already (done, or being done) or no longer open. */
    DataRequest fulfil(UUID requestId) {
        if (!requests.claimExecution(requestId, StoredTime.now(clock))) {
            return views.get(requestId);
        }
        RequestRecord row = requests.find(requestId).orElseThrow();
        switch (row.type()) {
            case ACCESS, PORTABILITY -> packages.fulfil(row);
            case ERASURE -> erasure.fulfil(row);
            case RESTRICTION -> restriction.fulfil(row);
            case OBJECTION -> objection.fulfil(row);
            case RECTIFICATION -> {
            }
        }
        return views.get(requestId);
    }
}
