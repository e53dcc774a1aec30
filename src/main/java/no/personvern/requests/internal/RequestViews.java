package no.personvern.requests.internal;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import no.personvern.Problems;
import no.personvern.Refusal;
import no.personvern.requests.DataRequest;
import no.personvern.requests.RequestStatus;
import no.personvern.requests.RequestType;
import org.springframework.stereotype.Component;

/** A request as callers see it: the stored record with its deliveries, recipient notices and routings. */
@Component
class RequestViews {

    private final RequestRepository requests;
    private final Deliveries deliveries;
    private final RecipientNotices notices;
    private final CustomerRouting routing;
    private final PackageReviewRepository reviews;
    private final Requesters requesters;
    private final java.time.Clock clock;

    RequestViews(RequestRepository requests, Deliveries deliveries, RecipientNotices notices, CustomerRouting routing,
            PackageReviewRepository reviews, Requesters requesters, java.time.Clock clock) {
        this.requesters = requesters;
        this.clock = clock;
        this.requests = requests;
        this.reviews = reviews;
        this.deliveries = deliveries;
        this.notices = notices;
        this.routing = routing;
    }

    DataRequest get(UUID requestId) {
        return requests.find(requestId).map(this::view).orElseThrow(() -> notFound(requestId));
    }

    /** The request for one member of staff, with what the person wrote (decrypted in the vault; the read is audited). */
    DataRequest read(UUID requestId) {
        RequestRecord row = existing(requestId);
        String message = requesters.message(row, "privacy-request");
        return message == null ? view(row) : view(row).withMessage(message);
    }

    /** With {@code overdue}, only open or in-progress requests past their (extended) deadline now. */
    List<DataRequest> find(RequestStatus status, Instant dueBefore, boolean overdue, int limit) {
        return requests.search(status, dueBefore, overdue ? clock.instant() : null, limit).stream().map(this::view)
                .toList();
    }

    List<DataRequest> ofSubject(UUID subjectId, int limit) {
        return requests.ofSubject(subjectId, limit).stream().map(this::view).toList();
    }

    /** The stored request, or 404. */
    RequestRecord existing(UUID requestId) {
        return requests.find(requestId).orElseThrow(() -> notFound(requestId));
    }

    /** The stored request, locked for this transaction, or 404. */
    RequestRecord lock(UUID requestId) {
        return requests.lock(requestId).orElseThrow(() -> notFound(requestId));
    }

    private static Refusal notFound(UUID requestId) {
        return Problems.notFound("No request " + requestId + ".");
    }

    private DataRequest view(RequestRecord row) {
        return new DataRequest(row.id(), row.type(), row.status(), row.channel(), row.receivedAt(), row.dueAt(),
                row.extendedUntil(), deliveries.states(row.id()), row.outcome(), row.linkedTo(), row.attention(),
                notices.of(row.id()), routing.of(row.id()),
                row.type() == RequestType.ACCESS ? reviews.of(row.id()).orElse(null) : null, null,
                row.type() == RequestType.OBJECTION ? requests.objections(row.id()) : null, row.verifiedBy());
    }
}
