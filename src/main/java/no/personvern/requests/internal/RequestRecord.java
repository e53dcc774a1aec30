package no.personvern.requests.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import no.personvern.Problems;
import no.personvern.Refusal.Kind;
import no.personvern.requests.RequestEvents.RequestTransitioned;
import no.personvern.requests.RequestStatus;
import no.personvern.requests.RequestType;

/**
 * A data-subject request as stored, and the one place its status, deadline and code change: each
 * transition checks that it is allowed and registers the event for the audit trail;
 * {@link RequestRepository} writes what changed and publishes the events in the same transaction.
 */
final class RequestRecord {

    static final int MAX_WRONG_CODES = 5;
    static final Duration CODE_VALIDITY = Duration.ofMinutes(30);
    static final ZoneId NORWAY = ZoneId.of("Europe/Oslo");
    static final String UNCONFIRMED_IDENTITY = "The address this request came from belongs to the person only through"
            + " another system's unconfirmed write: confirm who the person is (Art. 12(6)), then file the request for"
            + " them with POST /api/v1/requests (it is then carried out), or reject it.";
    /** Channel of a request from the public form. */
    static final String PUBLIC = "public";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final UUID id;
    private final RequestType type;
    private final String channel;
    private final UUID subjectId;
    private final String lang;
    private final UUID requesterIdentity;
    private final boolean createdSubject;
    private final String codeSalt;
    private final Instant codeExpires;
    private RequestStatus status;
    private String codeHash;
    private int failedCodes;
    private Instant receivedAt;
    private Instant dueAt;
    private Instant extendedUntil;
    private String extensionReason;
    private String outcome;
    private UUID linkedTo;
    private Instant closedAt;
    private String attention;
    private boolean awaitsIdentity;
    private String verifiedBy;
    private StoredPackage stored;
    /** The handle of the person's message in the vault (null: none written). */
    private UUID messageNote;
    private UUID filedBy;
    private final List<RequestTransitioned> events = new ArrayList<>();

    /** The access or portability package of a completed request: the hash of its mailed token, and when it lapses. */
    record StoredPackage(UUID packageId, String hash, Instant expires) {
    }

    RequestRecord(UUID id, RequestType type, RequestStatus status, String channel, UUID subjectId, String lang,
            String codeHash, String codeSalt, Instant codeExpires, int failedCodes, Instant receivedAt, Instant dueAt,
            Instant extendedUntil, String extensionReason, String outcome, UUID linkedTo, Instant closedAt,
            String attention, UUID requesterIdentity, boolean awaitsIdentity, boolean createdSubject,
            String verifiedBy) {
        this.id = id;
        this.type = type;
        this.status = status;
        this.channel = channel;
        this.subjectId = subjectId;
        this.lang = lang;
        this.codeHash = codeHash;
        this.codeSalt = codeSalt;
        this.codeExpires = codeExpires;
        this.failedCodes = failedCodes;
        this.receivedAt = receivedAt;
        this.dueAt = dueAt;
        this.extendedUntil = extendedUntil;
        this.extensionReason = extensionReason;
        this.outcome = outcome;
        this.linkedTo = linkedTo;
        this.closedAt = closedAt;
        this.attention = attention;
        this.requesterIdentity = requesterIdentity;
        this.awaitsIdentity = awaitsIdentity;
        this.createdSubject = createdSubject;
        this.verifiedBy = verifiedBy;
    }

    /**
     * A request from the public form, waiting for its code. {@code code} is null when it was not
     * mailed: a code nobody could have received is not held, so nobody may guess it.
     */
    static RequestRecord fromPublic(UUID id, RequestType type, UUID subjectId, UUID requesterIdentity,
            boolean createdSubject, boolean awaitsIdentity, String lang, String code, Instant now) {
        String salt = HexFormat.of().formatHex(randomBytes(16));
        RequestRecord request = new RequestRecord(id, type, RequestStatus.UNVERIFIED, PUBLIC, subjectId, lang,
                code == null ? null : hash(salt, code), salt, now.plus(CODE_VALIDITY), 0, now, dueFrom(now), null, null,
                null, null, null, null, requesterIdentity, awaitsIdentity, createdSubject, null);
        request.register(RequestStatus.UNVERIFIED.key());
        return request;
    }

    /**
     * Art. 12(5): a public request refused at intake as manifestly excessive, recorded with its
     * reason and nothing else: no person, no address, no code, no message (whoever sent it is not
     * known, and nothing is looked up or mailed for them).
     */
    static RequestRecord refusedAtIntake(UUID id, RequestType type, String lang, String reason, Instant now) {
        RequestRecord request = new RequestRecord(id, type, RequestStatus.REJECTED, PUBLIC, null, lang, null, null,
                null, 0, now, dueFrom(now), null, null, reason, null, now, null, null, false, false, null);
        request.register(RequestStatus.REJECTED.key());
        return request;
    }

    /** A request taken by staff who verified the person (S18), or by a system: open at once. */
    static RequestRecord fromStaff(UUID id, RequestType type, String channel, UUID subjectId, UUID requesterIdentity,
            String verifiedBy, Instant now) {
        RequestRecord request = new RequestRecord(id, type, RequestStatus.OPEN, channel, subjectId, "nb", null, null,
                null, 0, now, dueFrom(now), null, null, null, null, null, null, requesterIdentity, false, false,
                verifiedBy);
        request.register(RequestStatus.OPEN.key());
        return request;
    }

    /**
     * Four eyes: an erasure a support agent filed waits for a DPO's approval; it is recorded as
     * waiting, not as opened.
     */
    void holdForApproval() {
        if (status != RequestStatus.OPEN) {
            throw conflict("Only a new request can wait for approval; this one is " + status.key() + ".");
        }
        status = RequestStatus.AWAITING_APPROVAL;
        events.clear();
        register(RequestStatus.AWAITING_APPROVAL.key());
    }

    /** A DPO approved the waiting erasure: it opens now (its deadline ran from receipt all along). */
    void approve() {
        requireAwaitingApproval();
        status = RequestStatus.OPEN;
        register(RequestStatus.OPEN.key());
    }

    /** A DPO refused the waiting erasure, with reasons the person is told (Art. 12(4)). */
    void refuseApproval(String reason, Instant now) {
        requireAwaitingApproval();
        status = RequestStatus.REJECTED;
        outcome = reason;
        closedAt = now;
        register(RequestStatus.REJECTED.key());
    }

    private void requireAwaitingApproval() {
        if (status != RequestStatus.AWAITING_APPROVAL) {
            throw conflict("Only a request waiting for approval can be approved or refused; this one is "
                    + status.key() + ".");
        }
    }

    /** The deadline that counts now: the extended one, or that of Art. 12(3). */
    Instant dueBy() {
        return extendedUntil != null ? extendedUntil : dueAt;
    }

    /** Art. 12(3): one month from receipt, in Norwegian time. */
    static Instant dueFrom(Instant receivedAt) {
        return receivedAt.atZone(NORWAY).plusMonths(1).toInstant();
    }

    /** A new six-digit code. */
    static String newCode() {
        return String.format("%06d", RANDOM.nextInt(1_000_000));
    }

    /** A new random token for a package link. */
    static byte[] randomBytes(int length) {
        byte[] bytes = new byte[length];
        RANDOM.nextBytes(bytes);
        return bytes;
    }

    /** The salted SHA-256 of a code or token, hex. */
    static String hash(String salt, String code) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest((salt + ":" + code).getBytes(StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from the JDK", e);
        }
    }

    static boolean sameHash(String a, String b) {
        return a != null && b != null
                && MessageDigest.isEqual(a.getBytes(StandardCharsets.US_ASCII), b.getBytes(StandardCharsets.US_ASCII));
    }

    // ---- transitions ---------------------------------------------------------------------

    /**
     * Checks a code against an unverified request: a problem when it cannot take one (locked, no
     * longer unverified, expired); false when the code is wrong, counted, the fifth locking it.
     */
    boolean acceptCode(String code, Instant now) {
        if (status == RequestStatus.LOCKED) {
            throw locked();
        }
        if (status != RequestStatus.UNVERIFIED) {
            throw Problems.refusal(Kind.CONFLICT, "Already verified", "This request is " + status.key() + ".",
                    null);
        }
        if (codeExpires.isBefore(now)) {
            throw Problems.refusal(Kind.GONE, "Code expired",
                    "The code has expired (30 minutes); send the request again.", "code");
        }
        // A request whose code was not mailed (the address's mail limit) has none: every guess is wrong,
        // answered as any wrong code.
        String given = code != null && code.matches("\\d{6}") ? hash(codeSalt, code) : null;
        if (sameHash(given, codeHash)) {
            return true;
        }
        failedCodes++;
        if (failedCodes >= MAX_WRONG_CODES) {
            status = RequestStatus.LOCKED;
            register(RequestStatus.LOCKED.key());
        }
        return false;
    }

    /** The salted hash of a new code of this request (mailed again). */
    String hashOf(String code) {
        return hash(codeSalt, code);
    }

    /** The problem for a wrong code: how many tries are left, or locked. */
    RuntimeException wrongCode() {
        int left = Math.max(0, MAX_WRONG_CODES - failedCodes);
        return left == 0 ? locked()
                : Problems.refusal(Kind.INVALID, "Wrong code",
                        "The code is not right; " + left + " tries left.", "code");
    }

    private static RuntimeException locked() {
        return Problems.refusal(Kind.LOCKED, "Locked",
                "Too many wrong codes: this request is locked. Send a new request.", null);
    }

    /**
     * Verified: open; the code is forgotten. The Art. 12(3) month runs from the receipt of the
     * request, which verification does not change.
     */
    void open(Instant now) {
        require(RequestStatus.UNVERIFIED);
        status = RequestStatus.OPEN;
        codeHash = null;
        register(RequestStatus.OPEN.key());
    }

    /**
     * Art. 12(5): the person proved the address, but has made more requests than the limit allows
     * within the hour: refused as manifestly excessive, with {@code reason}.
     */
    void refuseAsExcessive(String reason, Instant now) {
        require(RequestStatus.UNVERIFIED);
        status = RequestStatus.REJECTED;
        codeHash = null;
        outcome = reason;
        closedAt = now;
        register(RequestStatus.REJECTED.key());
    }

    /** Verified, but the same person already has an open request of this type: this one joins it. */
    void linkTo(UUID openRequest, Instant now) {
        require(RequestStatus.UNVERIFIED);
        status = RequestStatus.LINKED;
        linkedTo = openRequest;
        codeHash = null;
        closedAt = now;
        register(RequestStatus.LINKED.key());
    }

    /** Staff verified the person with the address the request came from: it no longer waits for that. */
    void confirmIdentity(String verifiedBy, String channel) {
        if (!awaitsIdentity) {
            throw new IllegalStateException("request " + id + " does not wait for an identity");
        }
        String rest = attention == null ? null : attention.replace(UNCONFIRMED_IDENTITY, "").strip();
        awaitsIdentity = false;
        this.verifiedBy = verifiedBy;
        attention = rest == null || rest.isEmpty() ? null : rest;
        events.add(new RequestTransitioned(id, subjectId, type.key(), "identity-confirmed", channel));
    }

    /**
     * Work on the request has started (sent to connected systems, or being carried out). Not
     * checked: it follows the claim on {@code executed_at}, which is taken once.
     */
    void startWork() {
        status = RequestStatus.IN_PROGRESS;
        register(RequestStatus.IN_PROGRESS.key());
    }

    /** Carried out as far as can be at once; the rest awaits a decision ({@code outcome} says what was done). */
    void awaitDecision(String outcome) {
        this.outcome = outcome;
        startWork();
    }

    /** Art. 12(3): once, before the first month ends, by up to two months. */
    void extend(String reason, Instant now) {
        requireActive("extended");
        if (extendedUntil != null) {
            throw conflict("The deadline has been extended once already (Art. 12(3)).");
        }
        if (!now.isBefore(dueAt)) {
            throw conflict("An extension must be given within the first month (Art. 12(3)); it ended at " + dueAt + ".");
        }
        extendedUntil = dueAt.atZone(NORWAY).plusMonths(2).toInstant();
        extensionReason = reason;
        register("extended");
    }

    /** Art. 12(4): closed with reasons. */
    void reject(String reason, Instant now) {
        requireActive("rejected");
        status = RequestStatus.REJECTED;
        outcome = reason;
        closedAt = now;
        register(RequestStatus.REJECTED.key());
    }

    /** Staff close an open request with its outcome. */
    void complete(String outcome, Instant now) {
        requireActive("completed");
        carriedOut(outcome, now);
    }

    /**
     * The fulfilment claimed on {@code executed_at} is done: completed with its outcome. The claim is
     * taken only on an open or in-progress request; a decision made after it cannot undo the work (an
     * erasure, say), so the outcome is recorded whatever was decided meanwhile.
     */
    void carriedOut(String outcome, Instant now) {
        status = RequestStatus.COMPLETED;
        this.outcome = outcome;
        closedAt = now;
        register(RequestStatus.COMPLETED.key());
    }

    /** Access or portability: completed with a package behind a link with a random token. */
    void delivered(String outcome, UUID packageId, String token, Instant expires, Instant now) {
        stored = new StoredPackage(packageId, hash(id.toString(), token), expires);
        carriedOut(outcome, now);
    }

    /** Only an open (or in-progress) request can be {@code verb}; otherwise a conflict. */
    void requireActive(String verb) {
        if (!status.isActive()) {
            throw conflict("Only an open request can be " + verb + "; this one is " + status.key() + ".");
        }
    }

    private void require(RequestStatus expected) {
        if (status != expected) {
            throw new IllegalStateException("request " + id + " is " + status.key() + ", not " + expected.key());
        }
    }

    private static RuntimeException conflict(String detail) {
        return Problems.refusal(Kind.CONFLICT, "Not possible now", detail, null);
    }

    private void register(String action) {
        events.add(new RequestTransitioned(id, subjectId, type.key(), action, channel));
    }

    /** The events registered since the last write, cleared. */
    List<RequestTransitioned> takeEvents() {
        List<RequestTransitioned> taken = List.copyOf(events);
        events.clear();
        return taken;
    }

    // ---- state -------------------------------------------------------------------------

    UUID id() {
        return id;
    }

    RequestType type() {
        return type;
    }

    RequestStatus status() {
        return status;
    }

    String channel() {
        return channel;
    }

    UUID subjectId() {
        return subjectId;
    }

    String lang() {
        return lang;
    }

    boolean norwegian() {
        return lang.equals("nb");
    }

    String codeHash() {
        return codeHash;
    }

    String codeSalt() {
        return codeSalt;
    }

    Instant codeExpires() {
        return codeExpires;
    }

    int failedCodes() {
        return failedCodes;
    }

    Instant receivedAt() {
        return receivedAt;
    }

    Instant dueAt() {
        return dueAt;
    }

    Instant extendedUntil() {
        return extendedUntil;
    }

    String extensionReason() {
        return extensionReason;
    }

    String outcome() {
        return outcome;
    }

    UUID linkedTo() {
        return linkedTo;
    }

    Instant closedAt() {
        return closedAt;
    }

    String attention() {
        return attention;
    }

    UUID requesterIdentity() {
        return requesterIdentity;
    }

    boolean awaitsIdentity() {
        return awaitsIdentity;
    }

    boolean createdSubject() {
        return createdSubject;
    }

    String verifiedBy() {
        return verifiedBy;
    }

    StoredPackage stored() {
        return stored;
    }

    UUID messageNote() {
        return messageNote;
    }

    /** The person's message is kept in the vault under this handle. */
    void keepMessage(UUID note) {
        messageNote = note;
    }

    /** The member of staff who filed the request in the console (null: the person, a system, or an API token). */
    UUID filedBy() {
        return filedBy;
    }

    void filedBy(UUID staffId) {
        filedBy = staffId;
    }
}
