package no.personvern.requests.internal;

import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import no.personvern.Problems;
import no.personvern.Refusal.Kind;
import no.personvern.catalog.Activity;
import no.personvern.catalog.Catalog;
import no.personvern.catalog.LegalBasis;
import no.personvern.requests.DataRequest;
import no.personvern.requests.RequestEvents.ObjectionDecided;
import no.personvern.requests.RequestType;
import no.personvern.subjects.Hold;
import no.personvern.subjects.Vault;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Art. 21(1): the DPO decides an objection one activity at a time (table
 * {@code request_objection_decision}). Only an activity based on legitimate interests or a public
 * task, under which the person has data in use, can be objected to. Upheld: the activity stops for
 * the person at once — its values are restricted (kept, not used; erased with the person or by the
 * sweep) and the vault refuses further writes under it for them. Rejected: the person is told the
 * compelling legitimate grounds and their right to complain and go to court. The person is mailed
 * either way; the request stays open until the DPO completes it.
 */
@Component
class ObjectionDecisions {

    static final String UPHELD = "upheld";
    static final String REJECTED = "rejected";

    private final RequestRepository requests;
    private final RequestViews views;
    private final Catalog catalog;
    private final Vault vault;
    private final Letters letters;
    private final RequestMails mails;
    private final ApplicationEventPublisher events;
    private final TransactionTemplate transactions;
    private final Clock clock;

    ObjectionDecisions(RequestRepository requests, RequestViews views, Catalog catalog, Vault vault, Letters letters,
            RequestMails mails, ApplicationEventPublisher events, TransactionTemplate transactions, Clock clock) {
        this.requests = requests;
        this.views = views;
        this.catalog = catalog;
        this.vault = vault;
        this.letters = letters;
        this.mails = mails;
        this.events = events;
        this.transactions = transactions;
        this.clock = clock;
    }

    DataRequest decide(UUID requestId, String activityKey, String decision, String reasons) {
        RequestRecord row = views.existing(requestId);
        if (row.type() != RequestType.OBJECTION) {
            throw Problems.refusal(Kind.CONFLICT, "Not an objection", "Request " + requestId + " is a request for "
                    + row.type().key() + "; decisions per activity are taken on objections (Art. 21) only.", null);
        }
        row.requireActive("decided on");
        Problems.Violations invalid = Problems.violations();
        invalid.require(UPHELD.equals(decision) || REJECTED.equals(decision), "decision",
                "decision is upheld or rejected");
        invalid.require(reasons != null && !reasons.isBlank() && reasons.length() <= 2000, "reasons",
                "reasons of 1 to 2000 characters are required; the person is told them");
        Optional<Activity> found = activityKey == null ? Optional.empty() : catalog.activity(activityKey);
        if (found.isEmpty()) {
            invalid.reject("activity", "'" + Problems.shown(activityKey) + "' is not an activity of the catalog");
        } else if (found.get().legalBasis() != LegalBasis.LEGITIMATE_INTERESTS
                && found.get().legalBasis() != LegalBasis.PUBLIC_TASK) {
            invalid.reject("activity", "activity '" + activityKey + "' rests on " + found.get().legalBasis().key()
                    + "; an objection under Art. 21(1) concerns activities based on legitimate interests or a public"
                    + " task");
        } else if (REJECTED.equals(decision) && ImmediateEffects.marketsWithoutConsent(found.get())) {
            invalid.reject("decision", "activity '" + activityKey + "' is direct marketing; an objection to it"
                    + " cannot be rejected (Art. 21(3)): it stopped when the objection was opened");
        } else if (!vault.activitiesInUse(row.subjectId()).contains(activityKey)) {
            invalid.reject("activity", "the person has no data in use under activity '" + activityKey + "'");
        }
        invalid.throwIfAny();
        Activity activity = found.orElseThrow();
        return transactions.execute(status -> {
            RequestRecord locked = views.lock(requestId);
            locked.requireActive("decided on");
            if (requests.objections(requestId).stream().anyMatch(made -> made.activity().equals(activityKey))) {
                throw Problems.refusal(Kind.CONFLICT, "Already decided", "The objection to activity '" + activityKey
                        + "' has been decided on this request.", "activity");
            }
            Instant now = StoredTime.now(clock);
            String why = reasons.strip();
            requests.insertObjection(requestId, activityKey, decision, why, now);
            if (decision.equals(UPHELD)) {
                vault.stopActivity(locked.subjectId(), activityKey, new Hold.Reason.Objection(requestId));
            }
            events.publishEvent(new ObjectionDecided(requestId, locked.subjectId(), activityKey, decision));
            mails.toRequester(locked, letters.objectionDecided(locked.norwegian(), activity, decision.equals(UPHELD),
                    why));
            return views.get(requestId);
        });
    }
}
