package no.personvern.requests.internal;

import org.springframework.stereotype.Component;

/**
 * What a request does the moment it is opened (verified by the person, or filed by staff), in the
 * transaction that opens it — before any connected system is asked, let alone answers — so that
 * it commits with the opening or not at all: an objection to direct marketing stops it at once and
 * for good (Art. 21(3)): every consent to a {@code marketing.*} purpose is withdrawn, which ends the
 * person's subscriptions in the same transaction.
 */
@Component
class ImmediateEffects {

    private final MarketingStop marketing;

    ImmediateEffects(MarketingStop marketing) {
        this.marketing = marketing;
    }

    /** Called in the opening transaction, for a request that is the person's (not waiting for their identity). */
    void onOpened(RequestRecord request) {
        switch (request.type()) {
            case OBJECTION -> marketing.stop(request.subjectId(), "objection", true);
            default -> {
            }
        }
    }
}
