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
 * The private link a person follows their public request by: a random key (192 bits) issued when
 * the code is right, mailed and shown once, stored only as a salted hash and compared in constant
 * time. An unknown request and a wrong key are the same 404.
 */
@Component
class StatusLinks {

    /** Longer keys are not looked at (a key is 32 characters). */
    private static final int KEY_LIMIT = 100;

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

    /** A new key for the request (in the caller's transaction); returned once, only its hash is kept. */
    String issue(UUID requestId) {
        String key = Base64.getUrlEncoder().withoutPadding().encodeToString(RequestRecord.randomBytes(24));
        String salt = HexFormat.of().formatHex(RequestRecord.randomBytes(16));
        requests.saveStatusKey(requestId, salt, RequestRecord.hash(salt, key));
        return key;
    }

    /** The page the key opens, in the request's language. */
    String link(RequestRecord request, String key) {
        return baseUrl + "/privacy-center/requests/" + request.id() + "/status?key=" + key + "&lang=" + request.lang();
    }

    /**
     * The request the key opens: for a request joined to an earlier one of the same person, that
     * one. 404 for an unknown request and a wrong key alike.
     */
    RequestRecord open(UUID requestId, String key) {
        Optional<RequestRepository.StatusKey> stored = requestId == null ? Optional.empty()
                : requests.statusKey(requestId);
        String given = key != null && key.length() <= KEY_LIMIT && stored.isPresent()
                ? RequestRecord.hash(stored.get().salt(), key) : null;
        if (stored.isEmpty() || !RequestRecord.sameHash(given, stored.get().hash())) {
            throw Problems.notFound("No request for this link.");
        }
        RequestRecord request = requests.find(requestId).orElseThrow(() -> Problems.notFound("No request for this link."));
        if (request.status() == RequestStatus.LINKED && request.linkedTo() != null) {
            Optional<RequestRecord> joined = requests.find(request.linkedTo());
            // Joined only to the same person's request; anything else is never shown.
            if (joined.isPresent() && request.subjectId() != null
                    && request.subjectId().equals(joined.get().subjectId())) {
                return joined.get();
            }
        }
        return request;
    }

    RequestProgress progress(UUID requestId, String key) {
        RequestRecord request = open(requestId, key);
        List<RequestProgress.SystemStep> systems = deliveries.states(request.id()).stream()
                .map(state -> new RequestProgress.SystemStep(state.system(),
                        state.status() == DataRequest.SystemState.Progress.DONE))
                .toList();
        boolean closed = request.status() == RequestStatus.COMPLETED || request.status() == RequestStatus.REJECTED;
        // What staff wrote to the person: reasons for a rejection, the answer to a rectification or an
        // objection. The outcomes the system writes for itself (categories, systems) are not shown.
        String reasons = request.status() == RequestStatus.REJECTED
                || closed && (request.type() == RequestType.RECTIFICATION || request.type() == RequestType.OBJECTION)
                ? request.outcome() : null;
        Optional<RequestRepository.Download> download = requests.download(request.id());
        Instant expires = download.map(RequestRepository.Download::expires).orElse(null);
        boolean available = download.isPresent() && download.get().packageId() != null
                && download.get().expires().isAfter(clock.instant());
        return new RequestProgress(requestId, request.type(), request.status(), request.receivedAt(),
                request.dueAt(), request.extendedUntil(), request.extensionReason(), systems, reasons,
                closed ? request.closedAt() : null, expires, available);
    }

    void checkPackage(UUID requestId, String key) {
        downloads.checkAvailable(open(requestId, key).id());
    }

    void download(UUID requestId, String key, java.io.OutputStream out) {
        downloads.downloadAvailable(open(requestId, key).id(), out);
    }
}
