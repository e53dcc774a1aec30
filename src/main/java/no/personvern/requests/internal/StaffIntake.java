package no.personvern.requests.internal;

import java.time.Clock;
import java.util.Optional;
import java.util.UUID;
import no.personvern.Problems;
import no.personvern.Refusal.Kind;
import no.personvern.requests.DataRequest;
import no.personvern.requests.RequestType;
import no.personvern.security.Callers;
import no.personvern.security.StaffPrincipal;
import no.personvern.subjects.EmailIdentity;
import no.personvern.subjects.Vault;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/** Requests taken by a support agent who verified the person (S18), or by a system: opened at once. */
@Component
class StaffIntake {

    private final RequestRepository requests;
    private final Requesters requesters;
    private final Vault vault;
    private final RequestViews views;
    private final FanOut fanOut;
    private final ImmediateEffects immediate;
    private final TransactionTemplate transactions;
    private final Clock clock;
    private final boolean fourEyesErasure;

    StaffIntake(RequestRepository requests, Requesters requesters, Vault vault, RequestViews views, FanOut fanOut,
            ImmediateEffects immediate, TransactionTemplate transactions, Clock clock, ApprovalProperties approval) {
        this.fourEyesErasure = approval.fourEyesErasure();
        this.immediate = immediate;
        this.requests = requests;
        this.requesters = requesters;
        this.vault = vault;
        this.views = views;
        this.fanOut = fanOut;
        this.transactions = transactions;
        this.clock = clock;
    }

    DataRequest submitVerified(RequestType typeGiven, String email, UUID subjectId, String channel, String verifiedBy,
            String message) {
        Problems.Violations invalid = Problems.violations();
        RequestType type = invalid.collect(() -> Requesters.type(typeGiven));
        invalid.require((email == null) != (subjectId == null), "email", "give either email or subjectId");
        invalid.require(email == null || requesters.acceptsEmail(email), "email", "not a valid e-mail address");
        invalid.require(channel != null && channel.matches("[a-z][a-z0-9-]{1,49}"), "channel", "a channel (how the"
                + " request came in, e.g. phone or e-mail: lower-case letters, digits, hyphens) is required");
        invalid.require(verifiedBy != null && !verifiedBy.isBlank() && verifiedBy.length() <= 200, "verifiedBy",
                "who verified the person, and how, is required (at most 200 characters)");
        Requesters.checkMessage(message, invalid);
        invalid.throwIfAny();
        UUID person;
        UUID requesterIdentity;
        if (subjectId != null) {
            if (!vault.isLive(subjectId)) {
                throw Problems.refusal(Kind.NOT_FOUND, "Not found", "No subject " + subjectId + ".", "subjectId");
            }
            person = subjectId;
            requesterIdentity = null;
        } else {
            // The agent verified the person (S18): the address they gave is where the answers go.
            EmailIdentity requester = requesters.resolve(email);
            person = requester.subjectId();
            requesterIdentity = requester.identityId();
        }
        // The member of staff filing in the console, if any; an agent's erasure waits for a DPO (four eyes).
        Optional<StaffPrincipal> filer = Callers.staff();
        boolean fourEyes = fourEyesErasure && type == RequestType.ERASURE
                && filer.map(member -> !member.dpo()).orElse(false);
        Taken taken = transactions.execute(status -> {
            Optional<UUID> open = requests.openDuplicate(person, type, null);
            if (open.isPresent()) {
                return new Taken(views.get(open.get()), false);
            }
            // A request from this very address that waited for someone to confirm who holds it: staff
            // have now verified the person with this address, so it is carried out. Filed by the
            // person's id, a request waiting on another address stays waiting (its answers would go
            // to an address nobody has tied to the person).
            Optional<UUID> waiting = requesterIdentity == null ? Optional.empty()
                    : requests.waitingForIdentity(person, type, requesterIdentity);
            if (waiting.isPresent()) {
                RequestRecord duplicate = views.lock(waiting.get());
                duplicate.confirmIdentity(verifiedBy.strip(), channel);
                requests.saveIdentityConfirmed(duplicate);
                if (fourEyes) {
                    duplicate.holdForApproval();
                    requests.saveStarted(duplicate);
                    return new Taken(views.get(duplicate.id()), false);
                }
                immediate.onOpened(duplicate);
                return new Taken(views.get(duplicate.id()), fanOut.start(duplicate.id()));
            }
            UUID id = UUID.randomUUID();
            RequestRecord request = RequestRecord.fromStaff(id, type, channel, person, requesterIdentity,
                    verifiedBy.strip(), StoredTime.now(clock));
            request.keepMessage(requesters.keepMessage(person, message));
            filer.ifPresent(member -> request.filedBy(member.id()));
            if (fourEyes) {
                // Nothing acts on it until a DPO approves; the person is told it was received.
                request.holdForApproval();
                requests.insert(request);
                DataRequest held = views.get(id);
                requesters.received(held, requests.find(id).orElseThrow());
                return new Taken(held, false);
            }
            requests.insert(request);
            immediate.onOpened(request);
            DataRequest created = views.get(id);
            requesters.received(created, requests.find(id).orElseThrow());
            return new Taken(created, fanOut.start(id));
        });
        return taken.fulfilNow() ? fanOut.proceed(taken.request().id()) : views.get(taken.request().id());
    }

    /**
     * The erasure a person asked for while a legal hold kept their data, now that the last hold has
     * ended; a person erased meanwhile is not erased twice.
     */
    void eraseAfterHold(UUID subjectId) {
        if (vault.isLive(subjectId)) {
            submitVerified(RequestType.ERASURE, null, subjectId, "legal-hold-ended",
                    "asked for by the person earlier; deferred while a legal hold kept the data", null);
        }
    }

    /**
     * A request taken in: new, or the open one it duplicates — which may have been waiting for
     * someone to confirm the person's identity, and is then confirmed and carried out.
     */
    private record Taken(DataRequest request, boolean fulfilNow) {
    }
}
