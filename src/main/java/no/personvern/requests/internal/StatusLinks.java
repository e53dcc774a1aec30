package no.personvern.requests.internal;

import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import no.personvern.PersonvernProperties;
import no.personvern.Problems;
import no.personvern.requests.DataRequest;
import no.personvern.requests.RequestProgress;
import no.personvern.requests.RequestStatus;
import no.personvern.requests.RequestType;
import org.springframework.stereotype.Component;

/**
 * The private links a person follows their public request by, each a random key (192 bits) issued
 * when the code is right, stored only as a salted hash and compared in constant time: the status key
 * the browser is sent to after the code shows only where the request stands (a guessed code must not
 * open the person's data); the full key, only mailed to the address, also opens our answer and the
 * package. An unknown request and a wrong key are the same 404. Both stop working (410) 30 days after
 * the request is closed or its package expires, whichever is later, and at once when the person is
 * erased (except the links of the erasure request itself, whose page holds nothing about the person).
 */
@Component
class StatusLinks {

    /** Longer keys are not looked at (a key is 32 characters). */
    private static final int KEY_LIMIT = 100;
    /** How long the links work after the request is closed or its package expires. */
    static final java.time.Duration LINK_AFTER_CLOSE = java.time.Duration.ofDays(30);

    /** The request a key opens, and whether the key is the mailed one that opens everything. */
    record Opened(RequestRecord request, boolean full) {
    }

    private final RequestRepository requests;
    private final Deliveries deliveries;
    private final PackageDownloads downloads;
    private final Clock clock;
    private final String baseUrl;

    StatusLinks(RequestRepository requests, Deliveries deliveries, PackageDownloads downloads, Clock clock,
            PersonvernProperties site) {
        this.requests = requests;
        this.deliveries = deliveries;
        this.downloads = downloads;
        this.clock = clock;
        this.baseUrl = site.baseUrl();
    }

    /** The two new keys of a request: {@code status} for the browser, {@code full} for the mail. */
    record Keys(String status, String full) {
    }

    /** New keys for the request (in the caller's transaction); returned once, only their hashes are kept. */
    Keys issue(UUID requestId) {
        String key = newKey();
        String salt = HexFormat.of().formatHex(RequestRecord.randomBytes(16));
        requests.saveStatusKey(requestId, salt, RequestRecord.hash(salt, key));
        String full = newKey();
        String fullSalt = HexFormat.of().formatHex(RequestRecord.randomBytes(16));
        requests.saveFullKey(requestId, fullSalt, RequestRecord.hash(fullSalt, full));
        return new Keys(key, full);
    }

    private static String newKey() {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(RequestRecord.randomBytes(24));
    }

    /** Art. 17: an erased person's links stop working at once (the erasure's own page tells only its end). */
    @org.springframework.context.event.EventListener
    void on(no.personvern.subjects.VaultEvents.SubjectErased erased) {
        requests.revokeKeys(erased.subjectId());
    }

    /** The page the key opens, in the request's language. */
    String link(RequestRecord request, String key) {
        return baseUrl + "/privacy-center/requests/" + request.id() + "/status?key=" + key + "&lang=" + request.lang();
    }

    /**
     * The request the key opens: for a request joined to an earlier one of the same person, that
     * one. 404 for an unknown request and a wrong key alike; 410 once the links have stopped working.
     */
    Opened open(UUID requestId, String key) {
        Optional<RequestRepository.StatusKey> status = requestId == null ? Optional.empty()
                : requests.statusKey(requestId);
        Optional<RequestRepository.StatusKey> full = requestId == null ? Optional.empty()
                : requests.fullKey(requestId);
        boolean usable = key != null && key.length() <= KEY_LIMIT;
        // Both hashes are always computed and compared, so the kind of key takes no longer to tell.
        boolean isStatus = matches(status, key, usable);
        boolean isFull = matches(full, key, usable);
        if (!isStatus && !isFull) {
            throw Problems.notFound("No request for this link.");
        }
        RequestRecord own = requests.find(requestId).orElseThrow(() -> Problems.notFound("No request for this link."));
        RequestRecord shown = own;
        if (own.status() == RequestStatus.LINKED && own.linkedTo() != null) {
            Optional<RequestRecord> joined = requests.find(own.linkedTo());
            // Joined only to the same person's request; anything else is never shown.
            if (joined.isPresent() && own.subjectId() != null && own.subjectId().equals(joined.get().subjectId())) {
                shown = joined.get();
            }
        }
        if (requests.keysRevoked(requestId) && own.type() != RequestType.ERASURE || expired(shown)) {
            throw Problems.refusal(no.personvern.Refusal.Kind.GONE, "Link expired",
                    "This link no longer works.", null);
        }
        return new Opened(shown, isFull);
    }

    private static boolean matches(Optional<RequestRepository.StatusKey> stored, String key, boolean usable) {
        String given = usable && stored.isPresent() ? RequestRecord.hash(stored.get().salt(), key) : null;
        return stored.isPresent() && RequestRecord.sameHash(given, stored.get().hash());
    }

    /** 30 days after the request was closed or its package expired, whichever is later. */
    private boolean expired(RequestRecord shown) {
        RequestStatus status = shown.status();
        boolean closed = status == RequestStatus.COMPLETED || status == RequestStatus.REJECTED
                || status == RequestStatus.EXPIRED || status == RequestStatus.LINKED;
        if (!closed || shown.closedAt() == null) {
            return false;
        }
        Instant end = shown.closedAt();
        Optional<RequestRepository.Download> download = requests.download(shown.id());
        if (download.isPresent() && download.get().expires() != null && download.get().expires().isAfter(end)) {
            end = download.get().expires();
        }
        return !clock.instant().isBefore(end.plus(LINK_AFTER_CLOSE));
    }

    RequestProgress progress(UUID requestId, String key) {
        Opened opened = open(requestId, key);
        RequestRecord request = opened.request();
        List<RequestProgress.SystemStep> systems = deliveries.states(request.id()).stream()
                .map(state -> new RequestProgress.SystemStep(state.system(),
                        state.status() == DataRequest.SystemState.Progress.DONE))
                .toList();
        boolean closed = request.status() == RequestStatus.COMPLETED || request.status() == RequestStatus.REJECTED;
        // What staff wrote to the person: reasons for a rejection, the answer to a rectification or an
        // objection. The outcomes the system writes for itself (categories, systems) are not shown.
        // Only behind the mailed key: the browser's key may have been won by a guessed code.
        String reasons = opened.full() && (request.status() == RequestStatus.REJECTED
                || closed && (request.type() == RequestType.RECTIFICATION || request.type() == RequestType.OBJECTION))
                ? request.outcome() : null;
        Optional<RequestRepository.Download> download = requests.download(request.id());
        Instant expires = download.map(RequestRepository.Download::expires).orElse(null);
        boolean available = download.isPresent() && download.get().packageId() != null
                && download.get().expires().isAfter(clock.instant());
        return new RequestProgress(requestId, request.type(), request.status(), request.receivedAt(),
                request.dueAt(), request.extendedUntil(), request.extensionReason(), systems, reasons,
                closed ? request.closedAt() : null, expires, opened.full() && available, opened.full());
    }

    void checkPackage(UUID requestId, String key) {
        downloads.checkAvailable(openFull(requestId, key).id());
    }

    void download(UUID requestId, String key, java.io.OutputStream out) {
        downloads.downloadAvailable(openFull(requestId, key).id(), out);
    }

    /** Only the mailed key opens the package; the browser's key is the same 404 as a wrong one. */
    private RequestRecord openFull(UUID requestId, String key) {
        Opened opened = open(requestId, key);
        if (!opened.full()) {
            throw Problems.notFound("No request for this link.");
        }
        return opened.request();
    }
}
