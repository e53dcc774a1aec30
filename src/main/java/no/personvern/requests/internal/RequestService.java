package no.personvern.requests.internal;

import java.io.OutputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import no.personvern.Problems;
import no.personvern.catalog.Catalog;
import no.personvern.catalog.Language;
import no.personvern.catalog.Taxonomy;
import no.personvern.consent.ConsentRequest;
import no.personvern.consent.Consents;
import no.personvern.mail.MailUndeliverable;
import no.personvern.requests.DataRequest;
import no.personvern.requests.RequestDesk;
import no.personvern.requests.RequestStatus;
import no.personvern.requests.RequestType;
import no.personvern.subjects.ErasureReport;
import no.personvern.subjects.Hold;
import no.personvern.subjects.EmailIdentity;
import no.personvern.subjects.SubjectView;
import no.personvern.retention.LegalHold;
import no.personvern.retention.LegalHolds;
import no.personvern.retention.RetentionEvents;
import no.personvern.subjects.Vault;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.http.HttpStatus;
import org.springframework.modulith.events.ApplicationModuleListener;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Intake, verification and deadlines. The requester's address lives only in the vault (under the
 * catalog activity for handling requests); this table holds the subject id and salted code hashes.
 */
@Service
class RequestService implements RequestDesk {

    static final int MAX_REQUESTS_PER_PERSON_PER_HOUR = 5;
    private static final ZoneId NORWAY = RequestRecord.NORWAY;
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(RequestService.class);

    private final RequestRepository requests;
    private final Letters letters;
    private final RequestMails mails;
    private final Vault vault;
    private final Catalog catalog;
    private final ApplicationEventPublisher events;
    private final TransactionTemplate transactions;
    private final Clock clock;
    private final ClientLimit clientLimit;
    private final String system;
    private final String activity;
    private final PackageBuilder packages;
    private final Consents consents;
    private final Deliveries deliveries;
    private final LegalHolds legalHolds;
    private final RecipientNotices notices;
    private final CustomerRouting routing;
    private final RequestCleanup cleanup;
    private final UndeliverableMails undeliverable;
    private final String baseUrl;
    /** For crash tests only: how long the fulfilment listener waits before it works (default none). */
    private final Duration listenerDelay;
    static final Duration PACKAGE_VALIDITY = Duration.ofDays(7);
    static final String ROUTED = CustomerRouting.ROUTED;
    static final String ROUTED_TO_PERSON = CustomerRouting.ROUTED_TO_PERSON;

    RequestService(RequestRepository requests, Letters letters, RequestMails mails, Vault vault, Catalog catalog,
            ApplicationEventPublisher events, TransactionTemplate transactions, Clock clock, ClientLimit clientLimit,
            PackageBuilder packages, @Value("${personvern.base-url}") String baseUrl, Consents consents,
            Deliveries deliveries, LegalHolds legalHolds, RecipientNotices notices, CustomerRouting routing,
            RequestCleanup cleanup, UndeliverableMails undeliverable, @Value("${personvern.events.listener-delay:PT0S}") Duration listenerDelay) {
        this.requests = requests;
        this.letters = letters;
        this.mails = mails;
        this.vault = vault;
        this.catalog = catalog;
        this.events = events;
        this.transactions = transactions;
        this.clock = clock;
        this.clientLimit = clientLimit;
        this.packages = packages;
        this.baseUrl = baseUrl;
        this.consents = consents;
        this.deliveries = deliveries;
        this.legalHolds = legalHolds;
        this.notices = notices;
        this.routing = routing;
        this.cleanup = cleanup;
        this.undeliverable = undeliverable;
        this.listenerDelay = listenerDelay;
        // The catalog's activity for handling requests (declared, or Personvern's built-in one).
        this.system = catalog.requestHandling().system();
        this.activity = catalog.requestHandling().activity();
    }

    @Override
    public UUID submit(String typeKey, String email, String message, String lang, String clientAddress) {
        Problems.Violations invalid = Problems.violations();
        RequestType type = invalid.collect(() -> type(typeKey));
        invalid.require(email != null && !email.isBlank(), "email", "an e-mail address is required");
        invalid.require(email == null || email.isBlank() || vault.acceptsEmail(email), "email",
                "not a valid e-mail address");
        invalid.require(message == null || message.length() <= 5000, "message", "at most 5000 characters");
        invalid.throwIfAny();
        String language = "en".equals(lang) ? "en" : "nb";
        if (!clientLimit.tryAcquire(clientAddress)) {
            throw Problems.exception(HttpStatus.TOO_MANY_REQUESTS, "Too many requests",
                    "Too many requests from this address; try again later.", null);
        }
        // The same work and the same answer whether the address is known or not: nothing here tells
        // a stranger whether someone is a customer. Who the person is is settled at verification.
        EmailIdentity requester = requester(email);
        boolean mayMail = clientLimit.mayMailCode(requester.identityId(), clientAddress);
        UUID subjectId = requester.subjectId();
        Instant now = now();
        UUID id = UUID.randomUUID();
        String code = RequestRecord.newCode();
        transactions.executeWithoutResult(status -> {
            requests.insert(RequestRecord.fromPublic(id, type, subjectId, requester.identityId(),
                    requester.createdPerson(), !requester.verified(), language, mayMail ? code : null, now));
            if (!mayMail) {
                // Stored and answered as any other, but no more mail to an address under a flood.
                return;
            }
            mail(subjectId, requester.identityId(), letters.code(type, language.equals("nb"), code));
        });
        return id;
    }

    @Override
    public DataRequest verify(UUID requestId, String code) {
        java.util.concurrent.atomic.AtomicBoolean fulfilNow = new java.util.concurrent.atomic.AtomicBoolean();
        DataRequest result = transactions.execute(status -> {
            RequestRecord request = lock(requestId);
            if (!request.acceptCode(code, clock.instant())) {
                requests.saveCodeAttempt(request);
                return null;
            }
            Instant now = now();
            long accepted = requests.acceptedSince(request.subjectId(), now.minus(Duration.ofHours(1)));
            if (accepted >= MAX_REQUESTS_PER_PERSON_PER_HOUR) {
                // Counted only once the person proved the address: junk filed in their name blocks nothing,
                // nor do requests from an address that is the person's only by another system's say-so.
                throw Problems.exception(HttpStatus.TOO_MANY_REQUESTS, "Too many requests",
                        "You have sent " + accepted + " requests in the last hour; try again later.", null);
            }
            if (request.awaitsIdentity()) {
                // The code proves who holds the address, not that the address is this person's: another
                // system merely added it to them. Staff confirm the person before anything is done.
                request.open(now);
                requests.saveOpened(request);
                requests.addAttention(requestId, RequestRecord.UNCONFIRMED_IDENTITY);
                DataRequest waiting = get(requestId);
                received(waiting, find(requestId).orElseThrow());
                return waiting;
            }
            Optional<UUID> open = requests.openDuplicate(request.subjectId(), request.type(), requestId);
            if (open.isPresent()) {
                request.linkTo(open.get(), now);
                requests.saveLinked(request);
                return get(open.get());
            }
            request.open(now);
            requests.saveOpened(request);
            DataRequest opened = get(requestId);
            received(opened, find(requestId).orElseThrow());
            fulfilNow.set(start(requestId));
            return opened;
        });
        if (result == null) {
            throw find(requestId).orElseThrow().wrongCode();
        }
        return fulfilNow.get() ? proceed(requestId) : result.id().equals(requestId) ? get(requestId) : result;
    }

    @Override
    public DataRequest submitVerified(String typeKey, String email, UUID subjectId, String channel, String verifiedBy) {
        Problems.Violations invalid = Problems.violations();
        RequestType type = invalid.collect(() -> type(typeKey));
        invalid.require((email == null) != (subjectId == null), "email", "give either email or subjectId");
        invalid.require(email == null || vault.acceptsEmail(email), "email", "not a valid e-mail address");
        invalid.require(channel != null && channel.matches("[a-z][a-z0-9-]{1,49}"), "channel", "a channel (how the"
                + " request came in, e.g. phone or e-mail: lower-case letters, digits, hyphens) is required");
        invalid.require(verifiedBy != null && !verifiedBy.isBlank() && verifiedBy.length() <= 200, "verifiedBy",
                "who verified the person, and how, is required (at most 200 characters)");
        invalid.throwIfAny();
        UUID person;
        UUID requesterIdentity;
        if (subjectId != null) {
            if (!vault.isLive(subjectId)) {
                throw Problems.exception(HttpStatus.NOT_FOUND, "Not found", "No subject " + subjectId + ".", "subjectId");
            }
            person = subjectId;
            requesterIdentity = null;
        } else {
            // The agent verified the person (S18): the address they gave is where the answers go.
            EmailIdentity requester = requester(email);
            person = requester.subjectId();
            requesterIdentity = requester.identityId();
        }
        Intake intake = transactions.execute(status -> {
            Optional<UUID> open = requests.openDuplicate(person, type, null);
            if (open.isPresent()) {
                return new Intake(get(open.get()), false);
            }
            // A request from this very address that waited for someone to confirm who holds it: staff
            // have now verified the person with this address, so it is carried out. Filed by the
            // person's id, a request waiting on another address stays waiting (its answers would go
            // to an address nobody has tied to the person).
            Optional<UUID> waiting = requesterIdentity == null ? Optional.empty()
                    : requests.waitingForIdentity(person, type, requesterIdentity);
            if (waiting.isPresent()) {
                RequestRecord duplicate = lock(waiting.get());
                duplicate.confirmIdentity(verifiedBy.strip(), channel);
                requests.saveIdentityConfirmed(duplicate);
                return new Intake(get(duplicate.id()), start(duplicate.id()));
            }
            UUID id = UUID.randomUUID();
            requests.insert(RequestRecord.fromStaff(id, type, channel, person, requesterIdentity, verifiedBy.strip(),
                    now()));
            DataRequest created = get(id);
            received(created, find(id).orElseThrow());
            return new Intake(created, start(id));
        });
        return intake.fulfilNow() ? proceed(intake.request().id()) : get(intake.request().id());
    }

    /**
     * A request taken in: new, or the open one it duplicates — which may have been waiting for
     * someone to confirm the person's identity, and is then {@code confirmed} and carried out.
     */
    private record Intake(DataRequest request, boolean fulfilNow) {
    }

    @Override
    public DataRequest get(UUID requestId) {
        return find(requestId).map(this::view)
                .orElseThrow(() -> Problems.exception(HttpStatus.NOT_FOUND, "Not found", "No request " + requestId + ".",
                        null));
    }

    @Override
    public List<DataRequest> find(String statusKey, Instant dueBefore, int limit) {
        RequestStatus status = statusKey == null ? null : RequestStatus.fromKey(statusKey)
                .orElseThrow(() -> Problems.invalid("status", "unknown status '" + statusKey + "'"));
        return requests.search(status, dueBefore, limit).stream().map(this::view).toList();
    }

    @Override
    public DataRequest extend(UUID requestId, String reason) {
        requireReason(reason);
        DataRequest extended = transactions.execute(status -> {
            RequestRecord row = lock(requestId);
            String why = reason.strip();
            row.extend(why, clock.instant());
            requests.saveExtended(row);
            Instant until = row.extendedUntil();
            mail(row, letters.extended(row.type(), row.norwegian(), row.extendedUntil(), why));
            return get(requestId);
        });
        return extended;
    }

    @Override
    public DataRequest reject(UUID requestId, String reason) {
        requireReason(reason);
        DataRequest rejected = transactions.execute(status -> {
            RequestRecord row = lock(requestId);
            String why = reason.strip();
            row.reject(why, now());
            requests.saveClosed(row);
            mail(row, letters.rejected(row.type(), row.norwegian(), why));
            return get(requestId);
        });
        return rejected;
    }

    /**
     * An open request goes to every connected system first; it is carried out once they are all
     * done, so erasure reaches the systems before the vault forgets the identities they need. Called
     * in the transaction that opens the request, so the fan-out starts from committed state: the
     * deliveries are written with it, or, when there is nothing to wait for (no connected system, or
     * an erasure under a legal hold, Art. 17(3)(e)), the fulfilment is stored with it as an event
     * ({@link Deliveries.AllSystemsDone}) that is run again after a failure or a crash. True when
     * it can be carried out at once.
     */
    private boolean start(UUID requestId) {
        RequestRecord row = find(requestId).orElseThrow();
        boolean held = row.type() == RequestType.ERASURE && !legalHolds.active(row.subjectId()).isEmpty();
        if (!held && deliveries.start(requestId)) {
            row.startWork();
            requests.saveStarted(row);
            return false;
        }
        events.publishEvent(new Deliveries.AllSystemsDone(requestId));
        return true;
    }

    /**
     * After the opening commit, a request with nothing to wait for is carried out at once, in one
     * transaction with its claim, so the answer shows the result. Should that fail, the stored event
     * carries it out (whichever comes second finds it claimed).
     */
    private DataRequest proceed(UUID requestId) {
        try {
            return transactions.execute(status -> fulfil(requestId));
        } catch (RuntimeException e) {
            log.warn("Request {} could not be carried out at once ({}); its stored event runs it again", requestId,
                    e.getClass().getSimpleName());
            return get(requestId);
        }
    }

    /**
     * Durable: the last system's "done" (or, with nothing to wait for, the opening of the request)
     * and this event commit together; the fulfilment runs after the commit in a transaction of its
     * own (the claim on {@code executed_at} with it), so a crash or a failure leaves the publication
     * incomplete and the whole fulfilment is run again. A fulfilment already done is not repeated.
     */
    @ApplicationModuleListener
    void on(Deliveries.AllSystemsDone done) throws InterruptedException {
        if (!listenerDelay.isNegative() && !listenerDelay.isZero()) {
            Thread.sleep(listenerDelay.toMillis());
        }
        fulfil(done.requestId());
    }

    @Override
    @Scheduled(fixedDelayString = "${personvern.requests.expiry-check:PT1H}")
    public int expireUnverified() {
        return cleanup.expireUnverified();
    }

    /** A connected system's answer after it said 202. */
    @Override
    public DataRequest callback(UUID requestId, String system, String status) {
        find(requestId).orElseThrow(() -> Problems.exception(HttpStatus.NOT_FOUND, "Not found",
                "No request " + requestId + ".", null));
        deliveries.callback(requestId, system, status);
        return get(requestId);
    }

    /**
     * Access and portability are answered with a package: built into the vault's encrypted store,
     * mailed as a link with a random token (valid 7 days). Other types wait for the next steps.
     */
    private DataRequest fulfil(UUID requestId) {
        if (!requests.claimExecution(requestId, now())) {
            return get(requestId);
        }
        RequestRecord row = find(requestId).orElseThrow();
        RequestType type = row.type();
        if (type != RequestType.ACCESS && type != RequestType.PORTABILITY) {
            return execute(requestId);
        }
        transactions.executeWithoutResult(status -> {
            row.startWork();
            requests.saveStarted(row);
        });
        List<Map<String, Object>> history = requests.historyOf(row.subjectId());
        UUID packageId = UUID.randomUUID();
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(RequestRecord.randomBytes(32));
        Instant now = now();
        boolean routed = packages.build(requestId, type, row.subjectId(), row.lang().equals("en") ? Language.EN
                : Language.NB, history, packageId, now);
        transactions.executeWithoutResult(status -> {
            row.delivered((type == RequestType.ACCESS ? "access package delivered"
                    : "portability package delivered") + (routed ? "; " + ROUTED : ""), packageId, token,
                    now.plus(PACKAGE_VALIDITY), now);
            requests.saveDelivered(row);
            if (routed) {
                routing.route(row, type, vault.identities(row.subjectId()));
            }
            packageMail(row, type, routed, baseUrl + "/api/v1/public/requests/" + requestId + "/package?token=" + token);
        });
        return get(requestId);
    }

    /** The link to the package, only to the person (in the transaction that completes the request). */
    private void packageMail(RequestRecord row, RequestType type, boolean routed, String link) {
        mail(row, letters.packageReady(type, row.norwegian(), link, routed));
    }

    /**
     * Carries out what can be done at once: erasure (Art. 17, keeping only what a retention
     * exception requires), restriction (Art. 18) and the absolute objection to direct marketing
     * (Art. 21(3)). Rectification, and objections to other processing, wait for an agent or the DPO.
     */
    private DataRequest execute(UUID requestId) {
        RequestRecord row = find(requestId).orElseThrow();
        RequestType type = row.type();
        // Read before an erasure deletes them: where the answer goes, and how recipients know the person.
        String email = answerAddress(row);
        String personEmail = mails.personAddress(row.subjectId());
        return switch (type) {
            case ERASURE -> {
                stopMarketing(row.subjectId(), "erasure-request", false);
                List<LegalHold> held = legalHolds.active(row.subjectId());
                if (!held.isEmpty()) {
                    yield deferErasure(row, held, email);
                }
                // Read before the erasure deletes them: what identifies the person to the customers' systems.
                SubjectView.IdentityView known = vault.identities(row.subjectId());
                ErasureReport report = vault.eraseSubject(row.subjectId());
                boolean routed = report.kept().stream().anyMatch(kept -> kept.heldBy() instanceof Hold.Reason.ForCustomer);
                if (routed) {
                    routing.route(row, type, known);
                }
                StringBuilder outcome = new StringBuilder("Erased: ").append(String.join(", ", report.erasedCategories()))
                        .append("; documents: ").append(report.documentsErased()).append(".");
                for (ErasureReport.Kept kept : report.kept()) {
                    if (!(kept.heldBy() instanceof Hold.Reason.ForCustomer)) {
                        outcome.append(" Kept, restricted: ").append(kept.category()).append(" – ").append(kept.reason())
                                .append(", until ").append(kept.until().atZone(NORWAY).toLocalDate()).append(".");
                    }
                }
                if (routed) {
                    outcome.append(" ").append(ROUTED_TO_PERSON);
                }
                outcome.append(notices.tell(row, type, personEmail));
                yield complete(row, outcome.toString(), email);
            }
            case RESTRICTION -> {
                stopMarketing(row.subjectId(), "restriction-request", false);
                int values = vault.restrict(row.subjectId(), new Hold.Reason.Restriction(requestId));
                yield complete(row, "Restricted " + values + " values: kept, not used (Art. 18); marketing stopped."
                        + notices.tell(row, type, personEmail), email);
            }
            case OBJECTION -> {
                stopMarketing(row.subjectId(), "objection", true);
                transactions.executeWithoutResult(status -> {
                    row.awaitDecision("Direct marketing stopped for good (Art. 21(3)); any objection to other"
                            + " processing awaits the DPO's decision.");
                    requests.saveAwaitingDecision(row);
                });
                yield get(requestId);
            }
            default -> get(requestId);
        };
    }

    /**
     * Art. 17(3)(e): while a legal hold keeps the data for a legal claim, it is restricted instead
     * (Art. 18(1)(c)) and erased by the first sweep after the hold ends.
     */
    private DataRequest deferErasure(RequestRecord row, List<LegalHold> held, String email) {
        vault.restrict(row.subjectId(), new Hold.Reason.LegalHoldDeferral());
        legalHolds.deferErasure(row.subjectId());
        boolean released = held.stream().anyMatch(hold -> hold.until() == null);
        Instant until = held.stream().map(LegalHold::until).filter(java.util.Objects::nonNull)
                .max(Instant::compareTo).orElse(null);
        String outcome = letters.erasureDeferred(row.norwegian(), released ? null : until);
        return complete(row, outcome, email);
    }

    /**
     * A mail this module relied on was given up. Durable; the listener stays here, as the event
     * publication registry knows incomplete publications by this method.
     */
    @ApplicationModuleListener
    void on(MailUndeliverable mail) {
        undeliverable.handle(mail);
    }

    /**
     * The last legal hold on a person who asked for erasure has ended: the erasure is carried out in
     * full now. Run again after a crash; a person no longer held, or an erasure already open, is not
     * erased twice.
     */
    @ApplicationModuleListener
    void on(RetentionEvents.DeferredErasureDue due) {
        if (vault.isLive(due.subjectId())) {
            submitVerified(RequestType.ERASURE.key(), null, due.subjectId(), "legal-hold-ended",
                    "asked for by the person earlier; deferred while a legal hold kept the data");
        }
    }

    /** Withdraws every consent to a marketing purpose (all consent purposes when {@code onlyMarketing} is false). */
    private void stopMarketing(UUID subjectId, String method, boolean onlyMarketing) {
        List<ConsentRequest> withdrawals = consents.consentPurposes().stream()
                .filter(purpose -> !onlyMarketing || Taxonomy.isWithin(purpose, "marketing"))
                .map(purpose -> new ConsentRequest(subjectId, null, purpose, false, method, "data-subject request"))
                .toList();
        if (!withdrawals.isEmpty()) {
            consents.record(withdrawals);
        }
    }

    @Override
    public DataRequest complete(UUID requestId, String outcome) {
        requireReason(outcome);
        RequestRecord row = find(requestId).orElseThrow(() -> Problems.exception(HttpStatus.NOT_FOUND, "Not found",
                "No request " + requestId + ".", null));
        row.requireActive("completed");
        String notice = row.type() == RequestType.RECTIFICATION
                ? notices.tell(row, RequestType.RECTIFICATION,
                        mails.personAddress(row.subjectId())) : "";
        row.complete(outcome.strip() + notice, now());
        return close(row, answerAddress(row));
    }

    /** Carried out: completed with {@code outcome}, and the person told at {@code email} (if any). */
    private DataRequest complete(RequestRecord row, String outcome, String email) {
        row.carriedOut(outcome, now());
        return close(row, email);
    }

    private DataRequest close(RequestRecord row, String email) {
        String outcome = row.outcome();
        transactions.executeWithoutResult(status -> {
            requests.saveClosed(row);
            if (email != null) {
                RequestType type = row.type();
                Letters.Letter letter = letters.completed(type, row.norwegian(), outcome);
                // After an erasure the letter names no person: nothing links it to the erased id.
                mails.send(email, letter, type == RequestType.ERASURE ? null : row.subjectId(), row.id(),
                        RequestMails.OUTCOME);
            }
        });
        return get(row.id());
    }

    @Override
    public void checkPackage(UUID requestId, String token) {
        RequestRepository.Download download = requests.download(requestId)
                .orElseThrow(() -> Problems.exception(HttpStatus.NOT_FOUND, "Not found", "No package for this link.", null));
        boolean authentic = token != null && token.length() < 100
                && RequestRecord.sameHash(RequestRecord.hash(requestId.toString(), token), download.hash());
        if (!authentic) {
            throw Problems.exception(HttpStatus.NOT_FOUND, "Not found", "No package for this link.", null);
        }
        if (!download.expires().isAfter(clock.instant()) || download.packageId() == null) {
            throw Problems.exception(HttpStatus.GONE, "Expired", "The link has expired (7 days); ask us again.", null);
        }
    }

    @Override
    public void downloadPackage(UUID requestId, String token, OutputStream out) {
        checkPackage(requestId, token);
        RequestRepository.Download download = requests.download(requestId).orElseThrow();
        vault.readExport(download.subjectId(), download.packageId(), out);
    }

    // ---- helpers -------------------------------------------------------------------------

    private void received(DataRequest request, RequestRecord row) {
        mail(row, letters.received(row.type(), row.norwegian(), request.dueAt()));
    }

    /**
     * The address a request is made with, as an identity of the person it belongs to (a new person
     * holding only it, under the catalog activity for handling requests, when it is unknown).
     */
    private EmailIdentity requester(String email) {
        if (email == null || email.isBlank()) {
            throw Problems.invalid("email", "an e-mail address is required");
        }
        return vault.resolveEmail(system, activity, email);
    }

    private String answerAddress(RequestRecord row) {
        return mails.answerAddress(row);
    }

    private void mail(RequestRecord row, Letters.Letter letter) {
        mails.toRequester(row, letter);
    }

    private void mail(UUID subjectId, UUID requesterIdentity, Letters.Letter letter) {
        mails.toRequester(subjectId, requesterIdentity, letter);
    }

    private static RequestType type(String key) {
        return RequestType.fromKey(key == null ? "" : key).orElseThrow(() -> Problems.invalid("type",
                "type is one of access, portability, erasure, rectification, restriction, objection"));
    }

    private static void requireReason(String reason) {
        if (reason == null || reason.isBlank() || reason.length() > 2000) {
            throw Problems.invalid("reason", "a reason of 1 to 2000 characters is required; the person is told it");
        }
    }

    private Instant now() {
        return clock.instant().truncatedTo(java.time.temporal.ChronoUnit.MICROS);
    }

    private RequestRecord lock(UUID requestId) {
        return requests.lock(requestId).orElseThrow(() -> Problems.exception(HttpStatus.NOT_FOUND, "Not found",
                "No request " + requestId + ".", null));
    }

    private Optional<RequestRecord> find(UUID requestId) {
        return requests.find(requestId);
    }

    private DataRequest view(RequestRecord row) {
        return new DataRequest(row.id(), row.type().key(), row.status().key(), row.channel(), row.receivedAt(), row.dueAt(),
                row.extendedUntil(), deliveries.states(row.id()), row.outcome(), row.linkedTo(), row.attention(),
                notices.of(row.id()), routing.of(row.id()));
    }
}
