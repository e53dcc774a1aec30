package no.personvern.requests.internal;

import no.personvern.requests.RequestType;
import no.personvern.subjects.Hold;
import no.personvern.subjects.Vault;
import org.springframework.stereotype.Component;

/**
 * Art. 18: the person's data is kept but not used — values, documents and identities (a restricted
 * person is not found by look-ups, nor among any list's recipients). It takes effect when the
 * request is opened ({@link #restrictNow}); once every connected system is done, the request is
 * completed and recipients are told (Art. 19). Consents are not withdrawn: they stay recorded, and
 * restricted processing does not use them; lifting the restriction (Art. 18(3)) finds them as they were.
 */
@Component
class RestrictionFulfilment {

    private final Vault vault;
    private final RecipientNotices notices;
    private final RequestMails mails;
    private final Outcomes outcomes;
    private final RestrictionLifting lifting;

    RestrictionFulfilment(Vault vault, RecipientNotices notices, RequestMails mails, Outcomes outcomes,
            RestrictionLifting lifting) {
        this.lifting = lifting;
        this.vault = vault;
        this.notices = notices;
        this.mails = mails;
        this.outcomes = outcomes;
    }

    /**
     * A request opened before restrictions took effect at opening is restricted now; idempotent:
     * nothing happens if a restriction is in force, or this one was lifted (Art. 18(3)).
     */
    private void restrictIfOpenedBefore(RequestRecord row) {
        Hold.Reason.Restriction restriction = new Hold.Reason.Restriction(row.id());
        if (row.subjectId() != null && vault.isLive(row.subjectId()) && vault.restriction(row.subjectId()).isEmpty()
                && !lifting.decided(restriction)) {
            vault.restrict(row.subjectId(), restriction);
        }
    }

    /** In the transaction that opens the request: the restriction is in force from its commit. */
    void restrictNow(RequestRecord row) {
        if (vault.isLive(row.subjectId())) {
            vault.restrict(row.subjectId(), new Hold.Reason.Restriction(row.id()));
        }
    }

    void fulfil(RequestRecord row) {
        restrictIfOpenedBefore(row);
        String email = mails.answerAddress(row);
        String personEmail = mails.personAddress(row.subjectId());
        outcomes.carriedOut(row, "Restricted: your data is kept, and not used for anything else, until the restriction"
                + " is lifted; you will be told before that happens (Art. 18)."
                + notices.tell(row, RequestType.RESTRICTION, personEmail), email);
    }
}
