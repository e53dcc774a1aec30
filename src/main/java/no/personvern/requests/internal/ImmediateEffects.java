package no.personvern.requests.internal;

import java.util.Set;
import no.personvern.catalog.Activity;
import no.personvern.catalog.Catalog;
import no.personvern.catalog.LegalBasis;
import no.personvern.catalog.Role;
import no.personvern.catalog.Taxonomy;
import no.personvern.subjects.Hold;
import no.personvern.subjects.Vault;
import org.springframework.stereotype.Component;

/**
 * What a request does the moment it is opened (verified by the person, or filed by staff), in the
 * transaction that opens it — before any connected system is asked, let alone answers — so that
 * it commits with the opening or not at all: an objection to direct marketing stops it at once and
 * for good (Art. 21(3)): every consent to a {@code marketing.*} purpose is withdrawn, which ends the
 * person's subscriptions in the same transaction, and every activity of ours that markets on
 * another basis (a soft opt-in under markedsføringsloven § 15(3)) stops for the person as an upheld
 * objection stops it: its values are restricted and later writes under it refused.
 */
@Component
class ImmediateEffects {

    private final MarketingStop marketing;
    private final Catalog catalog;
    private final Vault vault;

    ImmediateEffects(MarketingStop marketing, Catalog catalog, Vault vault) {
        this.marketing = marketing;
        this.catalog = catalog;
        this.vault = vault;
    }

    /** Called in the opening transaction, for a request that is the person's (not waiting for their identity). */
    void onOpened(RequestRecord request) {
        switch (request.type()) {
            case OBJECTION -> {
                marketing.stop(request.subjectId(), "objection", true);
                Set<String> inUse = vault.activitiesInUse(request.subjectId());
                catalog.activities().stream().filter(ImmediateEffects::marketsWithoutConsent)
                        .map(Activity::key).filter(inUse::contains)
                        .forEach(activity -> vault.stopActivity(request.subjectId(), activity,
                                new Hold.Reason.Objection(request.id())));
            }
            default -> {
            }
        }
    }

    /**
     * Whether an activity of ours markets directly on a basis other than consent: an objection
     * stops it without weighing (Art. 21(3)).
     */
    static boolean marketsWithoutConsent(Activity activity) {
        return activity.role() == Role.CONTROLLER && activity.legalBasis() != LegalBasis.CONSENT
                && activity.purposes().stream().anyMatch(purpose -> Taxonomy.isWithin(purpose, "marketing"));
    }
}
