package no.personvern.requests.internal;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import no.personvern.Problems;
import no.personvern.catalog.Catalog;
import no.personvern.catalog.ControllerDetails;
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
import no.personvern.requests.RequestEvents;
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

    static final int MAX_WRONG_CODES = 5;
    /** The width of {@code data_request.attention}. */
    static final int ATTENTION_LIMIT = 500;
    static final Duration CODE_VALIDITY = Duration.ofMinutes(30);
    static final int MAX_REQUESTS_PER_PERSON_PER_HOUR = 5;
    private static final ZoneId NORWAY = ZoneId.of("Europe/Oslo");
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(RequestService.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final JdbcClient jdbc;
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
    static final String UNCONFIRMED_IDENTITY = "The address this request came from belongs to the person only through"
            + " another system's unconfirmed write: confirm who the person is (Art. 12(6)), then file the request for"
            + " them with POST /api/v1/requests (it is then carried out), or reject it.";
    static final String ROUTED_TO_PERSON = "Data we process on behalf of our customers is"
            + " theirs to decide on: we have passed your request on to them (GDPR Art. 28(3)(e)).";

    RequestService(JdbcClient jdbc, Vault vault, Mailer mailer, Catalog catalog, ApplicationEventPublisher events,
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
        String code = String.format("%06d", RANDOM.nextInt(1_000_000));
        String salt = HexFormat.of().formatHex(randomBytes(16));
        transactions.executeWithoutResult(status -> {
            jdbc.sql("""
                    INSERT INTO data_request (id, type, status, channel, subject_id, lang, code_hash, code_salt, code_expires,
                                              received_at, due_at, created_subject, requester_identity, awaits_identity)
                    VALUES (:id, :type, 'unverified', 'public', :subject, :lang, :hash, :salt, :expires, :at, :due,
                            :created, :requester, :awaits)""")
                    .param("id", id).param("type", type.key()).param("subject", subjectId).param("lang", language)
                    .param("created", requester.createdPerson()).param("requester", requester.identityId())
                    .param("awaits", !requester.verified())
                    // A code not mailed is not held: nobody could have received it, so nobody may guess it.
                    .param("hash", mayMail ? codeHash(salt, code) : null).param("salt", salt)
                    .param("expires", time(now.plus(CODE_VALIDITY))).param("at", time(now)).param("due", time(due(now)))
                    .update();
            events.publishEvent(new RequestEvents.RequestTransitioned(id, subjectId, type.key(), "unverified", "public"));
            if (!mayMail) {
                // Stored and answered as any other, but no more mail to an address under a flood.
                return;
            }
            boolean nb = language.equals("nb");
            mail(subjectId, requester.identityId(), nb ? "Koden din: " + code : "Your code: " + code,
                    nb ? "Hei!\n\nVi har fått en forespørsel om " + typeName(type, true) + " for denne e-postadressen.\n"
                            + "Skriv inn denne koden for å bekrefte at det er deg (gjelder i 30 minutter):\n\n    " + code
                            + "\n\nHar du ikke bedt om dette, kan du se bort fra e-posten.\n"
                            : "Hello!\n\nWe have received a request for " + typeName(type, false)
                                    + " for this e-mail address.\n"
                                    + "Enter this code to confirm it is you (valid for 30 minutes):\n\n    " + code
                                    + "\n\nIf you did not ask for this, ignore this e-mail.\n");
        });
        return id;
    }

    @Override
    public DataRequest verify(UUID requestId, String code) {
        java.util.concurrent.atomic.AtomicBoolean fulfilNow = new java.util.concurrent.atomic.AtomicBoolean();
        DataRequest result = transactions.execute(status -> {
            Row row = lock(requestId);
            if (row.status == RequestStatus.LOCKED) {
                throw Problems.exception(HttpStatus.LOCKED, "Locked",
                        "Too many wrong codes: this request is locked. Send a new request.", null);
            }
            if (row.status != RequestStatus.UNVERIFIED) {
                throw Problems.exception(HttpStatus.CONFLICT, "Already verified", "This request is " + row.status.key()
                        + ".", null);
            }
            if (row.codeExpires.isBefore(clock.instant())) {
                throw Problems.exception(HttpStatus.GONE, "Code expired",
                        "The code has expired (30 minutes); send the request again.", "code");
            }
            // A request whose code was not mailed (the address's mail limit) has none: every guess is wrong,
            // answered as any wrong code.
            String given = code != null && code.matches("\\d{6}") ? codeHash(row.codeSalt, code) : null;
            boolean correct = given != null && row.codeHash != null && MessageDigest.isEqual(
                    given.getBytes(StandardCharsets.US_ASCII), row.codeHash.getBytes(StandardCharsets.US_ASCII));
            if (!correct) {
                int failed = row.failedCodes + 1;
                boolean locked = failed >= MAX_WRONG_CODES;
                jdbc.sql("UPDATE data_request SET failed_codes = :failed, status = :status WHERE id = :id")
                        .param("failed", failed).param("status", locked ? "locked" : "unverified").param("id", requestId)
                        .update();
                if (locked) {
                    events.publishEvent(new RequestEvents.RequestTransitioned(requestId, row.subjectId, row.type,
                            "locked", row.channel));
                }
                return null;
            }
            Instant now = now();
            long accepted = jdbc.sql("""
                    SELECT COUNT(*) FROM data_request WHERE subject_id = :subject AND received_at > :since
                    AND status NOT IN ('unverified', 'locked', 'expired') AND NOT awaits_identity""")
                    .param("subject", row.subjectId).param("since", time(now.minus(Duration.ofHours(1))))
                    .query(Long.class).single();
            if (accepted >= MAX_REQUESTS_PER_PERSON_PER_HOUR) {
                // Counted only once the person proved the address: junk filed in their name blocks nothing,
                // nor do requests from an address that is the person's only by another system's say-so.
                throw Problems.exception(HttpStatus.TOO_MANY_REQUESTS, "Too many requests",
                        "You have sent " + accepted + " requests in the last hour; try again later.", null);
            }
            if (row.awaitsIdentity) {
                // The code proves who holds the address, not that the address is this person's: another
                // system merely added it to them. Staff confirm the person before anything is done.
                jdbc.sql("""
                        UPDATE data_request SET status = 'open', code_hash = NULL, received_at = :at, due_at = :due
                        WHERE id = :id""").param("at", time(now)).param("due", time(due(now))).param("id", requestId)
                        .update();
                events.publishEvent(new RequestEvents.RequestTransitioned(requestId, row.subjectId, row.type, "open",
                        row.channel));
                addAttention(requestId, UNCONFIRMED_IDENTITY);
                DataRequest waiting = get(requestId);
                received(waiting, find(requestId).orElseThrow());
                return waiting;
            }
            Optional<UUID> open = openDuplicate(row.subjectId, row.type, requestId);
            if (open.isPresent()) {
                jdbc.sql("""
                        UPDATE data_request SET status = 'linked', linked_to = :open, code_hash = NULL, closed_at = :at
                        WHERE id = :id""").param("open", open.get()).param("at", time(now)).param("id", requestId).update();
                events.publishEvent(new RequestEvents.RequestTransitioned(requestId, row.subjectId, row.type, "linked",
                        row.channel));
                return get(open.get());
            }
            jdbc.sql("""
                    UPDATE data_request SET status = 'open', code_hash = NULL, received_at = :at, due_at = :due WHERE id = :id""")
                    .param("at", time(now)).param("due", time(due(now))).param("id", requestId).update();
            events.publishEvent(new RequestEvents.RequestTransitioned(requestId, row.subjectId, row.type, "open",
                    row.channel));
            DataRequest opened = get(requestId);
            received(opened, find(requestId).orElseThrow());
            fulfilNow.set(start(requestId));
            return opened;
        });
        if (result == null) {
            Row row = find(requestId).orElseThrow();
            int left = Math.max(0, MAX_WRONG_CODES - row.failedCodes);
            throw left == 0
                    ? Problems.exception(HttpStatus.LOCKED, "Locked",
                            "Too many wrong codes: this request is locked. Send a new request.", null)
                    : Problems.exception(HttpStatus.UNPROCESSABLE_CONTENT, "Wrong code",
                            "The code is not right; " + left + " tries left.", "code");
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
            Optional<UUID> open = openDuplicate(person, type.key(), null);
            if (open.isPresent()) {
                return new Intake(get(open.get()), false);
            }
            // A request from this very address that waited for someone to confirm who holds it: staff
            // have now verified the person with this address, so it is carried out. Filed by the
            // person's id, a request waiting on another address stays waiting (its answers would go
            // to an address nobody has tied to the person).
            Optional<UUID> waiting = requesterIdentity == null ? Optional.empty() : jdbc.sql("""
                    SELECT id FROM data_request WHERE subject_id = :subject AND type = :type AND awaits_identity
                    AND requester_identity = :requester AND status IN ('open', 'in_progress')
                    ORDER BY received_at LIMIT 1""")
                    .param("subject", person).param("type", type.key()).param("requester", requesterIdentity)
                    .query(UUID.class).optional();
            if (waiting.isPresent()) {
                Row duplicate = lock(waiting.get());
                String attention = duplicate.attention == null ? null
                        : duplicate.attention.replace(UNCONFIRMED_IDENTITY, "").strip();
                jdbc.sql("""
                        UPDATE data_request SET awaits_identity = FALSE, verified_by = :verifiedBy, attention = :attention
                        WHERE id = :id""")
                        .param("verifiedBy", verifiedBy.strip())
                        .param("attention", attention == null || attention.isEmpty() ? null : attention)
                        .param("id", duplicate.id).update();
                events.publishEvent(new RequestEvents.RequestTransitioned(duplicate.id, person, duplicate.type,
                        "identity-confirmed", channel));
                return new Intake(get(duplicate.id), start(duplicate.id));
            }
            UUID id = UUID.randomUUID();
            Instant now = now();
            jdbc.sql("""
                    INSERT INTO data_request (id, type, status, channel, subject_id, lang, verified_by, received_at, due_at,
                                              requester_identity)
                    VALUES (:id, :type, 'open', :channel, :subject, 'nb', :verifiedBy, :at, :due, :requester)""")
                    .param("id", id).param("type", type.key()).param("channel", channel).param("subject", person)
                    .param("requester", requesterIdentity)
                    .param("verifiedBy", verifiedBy.strip()).param("at", time(now)).param("due", time(due(now)))
                    .update();
            events.publishEvent(new RequestEvents.RequestTransitioned(id, person, type.key(), "open", channel));
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
        StringBuilder sql = new StringBuilder("SELECT * FROM data_request WHERE 1 = 1");
        Map<String, Object> params = new LinkedHashMap<>();
        if (statusKey != null) {
            RequestStatus status = RequestStatus.fromKey(statusKey)
                    .orElseThrow(() -> Problems.invalid("status", "unknown status '" + statusKey + "'"));
            sql.append(" AND status = :status");
            params.put("status", status.key());
        }
        if (dueBefore != null) {
            sql.append(" AND COALESCE(extended_until, due_at) < :due");
            params.put("due", time(dueBefore));
        }
        sql.append(" ORDER BY COALESCE(extended_until, due_at), id LIMIT :limit");
        params.put("limit", limit);
        JdbcClient.StatementSpec statement = jdbc.sql(sql.toString());
        for (Map.Entry<String, Object> param : params.entrySet()) {
            statement = statement.param(param.getKey(), param.getValue());
        }
        return statement.query(RequestService::row).list().stream().map(this::view).toList();
    }

    @Override
    public DataRequest extend(UUID requestId, String reason) {
        requireReason(reason);
        DataRequest extended = transactions.execute(status -> {
            Row row = lock(requestId);
            if (!row.status.isActive()) {
                throw conflict("Only an open request can be extended; this one is " + row.status.key() + ".");
            }
            if (row.extendedUntil != null) {
                throw conflict("The deadline has been extended once already (Art. 12(3)).");
            }
            if (!clock.instant().isBefore(row.dueAt)) {
                throw conflict("An extension must be given within the first month (Art. 12(3)); it ended at "
                        + row.dueAt + ".");
            }
            Instant until = row.dueAt.atZone(NORWAY).plusMonths(2).toInstant();
            jdbc.sql("UPDATE data_request SET extended_until = :until, extension_reason = :reason WHERE id = :id")
                    .param("until", time(until)).param("reason", reason.strip()).param("id", requestId).update();
            events.publishEvent(new RequestEvents.RequestTransitioned(requestId, row.subjectId, row.type, "extended",
                    row.channel));
            boolean nb = row.lang.equals("nb");
            String why = reason.strip();
            mail(row, nb ? "Vi trenger mer tid til å svare deg" : "We need more time to answer you",
                    nb ? "Hei!\n\nForespørselen din om " + typeName(RequestType.fromKey(row.type).orElseThrow(), true)
                            + " tar lengre tid enn vanlig. Fristen er forlenget til " + date(until, true)
                            + ".\n\nGrunnen:\n" + why + "\n\nPersonvernforordningen art. 12 nr. 3 gir oss "
                            + "lov til å forlenge fristen med inntil to måneder når det er nødvendig.\n"
                            + footer(true)
                            : "Hello!\n\nYour request for " + typeName(RequestType.fromKey(row.type).orElseThrow(), false)
                                    + " takes longer than usual. The deadline is extended to " + date(until, false)
                                    + ".\n\nThe reason:\n" + why + "\n\nGDPR Art. 12(3) allows us to extend "
                                    + "the deadline by up to two months when necessary.\n" + footer(false));
            return get(requestId);
        });
        return extended;
    }

    @Override
    public DataRequest reject(UUID requestId, String reason) {
        requireReason(reason);
        DataRequest rejected = transactions.execute(status -> {
            Row row = lock(requestId);
            if (!row.status.isActive()) {
                throw conflict("Only an open request can be rejected; this one is " + row.status.key() + ".");
            }
            jdbc.sql("UPDATE data_request SET status = 'rejected', outcome = :reason, closed_at = :at WHERE id = :id")
                    .param("reason", reason.strip()).param("at", time(now())).param("id", requestId).update();
            events.publishEvent(new RequestEvents.RequestTransitioned(requestId, row.subjectId, row.type, "rejected",
                    row.channel));
            boolean nb = row.lang.equals("nb");
            String why = reason.strip();
            ControllerDetails.SupervisoryAuthority authority = catalog.controller().supervisoryAuthority();
            mail(row, nb ? "Svar på forespørselen din" : "The answer to your request",
                    nb ? "Hei!\n\nVi kan ikke etterkomme forespørselen din om "
                            + typeName(RequestType.fromKey(row.type).orElseThrow(), true) + ".\n\nGrunnen:\n" + why
                            + "\n\nEr du uenig, kan du klage til " + authority.name() + " (" + authority.url()
                            + "), og du kan gå til domstolene (personvernforordningen art. 12 nr. 4).\n" + footer(true)
                            : "Hello!\n\nWe cannot act on your request for "
                                    + typeName(RequestType.fromKey(row.type).orElseThrow(), false) + ".\n\nThe reason:\n"
                                    + why + "\n\nIf you disagree, you may complain to " + authority.name() + " ("
                                    + authority.url() + "), and you may go to court (GDPR Art. 12(4)).\n" + footer(false));
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
        Row row = find(requestId).orElseThrow();
        boolean held = row.type.equals(RequestType.ERASURE.key()) && !legalHolds.active(row.subjectId).isEmpty();
        if (!held && deliveries.start(requestId)) {
            jdbc.sql("UPDATE data_request SET status = 'in_progress' WHERE id = :id").param("id", requestId).update();
            events.publishEvent(new RequestEvents.RequestTransitioned(requestId, row.subjectId, row.type, "in_progress",
                    row.channel));
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
        return jdbc.sql("UPDATE data_request SET status = 'expired', code_hash = NULL, closed_at = :now"
                + " WHERE status IN ('unverified', 'locked') AND received_at < :limit")
                .param("now", time(now)).param("limit", time(now.minus(UNVERIFIED_LIFETIME))).update();
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
        String stale = " WHERE status IN ('unverified', 'locked') AND received_at < :limit";
        long unverified = jdbc.sql("SELECT COUNT(*) FROM data_request" + stale)
                .param("limit", time(asOf.minus(UNVERIFIED_LIFETIME))).query(Long.class).single();
        List<Map<String, Object>> packages = jdbc.sql("SELECT id, package_id FROM data_request"
                + " WHERE package_id IS NOT NULL AND package_expires <= :at").param("at", time(asOf)).query()
                .listOfRows();
        if (unverified > 0) {
            counts.put("requests:unverified", unverified);
        }
        if (!packages.isEmpty()) {
            counts.put("access-packages", (long) packages.size());
        }
        if (dryRun) {
            return counts;
        }
        jdbc.sql("UPDATE data_request SET status = 'expired', code_hash = NULL, closed_at = :now" + stale)
                .param("now", time(now())).param("limit", time(asOf.minus(UNVERIFIED_LIFETIME))).update();
        List<UUID> broughtIn = jdbc.sql("SELECT DISTINCT subject_id FROM data_request WHERE created_subject"
                + " AND status = 'expired'").query(UUID.class).list();
        long people = 0;
        for (UUID subjectId : broughtIn) {
            boolean otherRequests = jdbc.sql("SELECT COUNT(*) FROM data_request WHERE subject_id = :subject"
                    + " AND status <> 'expired'").param("subject", subjectId).query(Long.class).single() > 0;
            boolean keptElsewhere = otherRequests || !vault.isLive(subjectId)
                    || !legalHolds.active(subjectId).isEmpty() || !subscriptions.activeLists(subjectId).isEmpty()
                    || consents.current(subjectId).containsValue(Boolean.TRUE);
            boolean erased = !keptElsewhere && expiry.eraseIfEmpty(subjectId, Hold.requiredBy(catalog, now()));
            if (erased) {
                people++;
            }
            if (erased || !vault.isLive(subjectId)) {
                // Otherwise asked again by the next run: what keeps the person now may be gone then.
                jdbc.sql("UPDATE data_request SET created_subject = FALSE WHERE subject_id = :subject")
                        .param("subject", subjectId).update();
            }
        }
        if (people > 0) {
            counts.put("people", people);
        }
        for (Map<String, Object> request : packages) {
            vault.deleteExport((UUID) request.get("package_id"));
            jdbc.sql("UPDATE data_request SET package_id = NULL WHERE id = :id").param("id", request.get("id")).update();
        }
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
        int claimed = jdbc.sql("UPDATE data_request SET executed_at = :at WHERE id = :id AND executed_at IS NULL")
                .param("at", time(now())).param("id", requestId).update();
        if (claimed == 0) {
            return get(requestId);
        }
        Row row = find(requestId).orElseThrow();
        RequestType type = RequestType.fromKey(row.type).orElseThrow();
        if (type != RequestType.ACCESS && type != RequestType.PORTABILITY) {
            return execute(requestId);
        }
        transactions.executeWithoutResult(status -> {
            jdbc.sql("UPDATE data_request SET status = 'in_progress' WHERE id = :id").param("id", requestId).update();
            events.publishEvent(new RequestEvents.RequestTransitioned(requestId, row.subjectId, row.type, "in_progress",
                    row.channel));
        });
        // Requests from an address nobody has tied to the person are not theirs to see: a stranger made them.
        List<Map<String, Object>> history = jdbc.sql("SELECT id, type, status, channel, received_at, due_at"
                + " FROM data_request WHERE subject_id = :subject AND NOT awaits_identity ORDER BY received_at")
                .param("subject", row.subjectId)
                .query((rs, n) -> {
                    Map<String, Object> item = new LinkedHashMap<>();
                    item.put("id", rs.getObject("id", UUID.class).toString());
                    item.put("type", rs.getString("type"));
                    item.put("status", rs.getString("status"));
                    item.put("channel", rs.getString("channel"));
                    item.put("receivedAt", instant(rs, "received_at").toString());
                    item.put("dueAt", instant(rs, "due_at").toString());
                    return item;
                }).list();
        UUID packageId = UUID.randomUUID();
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(randomBytes(32));
        Instant now = now();
        boolean routed = packages.build(requestId, type, row.subjectId, row.lang.equals("en") ? Language.EN
                : Language.NB, history, packageId, now);
        transactions.executeWithoutResult(status -> {
            jdbc.sql("UPDATE data_request SET status = 'completed', outcome = :outcome, package_id = :package,"
                    + " package_hash = :hash, package_expires = :expires, closed_at = :at WHERE id = :id")
                    .param("outcome", (type == RequestType.ACCESS ? "access package delivered"
                            : "portability package delivered") + (routed ? "; " + ROUTED : ""))
                    .param("package", packageId).param("hash", codeHash(requestId.toString(), token))
                    .param("expires", time(now.plus(PACKAGE_VALIDITY))).param("at", time(now)).param("id", requestId)
                    .update();
            events.publishEvent(new RequestEvents.RequestTransitioned(requestId, row.subjectId, row.type, "completed",
                    row.channel));
            if (routed) {
                routeToCustomers(row, type, vault.identities(row.subjectId));
            }
            packageMail(row, type, routed, baseUrl + "/api/v1/public/requests/" + requestId + "/package?token=" + token);
        });
        return get(requestId);
    }

    /** The link to the package, only to the person (in the transaction that completes the request). */
    private void packageMail(Row row, RequestType type, boolean routed, String link) {
        boolean nb = row.lang.equals("nb");
        mail(row, nb ? "Opplysningene dine er klare" : "Your data is ready",
                nb ? "Hei!\n\nSvaret på forespørselen din om " + typeName(type, true) + " er klart. Last det ned her "
                        + "(lenken virker i 7 dager og bare for deg):\n\n" + link + "\n\nPakken inneholder data.json "
                        + "med alle opplysningene og report.html som forklarer hva vi bruker dem til, hvem som får dem, "
                        + "hvor lenge vi lagrer dem og hvilke rettigheter du har.\n"
                        + (routed ? "\nOpplysninger vi behandler på vegne av kundene våre, er det kunden"
                                + " som bestemmer over; vi har sendt forespørselen din videre til dem (art. 28 nr. 3"
                                + " bokstav e).\n" : "") + footer(true)
                        : "Hello!\n\nThe answer to your request for " + typeName(type, false) + " is ready. Download it "
                                + "here (the link works for 7 days and only for you):\n\n" + link + "\n\nThe package "
                                + "holds data.json with all the data and report.html, which explains what we use it for, "
                                + "who receives it, how long we keep it and what your rights are.\n"
                                + (routed ? "\n" + ROUTED_TO_PERSON + "\n" : "") + footer(false));
    }

    /**
     * Carries out what can be done at once: erasure (Art. 17, keeping only what a retention
     * exception requires), restriction (Art. 18) and the absolute objection to direct marketing
     * (Art. 21(3)). Rectification, and objections to other processing, wait for an agent or the DPO.
     */
    private DataRequest execute(UUID requestId) {
        Row row = find(requestId).orElseThrow();
        RequestType type = RequestType.fromKey(row.type).orElseThrow();
        // Read before an erasure deletes them: where the answer goes, and how recipients know the person.
        String email = answerAddress(row);
        String personEmail = vault.emails(List.of(row.subjectId), "privacy-request").get(row.subjectId);
        return switch (type) {
            case ERASURE -> {
                stopMarketing(row.subjectId, "erasure-request", false);
                List<LegalHold> held = legalHolds.active(row.subjectId);
                if (!held.isEmpty()) {
                    yield deferErasure(row, held, email);
                }
                Instant now = now();
                List<Hold> holds = Hold.requiredBy(catalog, now);
                // Read before the erasure deletes them: what identifies the person to the customers' systems.
                SubjectView.IdentityView known = vault.identities(row.subjectId);
                ErasureReport report = vault.eraseSubject(row.subjectId, holds);
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
                stopMarketing(row.subjectId, "restriction-request", false);
                int values = vault.restrict(row.subjectId, "restriction:" + requestId);
                yield complete(row, "Restricted " + values + " values: kept, not used (Art. 18); marketing stopped."
                        + noticeRecipients(row, type, personEmail), email);
            }
            case OBJECTION -> {
                stopMarketing(row.subjectId, "objection", true);
                transactions.executeWithoutResult(status -> jdbc.sql("UPDATE data_request SET status = 'in_progress',"
                        + " outcome = :outcome WHERE id = :id").param("outcome", "Direct marketing stopped for good"
                        + " (Art. 21(3)); any objection to other processing awaits the DPO's decision.")
                        .param("id", requestId).update());
                events.publishEvent(new RequestEvents.RequestTransitioned(requestId, row.subjectId, row.type,
                        "in_progress", row.channel));
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
    private String noticeRecipients(Row row, RequestType type, String email) {
        return transactions.execute(status -> noticeRecipientsNow(row, type, email));
    }

    private String noticeRecipientsNow(Row row, RequestType type, String email) {
        Map<String, Disclosure> recipients = new LinkedHashMap<>();
        disclosures.of(row.subjectId).stream().filter(disclosure -> "dpa".equals(disclosure.basis()))
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
                String action = switch (type) {
                    case ERASURE -> "erase";
                    case RESTRICTION -> "restrict the processing of";
                    default -> "correct, as the person has had it corrected with us,";
                };
                send(new Mail(contact, "Data-protection notice (GDPR Art. 19): " + typeName(type, false),
                        "To " + disclosure.recipientName() + ",\n\nUnder our data processing agreement "
                                + disclosure.reference() + ", please " + action + " the personal data you process for"
                                + " us about the person with the e-mail address " + email + " (categories: "
                                + String.join(", ", disclosure.dataCategories()) + "), and confirm to "
                                + catalog.controller().email() + " when it is done.\n\nRequest: " + row.id + "\n"
                                + footer(false), Map.of(), null, reference(row.id, ART_19 + disclosure.recipient())));
            }
            (sent ? mailed : byDpo).add(disclosure.recipientName());
            jdbc.sql("""
                    INSERT INTO request_recipient_notice (request_id, recipient, recipient_name, via, noticed_at)
                    VALUES (:request, :recipient, :name, :via, :at)""")
                    .param("request", row.id).param("recipient", disclosure.recipient())
                    .param("name", disclosure.recipientName()).param("via", sent ? "mail" : "dpo")
                    .param("at", time(now)).update();
        }
        if (!byDpo.isEmpty()) {
            addAttention(row.id, "Art. 19: tell " + String.join(", ", byDpo) + " of the " + typeName(type, false)
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
        Optional<Row> found = find(requestId);
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
            addAttention(requestId, "Art. 19: tell " + name + " of the " + typeName(RequestType.fromKey(
                    found.get().type).orElseThrow(), false) + " (the mail to them could not be delivered).");
        } else if (what.equals(ROUTING)) {
            addAttention(requestId, "The mail passing the request on to the customer(s) could not be delivered: pass"
                    + " it on yourselves, Art. 28(3)(e).");
        }
    }

    /** Adds a reason for the DPO to look, after any already there. */
    private void addAttention(UUID requestId, String text) {
        String before = jdbc.sql("SELECT attention FROM data_request WHERE id = :id").param("id", requestId)
                .query(String.class).optional().orElse(null);
        String attention = before == null ? text : before.contains(text) ? before : before + " " + text;
        jdbc.sql("UPDATE data_request SET attention = :attention WHERE id = :id")
                .param("attention", attention.length() > ATTENTION_LIMIT
                        ? attention.substring(0, ATTENTION_LIMIT - 1) + "…" : attention)
                .param("id", requestId).update();
    }

    private List<DataRequest.RecipientNotice> notices(UUID requestId) {
        return jdbc.sql("SELECT recipient, recipient_name, via, noticed_at FROM request_recipient_notice"
                + " WHERE request_id = :id ORDER BY noticed_at, recipient").param("id", requestId)
                .query((rs, n) -> new DataRequest.RecipientNotice(rs.getString("recipient"),
                        rs.getString("recipient_name"), rs.getString("via"), instant(rs, "noticed_at"))).list();
    }

    /**
     * Art. 17(3)(e): while a legal hold keeps the data for a legal claim, it is restricted instead
     * (Art. 18(1)(c)) and erased by the first sweep after the hold ends.
     */
    private DataRequest deferErasure(Row row, List<LegalHold> held, String email) {
        vault.restrict(row.subjectId, "legal-hold: erasure deferred (Art. 17(3)(e))");
        legalHolds.deferErasure(row.subjectId);
        boolean released = held.stream().anyMatch(hold -> hold.until() == null);
        Instant until = held.stream().map(LegalHold::until).filter(java.util.Objects::nonNull)
                .max(Instant::compareTo).orElse(null);
        boolean nb = row.lang.equals("nb");
        String end = released ? (nb ? "til kravet er avgjort" : "until the claim is settled")
                : (nb ? "til " : "until ") + date(until, nb);
        String outcome = nb
                ? "Opplysningene trengs for å fastsette, gjøre gjeldende eller forsvare et rettskrav (art. 17 nr. 3"
                        + " bokstav e), og kan ikke slettes ennå. De er sperret for all annen bruk " + end
                        + ", og slettes så snart det ikke lenger er nødvendig. Markedsføring er stanset. Er du uenig,"
                        + " kan du klage til " + catalog.controller().supervisoryAuthority().name() + " ("
                        + catalog.controller().supervisoryAuthority().url() + ")."
                : "The data is needed for the establishment, exercise or defence of a legal claim (Art. 17(3)(e))"
                        + " and cannot be erased yet. It is restricted from any other use " + end + ", and erased as"
                        + " soon as that is no longer needed. Marketing has stopped. If you disagree, you can complain"
                        + " to " + catalog.controller().supervisoryAuthority().name() + " ("
                        + catalog.controller().supervisoryAuthority().url() + ").";
        return complete(row, outcome, email);
    }

    /**
     * Art. 28(3)(e): data the company processes for a customer is that customer's to decide on.
     * The request is recorded as routed for each processor activity, flagged for the DPO, and mailed
     * to the company's privacy mailbox with what identifies the person in those systems (the
     * systems know which customer holds the data; Personvern does not). Connected systems are told
     * the same in their webhook ({@code processorActivities}).
     */
    private void routeToCustomers(Row row, RequestType type, SubjectView.IdentityView known) {
        transactions.executeWithoutResult(status -> routeToCustomersNow(row, type, known));
    }

    private void routeToCustomersNow(Row row, RequestType type, SubjectView.IdentityView known) {
        List<no.personvern.catalog.Activity> forCustomers = catalog.activities().stream()
                .filter(activity -> activity.role() == no.personvern.catalog.Role.PROCESSOR).toList();
        Instant now = now();
        StringBuilder text = new StringBuilder("A person has asked for ").append(typeName(type, false))
                .append(" (request ").append(row.id).append(", due ").append(date(row.dueAt, false))
                .append("). Part of their data is processed by us as processor for a customer, who is controller and")
                .append(" decides (GDPR Art. 28(3)(e)). Pass the request on to that customer without undue delay, and")
                .append(" do not act on that data yourselves unless the customer instructs it.\n\n");
        for (no.personvern.catalog.Activity activity : forCustomers) {
            jdbc.sql("""
                    INSERT INTO request_routing (request_id, activity_key, systems, routed_at)
                    VALUES (:request, :activity, :systems, :at)""")
                    .param("request", row.id).param("activity", activity.key())
                    .param("systems", String.join(",", activity.systems())).param("at", time(now)).update();
            text.append("- ").append(activity.name().in(Language.EN)).append(" in ")
                    .append(String.join(", ", activity.systems().stream().map(system -> catalog.system(system)
                            .map(s -> s.name().in(Language.EN)).orElse(system)).toList()));
            List<String> ids = activity.systems().stream().filter(known.externalIds()::containsKey)
                    .map(system -> system + ": " + known.externalIds().get(system)).toList();
            text.append(ids.isEmpty() ? "" : "; the person there: " + String.join(", ", ids)).append('\n');
        }
        flagForRouting(row.id);
        send(new Mail(catalog.controller().email(), "Pass on to the customer: request " + row.id
                + " (GDPR Art. 28(3)(e))", text + footer(false), Map.of(), null, reference(row.id, ROUTING)));
    }

    private List<DataRequest.Routing> routings(UUID requestId) {
        return jdbc.sql("SELECT activity_key, systems, routed_at FROM request_routing WHERE request_id = :id"
                + " ORDER BY activity_key").param("id", requestId)
                .query((rs, n) -> new DataRequest.Routing(rs.getString("activity_key"),
                        List.of(rs.getString("systems").split(",")), instant(rs, "routed_at"))).list();
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
        Row row = find(requestId).orElseThrow(() -> Problems.exception(HttpStatus.NOT_FOUND, "Not found",
                "No request " + requestId + ".", null));
        if (!row.status.isActive()) {
            throw conflict("Only an open request can be completed; this one is " + row.status.key() + ".");
        }
        String notice = RequestType.fromKey(row.type).orElseThrow() == RequestType.RECTIFICATION
                ? noticeRecipients(row, RequestType.RECTIFICATION,
                        vault.emails(List.of(row.subjectId), "privacy-request").get(row.subjectId)) : "";
        return complete(row, outcome.strip() + notice, answerAddress(row));
    }

    private DataRequest complete(Row row, String outcome, String email) {
        transactions.executeWithoutResult(status -> {
            jdbc.sql("UPDATE data_request SET status = 'completed', outcome = :outcome, closed_at = :at WHERE id = :id")
                    .param("outcome", outcome).param("at", time(now())).param("id", row.id).update();
            events.publishEvent(new RequestEvents.RequestTransitioned(row.id, row.subjectId, row.type, "completed",
                    row.channel));
            if (email != null) {
                boolean nb = row.lang.equals("nb");
                RequestType type = RequestType.fromKey(row.type).orElseThrow();
                // After an erasure the letter names no person: nothing links it to the erased id.
                send(new Mail(email, nb ? "Forespørselen din er behandlet" : "Your request has been handled",
                        nb ? "Hei!\n\nForespørselen din om " + typeName(type, true) + " er behandlet.\n\n" + outcome
                                + "\n" + footer(true)
                                : "Hello!\n\nYour request for " + typeName(type, false) + " has been handled.\n\n"
                                        + outcome + "\n" + footer(false), Map.of(),
                        type == RequestType.ERASURE ? null : row.subjectId, reference(row.id, OUTCOME)));
            }
        });
        return get(row.id);
    }

    @Override
    public void checkPackage(UUID requestId, String token) {
        Map<String, Object> row = jdbc.sql("SELECT package_hash, package_expires, package_id FROM data_request"
                + " WHERE id = :id AND status = 'completed' AND package_hash IS NOT NULL").param("id", requestId)
                .query((rs, n) -> Map.<String, Object>of("hash", rs.getString("package_hash"),
                        "expires", instant(rs, "package_expires"),
                        "present", rs.getObject("package_id") != null)).optional()
                .orElseThrow(() -> Problems.exception(HttpStatus.NOT_FOUND, "Not found", "No package for this link.", null));
        boolean authentic = token != null && token.length() < 100 && MessageDigest.isEqual(
                codeHash(requestId.toString(), token).getBytes(StandardCharsets.US_ASCII),
                ((String) row.get("hash")).getBytes(StandardCharsets.US_ASCII));
        if (!authentic) {
            throw Problems.exception(HttpStatus.NOT_FOUND, "Not found", "No package for this link.", null);
        }
        if (!((Instant) row.get("expires")).isAfter(clock.instant()) || !((Boolean) row.get("present"))) {
            throw Problems.exception(HttpStatus.GONE, "Expired", "The link has expired (7 days); ask us again.", null);
        }
    }

    @Override
    public void downloadPackage(UUID requestId, String token, OutputStream out) {
        checkPackage(requestId, token);
        Map<String, Object> row = jdbc.sql("SELECT subject_id, package_id FROM data_request WHERE id = :id")
                .param("id", requestId).query().singleRow();
        vault.readExport((UUID) row.get("subject_id"), (UUID) row.get("package_id"), out);
    }

    // ---- helpers -------------------------------------------------------------------------

    private void received(DataRequest request, Row row) {
        boolean nb = row.lang.equals("nb");
        RequestType type = RequestType.fromKey(row.type).orElseThrow();
        mail(row, nb ? "Vi har mottatt forespørselen din" : "We have received your request",
                nb ? "Hei!\n\nVi har mottatt forespørselen din om " + typeName(type, true) + " og svarer senest "
                        + date(request.dueAt(), true) + " (personvernforordningen art. 12 nr. 3).\n" + footer(true)
                        : "Hello!\n\nWe have received your request for " + typeName(type, false)
                                + " and will answer by " + date(request.dueAt(), false) + " (GDPR Art. 12(3)).\n"
                                + footer(false));
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
    private String answerAddress(Row row) {
        return row.requesterIdentity != null
                ? vault.email(row.subjectId, row.requesterIdentity, "privacy-request").orElse(null)
                : vault.emails(List.of(row.subjectId), "privacy-request").get(row.subjectId);
    }

    private void mail(Row row, String subject, String text) {
        mail(row.subjectId, row.requesterIdentity, subject, text);
    }

    private void mail(UUID subjectId, UUID requesterIdentity, String subject, String text) {
        String email = requesterIdentity != null
                ? vault.email(subjectId, requesterIdentity, "privacy-request").orElse(null)
                : vault.emails(List.of(subjectId), "privacy-request").get(subjectId);
        if (email != null) {
            send(new Mail(email, subject, text, Map.of(), subjectId, null));
        }
    }

    private String footer(boolean nb) {
        ControllerDetails controller = catalog.controller();
        return "\n" + controller.name() + " · " + controller.email() + (nb ? "\n" : "\n");
    }

    private Optional<UUID> openDuplicate(UUID subjectId, String type, UUID except) {
        return jdbc.sql("""
                SELECT id FROM data_request WHERE subject_id = :subject AND type = :type
                AND status IN ('open', 'in_progress') AND NOT awaits_identity ORDER BY received_at LIMIT 1""")
                .param("subject", subjectId).param("type", type).query(UUID.class).optional()
                .filter(id -> !id.equals(except));
    }

    private Instant due(Instant receivedAt) {
        return receivedAt.atZone(NORWAY).plusMonths(1).toInstant();
    }

    private Row lock(UUID requestId) {
        return jdbc.sql("SELECT * FROM data_request WHERE id = :id FOR UPDATE").param("id", requestId)
                .query(RequestService::row).optional()
                .orElseThrow(() -> Problems.exception(HttpStatus.NOT_FOUND, "Not found", "No request " + requestId + ".",
                        null));
    }

    private Optional<Row> find(UUID requestId) {
        return jdbc.sql("SELECT * FROM data_request WHERE id = :id").param("id", requestId).query(RequestService::row)
                .optional();
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

    private static RuntimeException conflict(String detail) {
        return Problems.exception(HttpStatus.CONFLICT, "Not possible now", detail, null);
    }

    private static String typeName(RequestType type, boolean nb) {
        return switch (type) {
            case ACCESS -> nb ? "innsyn" : "access";
            case PORTABILITY -> nb ? "dataportabilitet" : "portability";
            case ERASURE -> nb ? "sletting" : "erasure";
            case RECTIFICATION -> nb ? "retting" : "rectification";
            case RESTRICTION -> nb ? "begrensning" : "restriction";
            case OBJECTION -> nb ? "protest" : "objection";
        };
    }

    private static String date(Instant instant, boolean nb) {
        return DateTimeFormatter.ofPattern(nb ? "d.M.yyyy" : "d MMMM yyyy", nb ? java.util.Locale.forLanguageTag("nb")
                : java.util.Locale.ENGLISH).format(instant.atZone(NORWAY));
    }

    private Instant now() {
        return clock.instant().truncatedTo(java.time.temporal.ChronoUnit.MICROS);
    }

    private static String codeHash(String salt, String code) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest((salt + ":" + code).getBytes(StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from the JDK", e);
        }
    }

    private static byte[] randomBytes(int length) {
        byte[] bytes = new byte[length];
        RANDOM.nextBytes(bytes);
        return bytes;
    }

    private static OffsetDateTime time(Instant instant) {
        return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }

    private record Row(UUID id, String type, RequestStatus status, String channel, UUID subjectId, String lang,
            String codeHash, String codeSalt, Instant codeExpires, int failedCodes, Instant receivedAt, Instant dueAt,
            Instant extendedUntil, String extensionReason, String outcome, UUID linkedTo, String attention,
            UUID requesterIdentity, boolean awaitsIdentity) {
    }

    private static Row row(ResultSet rs, int n) throws SQLException {
        return new Row(rs.getObject("id", UUID.class), rs.getString("type"),
                RequestStatus.fromKey(rs.getString("status")).orElseThrow(), rs.getString("channel"),
                rs.getObject("subject_id", UUID.class), rs.getString("lang"), rs.getString("code_hash"),
                rs.getString("code_salt"), instant(rs, "code_expires"), rs.getInt("failed_codes"),
                instant(rs, "received_at"), instant(rs, "due_at"), instant(rs, "extended_until"),
                rs.getString("extension_reason"), rs.getString("outcome"), rs.getObject("linked_to", UUID.class),
                rs.getString("attention"), rs.getObject("requester_identity", UUID.class),
                rs.getBoolean("awaits_identity"));
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime time = rs.getObject(column, OffsetDateTime.class);
        return time == null ? null : time.toInstant();
    }

    private DataRequest view(Row row) {
        return new DataRequest(row.id, row.type, row.status.key(), row.channel, row.receivedAt, row.dueAt,
                row.extendedUntil, deliveries.states(row.id), row.outcome, row.linkedTo, row.attention,
                notices(row.id), routings(row.id));
    }
}
