package no.personvern.requests.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import no.personvern.Problems;
import no.personvern.requests.DataRequest;
import no.personvern.requests.RequestType;
import no.personvern.subjects.EmailIdentity;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/** Requests from the privacy centre: filed unverified, opened by the code mailed to the address. */
@Component
class PublicIntake {

    static final int MAX_REQUESTS_PER_PERSON_PER_HOUR = 5;
    /** How the outcome of a request refused under Art. 12(5) begins. */
    static final String EXCESSIVE = "Manifestly excessive";

    private final RequestRepository requests;
    private final Requesters requesters;
    private final ClientLimit clientLimit;
    private final RequestViews views;
    private final FanOut fanOut;
    private final ImmediateEffects immediate;
    private final TransactionTemplate transactions;
    private final Clock clock;
    private final StatusLinks statusLinks;

    PublicIntake(RequestRepository requests, Requesters requesters, ClientLimit clientLimit, RequestViews views,
            FanOut fanOut, ImmediateEffects immediate, TransactionTemplate transactions, Clock clock,
            StatusLinks statusLinks) {
        this.statusLinks = statusLinks;
        this.immediate = immediate;
        this.requests = requests;
        this.requesters = requesters;
        this.clientLimit = clientLimit;
        this.views = views;
        this.fanOut = fanOut;
        this.transactions = transactions;
        this.clock = clock;
    }

    UUID submit(RequestType typeGiven, String email, String message, String lang, String clientAddress) {
        Problems.Violations invalid = Problems.violations();
        RequestType type = invalid.collect(() -> Requesters.type(typeGiven));
        invalid.require(email != null && !email.isBlank(), "email", "an e-mail address is required");
        invalid.require(email == null || email.isBlank() || requesters.acceptsEmail(email), "email",
                "not a valid e-mail address");
        Requesters.checkMessage(message, invalid);
        invalid.throwIfAny();
        String language = "en".equals(lang) ? "en" : "nb";
        if (!clientLimit.tryAcquire(clientAddress)) {
            if (clientLimit.mayRecordRefusal(clientAddress)) {
                // Art. 12(5): documented as refused, with the reason. The address given is neither looked
                // up nor mailed (it may be anyone's), and further excess from the client is only answered.
                transactions.executeWithoutResult(status -> requests.insert(RequestRecord.refusedAtIntake(
                        UUID.randomUUID(), type, language, EXCESSIVE + " (GDPR Art. 12(5)): more than "
                                + clientLimit.perHour() + " public requests from one client within an hour; refused"
                                + " without looking up or mailing the address given.", StoredTime.now(clock))));
            }
            throw Problems.tooManyRequests("Too many requests from this address; try again later.");
        }
        // The same work and the same answer whether the address is known or not: nothing here tells
        // a stranger whether someone is a customer. Who the person is is settled at verification.
        EmailIdentity requester = requesters.resolve(email);
        boolean mayMail = clientLimit.mayMailCode(requester.identityId(), clientAddress);
        UUID subjectId = requester.subjectId();
        Instant now = StoredTime.now(clock);
        UUID id = UUID.randomUUID();
        String code = RequestRecord.newCode();
        transactions.executeWithoutResult(status -> {
            RequestRecord request = RequestRecord.fromPublic(id, type, subjectId, requester.identityId(),
                    requester.createdPerson(), !requester.verified(), language, mayMail ? code : null, now);
            request.keepMessage(requesters.keepMessage(subjectId, message));
            requests.insert(request);
            if (!mayMail) {
                // Stored and answered as any other, but no more mail to an address under a flood.
                return;
            }
            requesters.mailCode(subjectId, requester.identityId(), type, language.equals("nb"), code);
        });
        return id;
    }

    /** A request verified, and the key of its status-only link for the browser (null when it was refused). */
    record Verified(DataRequest request, String statusKey) {
    }

    DataRequest verify(UUID requestId, String code) {
        return verifyWithLink(requestId, code).request();
    }

    /** Why a request takes no code: confirmed already, expired unconfirmed, or refused under Art. 12(5). */
    no.personvern.requests.CodeCheck.Result noLongerWaiting(UUID requestId) {
        RequestRecord request = requests.find(requestId).orElseThrow(() -> Problems.notFound("No such request."));
        if (request.status() == no.personvern.requests.RequestStatus.EXPIRED) {
            return no.personvern.requests.CodeCheck.Result.REQUEST_EXPIRED;
        }
        if (request.status() == no.personvern.requests.RequestStatus.REJECTED && request.outcome() != null
                && request.outcome().startsWith(EXCESSIVE)) {
            return no.personvern.requests.CodeCheck.Result.REFUSED;
        }
        return no.personvern.requests.CodeCheck.Result.NOT_WAITING;
    }

    /** How many more codes the request takes before it locks. */
    int triesLeft(UUID requestId) {
        return Math.max(0, RequestRecord.MAX_WRONG_CODES - views.existing(requestId).failedCodes());
    }

    /**
     * A new code for an unverified request, replacing the old one, within the request's resends and
     * the address's mail limit (the answer the same whether or not it was mailed).
     */
    void resend(UUID requestId, String clientAddress) {
        transactions.executeWithoutResult(status -> {
            RequestRecord request = views.lock(requestId);
            if (request.status() == no.personvern.requests.RequestStatus.LOCKED) {
                throw request.wrongCode();
            }
            if (request.status() != no.personvern.requests.RequestStatus.UNVERIFIED) {
                throw Problems.refusal(no.personvern.Refusal.Kind.CONFLICT, "Already verified",
                        "This request is " + request.status().key() + ".", null);
            }
            if (requests.codeResends(requestId) >= no.personvern.requests.RequestDesk.MAX_CODE_RESENDS) {
                throw Problems.tooManyRequests("The code of this request has been sent again "
                        + no.personvern.requests.RequestDesk.MAX_CODE_RESENDS + " times; send a new request.");
            }
            if (!clientLimit.mayMailCode(request.requesterIdentity(), clientAddress)) {
                // The address's mail limit: counted and answered as any other, the code mailed before
                // stays the one that works (a code that was not mailed is never held).
                requests.saveResentCode(requestId, request.codeHash(), request.codeExpires());
                return;
            }
            String code = RequestRecord.newCode();
            requests.saveResentCode(requestId, request.hashOf(code),
                    StoredTime.now(clock).plus(RequestRecord.CODE_VALIDITY));
            requesters.mailCode(request.subjectId(), request.requesterIdentity(), request.type(),
                    request.norwegian(), code);
        });
    }

    Verified verifyWithLink(UUID requestId, String code) {
        AtomicReference<String> statusKey = new AtomicReference<>();
        AtomicBoolean fulfilNow = new AtomicBoolean();
        AtomicBoolean refused = new AtomicBoolean();
        DataRequest result = transactions.execute(status -> {
            RequestRecord request = views.lock(requestId);
            if (!request.acceptCode(code, clock.instant())) {
                requests.saveCodeAttempt(request);
                return null;
            }
            Instant now = StoredTime.now(clock);
            long accepted = requests.acceptedSince(request.subjectId(), now.minus(Duration.ofHours(1)));
            if (accepted >= MAX_REQUESTS_PER_PERSON_PER_HOUR) {
                // Counted only once the person proved the address: junk filed in their name blocks nothing,
                // nor do requests from an address that is the person's only by another system's say-so.
                // Art. 12(5): the first excess request in the hour is recorded as refused, with its reason,
                // for the DPO to see; further ones are only answered (nobody can fill the table with them).
                if (requests.refusedSince(request.subjectId(), now.minus(Duration.ofHours(1)), EXCESSIVE)) {
                    throw Problems.tooManyRequests(excessive(accepted) + " Try again later.");
                }
                request.refuseAsExcessive(excessive(accepted), now);
                requests.saveRefused(request);
                if (!request.awaitsIdentity()) {
                    // The code proved who holds the address, and it is the person's: they are told why (Art. 12(4)).
                    requesters.refused(request);
                }
                refused.set(true);
                return null;
            }
            if (request.awaitsIdentity()) {
                // The code proves who holds the address, not that the address is this person's: another
                // system merely added it to them. Staff confirm the person before anything is done.
                request.open(now);
                requests.saveOpened(request);
                requests.addAttention(requestId, RequestRecord.UNCONFIRMED_IDENTITY);
                StatusLinks.Keys keys = statusLinks.issue(requestId);
                statusKey.set(keys.status());
                DataRequest waiting = views.get(requestId);
                requesters.received(waiting, requests.find(requestId).orElseThrow(),
                        statusLinks.link(request, keys.full()));
                return waiting;
            }
            Optional<UUID> open = requests.openDuplicate(request.subjectId(), request.type(), requestId);
            if (open.isPresent()) {
                request.linkTo(open.get(), now);
                requests.saveLinked(request);
                // The person follows the earlier request through a link of this one's.
                StatusLinks.Keys keys = statusLinks.issue(requestId);
                statusKey.set(keys.status());
                DataRequest joined = views.get(open.get());
                requesters.received(joined, request, statusLinks.link(request, keys.full()));
                return joined;
            }
            request.open(now);
            requests.saveOpened(request);
            immediate.onOpened(request);
            // The browser gets the status key; only the mail carries the full key (answer and package).
            StatusLinks.Keys keys = statusLinks.issue(requestId);
            statusKey.set(keys.status());
            DataRequest opened = views.get(requestId);
            requesters.received(opened, requests.find(requestId).orElseThrow(),
                    statusLinks.link(request, keys.full()));
            fulfilNow.set(fanOut.start(requestId));
            return opened;
        });
        if (refused.get()) {
            throw Problems.tooManyRequests(requests.find(requestId).orElseThrow().outcome());
        }
        if (result == null) {
            throw requests.find(requestId).orElseThrow().wrongCode();
        }
        return new Verified(fulfilNow.get() ? fanOut.proceed(requestId)
                : result.id().equals(requestId) ? views.get(requestId) : result, statusKey.get());
    }

    private static String excessive(long accepted) {
        return EXCESSIVE + " (GDPR Art. 12(5)): " + accepted + " requests in the last hour, more than the "
                + MAX_REQUESTS_PER_PERSON_PER_HOUR + " we take from one person in an hour; this one is refused.";
    }
}
