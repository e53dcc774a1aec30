package no.personvern.requests.internal;

import java.util.List;
import java.util.UUID;
import no.personvern.catalog.Taxonomy;
import no.personvern.consent.ConsentRequest;
import no.personvern.consent.Consents;
import org.springframework.stereotype.Component;

/** Withdraws the person's consents when a request asks us to stop using their data. */
@Component
class MarketingStop {

    private final Consents consents;

    MarketingStop(Consents consents) {
        this.consents = consents;
    }

    /** Withdraws every consent to a marketing purpose (all consent purposes when {@code onlyMarketing} is false). */
    void stop(UUID subjectId, String method, boolean onlyMarketing) {
        List<ConsentRequest> withdrawals = consents.consentPurposes().stream()
                .filter(purpose -> !onlyMarketing || Taxonomy.isWithin(purpose, "marketing"))
                .map(purpose -> new ConsentRequest(subjectId, null, purpose, false, method, "data-subject request"))
                .toList();
        if (!withdrawals.isEmpty()) {
            consents.record(withdrawals);
        }
    }
}
