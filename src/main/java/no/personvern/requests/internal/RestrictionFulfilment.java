package no.personvern.requests.internal;

import no.personvern.requests.RequestType;
import no.personvern.subjects.Hold;
import no.personvern.subjects.Vault;
import org.springframework.stereotype.Component;

/** Art. 18: the person's data is kept but not used, and marketing stops. */
@Component
class RestrictionFulfilment {

    private final Vault vault;
    private final RecipientNotices notices;
    private final RequestMails mails;
    private final MarketingStop marketing;
    private final Outcomes outcomes;

    RestrictionFulfilment(Vault vault, RecipientNotices notices, RequestMails mails, MarketingStop marketing,
            Outcomes outcomes) {
        this.vault = vault;
        this.notices = notices;
        this.mails = mails;
        this.marketing = marketing;
        this.outcomes = outcomes;
    }

    void fulfil(RequestRecord row) {
        String email = mails.answerAddress(row);
        String personEmail = mails.personAddress(row.subjectId());
        marketing.stop(row.subjectId(), "restriction-request", false);
        int values = vault.restrict(row.subjectId(), new Hold.Reason.Restriction(row.id()));
        outcomes.carriedOut(row, "Restricted " + values + " values: kept, not used (Art. 18); marketing stopped."
                + notices.tell(row, RequestType.RESTRICTION, personEmail), email);
    }
}
