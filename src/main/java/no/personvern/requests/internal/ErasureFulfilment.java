package no.personvern.requests.internal;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import no.personvern.requests.RequestType;
import no.personvern.retention.LegalHold;
import no.personvern.retention.LegalHolds;
import no.personvern.subjects.ErasureReport;
import no.personvern.subjects.Hold;
import no.personvern.subjects.SubjectView;
import no.personvern.subjects.Vault;
import org.springframework.stereotype.Component;

/**
 * Art. 17: erases the person, keeping only what a retention exception requires (restricted), and
 * routes what we process for customers to them; under a legal hold the erasure is deferred.
 */
@Component
class ErasureFulfilment {

    private final Vault vault;
    private final LegalHolds legalHolds;
    private final CustomerRouting routing;
    private final RecipientNotices notices;
    private final RequestMails mails;
    private final Letters letters;
    private final MarketingStop marketing;
    private final Outcomes outcomes;

    ErasureFulfilment(Vault vault, LegalHolds legalHolds, CustomerRouting routing, RecipientNotices notices,
            RequestMails mails, Letters letters, MarketingStop marketing, Outcomes outcomes) {
        this.vault = vault;
        this.legalHolds = legalHolds;
        this.routing = routing;
        this.notices = notices;
        this.mails = mails;
        this.letters = letters;
        this.marketing = marketing;
        this.outcomes = outcomes;
    }

    void fulfil(RequestRecord row) {
        // Read before an erasure deletes them: where the answer goes, and how recipients know the person.
        String email = mails.answerAddress(row);
        String personEmail = mails.personAddress(row.subjectId());
        marketing.stop(row.subjectId(), "erasure-request", false);
        List<LegalHold> held = legalHolds.active(row.subjectId());
        if (!held.isEmpty()) {
            defer(row, held, email);
            return;
        }
        // Read before the erasure deletes them: what identifies the person to the customers' systems.
        SubjectView.IdentityView known = vault.identities(row.subjectId());
        ErasureReport report = vault.eraseSubject(row.subjectId());
        boolean routed = report.kept().stream().anyMatch(kept -> kept.heldBy() instanceof Hold.Reason.ForCustomer);
        if (routed) {
            routing.route(row, RequestType.ERASURE, known);
        }
        StringBuilder outcome = new StringBuilder("Erased: ").append(String.join(", ", report.erasedCategories()))
                .append("; documents: ").append(report.documentsErased()).append(".");
        for (ErasureReport.Kept kept : report.kept()) {
            if (!(kept.heldBy() instanceof Hold.Reason.ForCustomer)) {
                // Art. 17(3)(b), 12(4): what is kept, and why (the law, until when).
                outcome.append(" Kept, restricted: ").append(kept.category()).append(" – ").append(kept.reason())
                        .append(kept.until() == null ? ", until the hold ends" : ", until "
                                + kept.until().atZone(RequestRecord.NORWAY).toLocalDate()).append(".");
            }
        }
        if (routed) {
            outcome.append(" ").append(CustomerRouting.ROUTED_TO_PERSON);
        }
        outcome.append(notices.tell(row, RequestType.ERASURE, personEmail));
        outcomes.carriedOut(row, outcome.toString(), email, !report.kept().isEmpty());
    }

    /**
     * Art. 17(3)(e): while a legal hold keeps the data for a legal claim, it is restricted instead
     * (Art. 18(1)(c)) and erased by the first sweep after the hold ends.
     */
    private void defer(RequestRecord row, List<LegalHold> held, String email) {
        vault.restrict(row.subjectId(), new Hold.Reason.LegalHoldDeferral());
        legalHolds.deferErasure(row.subjectId());
        boolean released = held.stream().anyMatch(hold -> hold.until() == null);
        Instant until = held.stream().map(LegalHold::until).filter(Objects::nonNull)
                .max(Instant::compareTo).orElse(null);
        outcomes.carriedOut(row, letters.erasureDeferred(row.norwegian(), released ? null : until), email, true);
    }
}
