package no.personvern.requests.internal;

import java.io.OutputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
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
import no.personvern.consent.Subscriptions;
import no.personvern.mail.Mail;
import no.personvern.mail.MailUndeliverable;
import no.personvern.mail.Mailer;
import no.personvern.requests.DataRequest;
import no.personvern.requests.RequestDesk;
import no.personvern.requests.RequestStatus;
import no.personvern.requests.RequestType;
import no.personvern.subjects.ErasureReport;
import no.personvern.subjects.Expiry;
import no.personvern.subjects.Hold;
import no.personvern.subjects.EmailIdentity;
import no.personvern.subjects.SubjectView;
import no.personvern.disclosures.Disclosure;
import no.personvern.disclosures.Disclosures;
import no.personvern.retention.LegalHold;
import no.personvern.retention.LegalHolds;
import no.personvern.retention.RetentionEvents;
import no.personvern.subjects.Vault;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.simple.JdbcClient;
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

    private final JdbcClient jdbc;
    private final RequestRepository requests;
    private final Letters letters;
    private final Vault vault;
    private final Mailer mailer;
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
    private final Expiry expiry;
    private final Subscriptions subscriptions;
    private final Disclosures disclosures;
    private final String baseUrl;
    /** For crash tests only: how long the fulfilment listener waits before it works (default none). */
    private final Duration listenerDelay;
    static final Duration PACKAGE_VALIDITY = Duration.ofDays(7);
    static final Duration UNVERIFIED_LIFETIME = Duration.ofDays(7);
    static final String PROCESSOR_HOLD = Hold.PROCESSOR_HOLD;
    private static final String OUTCOME = "outcome";
    private static final String ART_19 = "art19:";
    private static final String ROUTING = "routing";
    static final String ROUTED = "data processed for customers routed to them (Art. 28(3)(e))";
    static final String ROUTED_TO_PERSON = "Data we process on behalf of our customers is"
            + " theirs to decide on: we have passed your request on to them (GDPR Art. 28(3)(e)).";

    RequestService(JdbcClient jdbc, RequestRepository requests, Letters letters, Vault vault, Mailer mailer, Catalog catalog, ApplicationEventPublisher events,
            TransactionTemplate transactions, Clock clock, ClientLimit clientLimit, PackageBuilder packages,
            @Value("${personvern.base-url}") String baseUrl, Consents consents, Deliveries deliveries,
            LegalHolds legalHolds, Disclosures disclosures, Expiry expiry, Subscriptions subscriptions,
            @Value("${personvern.events.listener-delay:PT0S}") Duration listenerDelay) {
        this.listenerDelay = listenerDelay;
        this.subscriptions = subscriptions;
        this.expiry = expiry;
        this.legalHolds = legalHolds;
        this.disclosures = disclosures;
        this.deliveries = deliveries;
        this.packages = packages;
        this.consents = consents;
        this.baseUrl = baseUrl;
        this.jdbc = jdbc;
        this.requests = requests;
        this.letters = letters;
        this.vault = vault;
        this.mailer = mailer;
        this.catalog = catalog;
        this.events = events;
        this.transactions = transactions;
        this.clock = clock;
        this.clientLimit = clientLimit;
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
        Instant now = now();
        return requests.expireStale(now.minus(UNVERIFIED_LIFETIME), now);
    }

    /**
     * What the requests module no longer needs by {@code asOf}, swept with every retention run:
     * unverified (or locked) requests after 7 days, the address such a request alone brought into
     * the vault (erased when nothing else is held about the person: no data, subscription, consent,
     * legal hold or other request), and access packages whose 7-day link has run out. A dry run
     * only counts.
     */
    Map<String, Long> clean(Instant asOf, boolean dryRun) {
        Map<String, Long> counts = new LinkedHashMap<>();
        long unverified = requests.countStale(asOf.minus(UNVERIFIED_LIFETIME));
        Map<UUID, UUID> packages = requests.lapsedPackages(asOf);
        if (unverified > 0) {
            counts.put("requests:unverified", unverified);
        }
        if (!packages.isEmpty()) {
            counts.put("access-packages", (long) packages.size());
        }
        if (dryRun) {
            return counts;
        }
        requests.expireStale(asOf.minus(UNVERIFIED_LIFETIME), now());
        long people = 0;
        for (UUID subjectId : requests.broughtInByExpired()) {
            boolean keptElsewhere = requests.hasUnexpired(subjectId) || !vault.isLive(subjectId)
                    || !legalHolds.active(subjectId).isEmpty() || !subscriptions.activeLists(subjectId).isEmpty()
                    || consents.current(subjectId).containsValue(Boolean.TRUE);
            boolean erased = !keptElsewhere && expiry.eraseIfEmpty(subjectId, Hold.requiredBy(catalog, now()));
            if (erased) {
                people++;
            }
            if (erased || !vault.isLive(subjectId)) {
                // Otherwise asked again by the next run: what keeps the person now may be gone then.
                requests.forgetBroughtIn(subjectId);
            }
        }
        if (people > 0) {
            counts.put("people", people);
        }
        packages.forEach((requestId, packageId) -> {
            vault.deleteExport(packageId);
            requests.dropPackage(requestId);
        });
        return counts;
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
                routeToCustomers(row, type, vault.identities(row.subjectId()));
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
        String personEmail = vault.emails(List.of(row.subjectId()), "privacy-request").get(row.subjectId());
        return switch (type) {
            case ERASURE -> {
                stopMarketing(row.subjectId(), "erasure-request", false);
                List<LegalHold> held = legalHolds.active(row.subjectId());
                if (!held.isEmpty()) {
                    yield deferErasure(row, held, email);
                }
                Instant now = now();
                List<Hold> holds = Hold.requiredBy(catalog, now);
                // Read before the erasure deletes them: what identifies the person to the customers' systems.
                SubjectView.IdentityView known = vault.identities(row.subjectId());
                ErasureReport report = vault.eraseSubject(row.subjectId(), holds);
                boolean routed = report.kept().stream().anyMatch(kept -> kept.reason().equals(PROCESSOR_HOLD));
                if (routed) {
                    routeToCustomers(row, type, known);
                }
                StringBuilder outcome = new StringBuilder("Erased: ").append(String.join(", ", report.erasedCategories()))
                        .append("; documents: ").append(report.documentsErased()).append(".");
                for (ErasureReport.Kept kept : report.kept()) {
                    if (!kept.reason().equals(PROCESSOR_HOLD)) {
                        outcome.append(" Kept, restricted: ").append(kept.category()).append(" – ").append(kept.reason())
                                .append(", until ").append(kept.until().atZone(NORWAY).toLocalDate()).append(".");
                    }
                }
                if (routed) {
                    outcome.append(" ").append(ROUTED_TO_PERSON);
                }
                outcome.append(noticeRecipients(row, type, personEmail));
                yield complete(row, outcome.toString(), email);
            }
            case RESTRICTION -> {
                stopMarketing(row.subjectId(), "restriction-request", false);
                int values = vault.restrict(row.subjectId(), "restriction:" + requestId);
                yield complete(row, "Restricted " + values + " values: kept, not used (Art. 18); marketing stopped."
                        + noticeRecipients(row, type, personEmail), email);
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
     * Art. 19: tells each recipient the person's data was disclosed to about a rectification,
     * erasure or restriction. Recipients are the processors of the disclosure log; authorities that
     * received data in a particular inquiry under the law are not recipients (Art. 4(9)). A
     * processor with a contact in the catalog is mailed; for one without, the DPO is flagged to do
     * it. Returns a sentence for the person.
     */
    private String noticeRecipients(RequestRecord row, RequestType type, String email) {
        return transactions.execute(status -> noticeRecipientsNow(row, type, email));
    }

    private String noticeRecipientsNow(RequestRecord row, RequestType type, String email) {
        Map<String, Disclosure> recipients = new LinkedHashMap<>();
        disclosures.of(row.subjectId()).stream().filter(disclosure -> "dpa".equals(disclosure.basis()))
                .forEach(disclosure -> recipients.putIfAbsent(disclosure.recipient(), disclosure));
        if (recipients.isEmpty()) {
            return "";
        }
        Instant now = now();
        List<String> mailed = new ArrayList<>();
        List<String> byDpo = new ArrayList<>();
        for (Disclosure disclosure : recipients.values()) {
            String contact = catalog.processor(disclosure.recipient()).map(no.personvern.catalog.Processor::contact)
                    .orElse(null);
            boolean sent = contact != null && email != null;
            if (sent) {
                Letters.Letter notice = letters.recipientNotice(type, row.id(), disclosure, email);
                send(new Mail(contact, notice.subject(), notice.text(), Map.of(), null,
                        reference(row.id(), ART_19 + disclosure.recipient())));
            }
            (sent ? mailed : byDpo).add(disclosure.recipientName());
            jdbc.sql("""
                    INSERT INTO request_recipient_notice (request_id, recipient, recipient_name, via, noticed_at)
                    VALUES (:request, :recipient, :name, :via, :at)""")
                    .param("request", row.id()).param("recipient", disclosure.recipient())
                    .param("name", disclosure.recipientName()).param("via", sent ? "mail" : "dpo")
                    .param("at", RequestRepository.time(now)).update();
        }
        if (!byDpo.isEmpty()) {
            addAttention(row.id(), "Art. 19: tell " + String.join(", ", byDpo) + " of the " + typeName(type, false)
                    + " (the data was disclosed to them).");
        }
        return (mailed.isEmpty() ? "" : " We have told those we disclosed the data to (Art. 19): "
                + String.join(", ", mailed) + ".")
                + (byDpo.isEmpty() ? "" : " Our data protection officer will tell " + String.join(", ", byDpo)
                        + " (Art. 19).");
    }

    /**
     * Every mail of this module goes through here: queued in the outbox in the current transaction
     * (the change that causes it), sent after the commit and retried; one given up comes back as
     * {@link MailUndeliverable}.
     */
    private void send(Mail mail) {
        mailer.send(mail);
    }

    private static String reference(UUID requestId, String what) {
        return "request:" + requestId + ":" + what;
    }

    /**
     * A mail this module relied on was given up after its retries: the DPO is told on the request,
     * and an Art. 19 notice is left to them. Durable and idempotent (the text is added once).
     */
    @ApplicationModuleListener
    void on(MailUndeliverable undeliverable) {
        String reference = undeliverable.reference();
        if (reference == null || !reference.matches("request:[0-9a-f-]{36}:.+")) {
            return;
        }
        UUID requestId = UUID.fromString(reference.substring(8, 44));
        String what = reference.substring(45);
        Optional<RequestRecord> found = find(requestId);
        if (found.isEmpty()) {
            return;
        }
        if (what.equals(OUTCOME)) {
            addAttention(requestId, "The mail telling the person the outcome could not be sent: tell them.");
        } else if (what.startsWith(ART_19)) {
            String recipient = what.substring(ART_19.length());
            jdbc.sql("UPDATE request_recipient_notice SET via = 'dpo' WHERE request_id = :request"
                    + " AND recipient = :recipient").param("request", requestId).param("recipient", recipient).update();
            String name = notices(requestId).stream().filter(notice -> notice.recipient().equals(recipient))
                    .map(DataRequest.RecipientNotice::name).findFirst().orElse(recipient);
            addAttention(requestId, "Art. 19: tell " + name + " of the " + typeName(found.get().type(), false) + " (the mail to them could not be delivered).");
        } else if (what.equals(ROUTING)) {
            addAttention(requestId, "The mail passing the request on to the customer(s) could not be delivered: pass"
                    + " it on yourselves, Art. 28(3)(e).");
        }
    }

    private void addAttention(UUID requestId, String text) {
        requests.addAttention(requestId, text);
    }

    private List<DataRequest.RecipientNotice> notices(UUID requestId) {
        return jdbc.sql("SELECT recipient, recipient_name, via, noticed_at FROM request_recipient_notice"
                + " WHERE request_id = :id ORDER BY noticed_at, recipient").param("id", requestId)
                .query((rs, n) -> new DataRequest.RecipientNotice(rs.getString("recipient"),
                        rs.getString("recipient_name"), rs.getString("via"), RequestRepository.instant(rs, "noticed_at"))).list();
    }

    /**
     * Art. 17(3)(e): while a legal hold keeps the data for a legal claim, it is restricted instead
     * (Art. 18(1)(c)) and erased by the first sweep after the hold ends.
     */
    private DataRequest deferErasure(RequestRecord row, List<LegalHold> held, String email) {
        vault.restrict(row.subjectId(), "legal-hold: erasure deferred (Art. 17(3)(e))");
        legalHolds.deferErasure(row.subjectId());
        boolean released = held.stream().anyMatch(hold -> hold.until() == null);
        Instant until = held.stream().map(LegalHold::until).filter(java.util.Objects::nonNull)
                .max(Instant::compareTo).orElse(null);
        String outcome = letters.erasureDeferred(row.norwegian(), released ? null : until);
        return complete(row, outcome, email);
    }

    /**
     * Art. 28(3)(e): data the company processes for a customer is that customer's to decide on.
     * The request is recorded as routed for each processor activity, flagged for the DPO, and mailed
     * to the company's privacy mailbox with what identifies the person in those systems (the
     * systems know which customer holds the data; Personvern does not). Connected systems are told
     * the same in their webhook ({@code processorActivities}).
     */
    private void routeToCustomers(RequestRecord row, RequestType type, SubjectView.IdentityView known) {
        transactions.executeWithoutResult(status -> routeToCustomersNow(row, type, known));
    }

    private void routeToCustomersNow(RequestRecord row, RequestType type, SubjectView.IdentityView known) {
        List<no.personvern.catalog.Activity> forCustomers = catalog.activities().stream()
                .filter(activity -> activity.role() == no.personvern.catalog.Role.PROCESSOR).toList();
        Instant now = now();
        List<String> lines = new ArrayList<>();
        for (no.personvern.catalog.Activity activity : forCustomers) {
            jdbc.sql("""
                    INSERT INTO request_routing (request_id, activity_key, systems, routed_at)
                    VALUES (:request, :activity, :systems, :at)""")
                    .param("request", row.id()).param("activity", activity.key())
                    .param("systems", String.join(",", activity.systems())).param("at", RequestRepository.time(now)).update();
            List<String> ids = activity.systems().stream().filter(known.externalIds()::containsKey)
                    .map(system -> system + ": " + known.externalIds().get(system)).toList();
            lines.add(activity.name().in(Language.EN) + " in " + String.join(", ", activity.systems().stream()
                    .map(system -> catalog.system(system).map(s -> s.name().in(Language.EN)).orElse(system)).toList())
                    + (ids.isEmpty() ? "" : "; the person there: " + String.join(", ", ids)));
        }
        flagForRouting(row.id());
        Letters.Letter letter = letters.routing(type, row.id(), row.dueAt(), lines);
        send(new Mail(catalog.controller().email(), letter.subject(), letter.text(), Map.of(), null,
                reference(row.id(), ROUTING)));
    }

    private List<DataRequest.Routing> routings(UUID requestId) {
        return jdbc.sql("SELECT activity_key, systems, routed_at FROM request_routing WHERE request_id = :id"
                + " ORDER BY activity_key").param("id", requestId)
                .query((rs, n) -> new DataRequest.Routing(rs.getString("activity_key"),
                        List.of(rs.getString("systems").split(",")), RequestRepository.instant(rs, "routed_at"))).list();
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

    /** The DPO must pass the request on to the customer(s) who are controller of the processor-held data. */
    private void flagForRouting(UUID requestId) {
        addAttention(requestId, "Data processed for customers (as processor) concerns this person: pass the"
                + " request on to the controlling customer(s), Art. 28(3)(e).");
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
                ? noticeRecipients(row, RequestType.RECTIFICATION,
                        vault.emails(List.of(row.subjectId()), "privacy-request").get(row.subjectId())) : "";
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
                send(new Mail(email, letter.subject(), letter.text(), Map.of(),
                        type == RequestType.ERASURE ? null : row.subjectId(), reference(row.id(), OUTCOME)));
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

    /**
     * Where the answers to a request go: the address it was made with and nowhere else; for a
     * request filed by staff for a person (by id), the person's verified address. Null once the
     * address is no longer held.
     */
    private String answerAddress(RequestRecord row) {
        return row.requesterIdentity() != null
                ? vault.email(row.subjectId(), row.requesterIdentity(), "privacy-request").orElse(null)
                : vault.emails(List.of(row.subjectId()), "privacy-request").get(row.subjectId());
    }

    private void mail(RequestRecord row, Letters.Letter letter) {
        mail(row.subjectId(), row.requesterIdentity(), letter);
    }

    private void mail(UUID subjectId, UUID requesterIdentity, Letters.Letter letter) {
        String email = requesterIdentity != null
                ? vault.email(subjectId, requesterIdentity, "privacy-request").orElse(null)
                : vault.emails(List.of(subjectId), "privacy-request").get(subjectId);
        if (email != null) {
            send(new Mail(email, letter.subject(), letter.text(), Map.of(), subjectId, null));
        }
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

    private static String typeName(RequestType type, boolean nb) {
        return Letters.typeName(type, nb);
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
                notices(row.id()), routings(row.id()));
    }
}
