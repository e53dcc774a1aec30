package no.personvern.requests.internal;

import java.time.Clock;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import no.personvern.Problems;
import no.personvern.Refusal.Kind;
import no.personvern.audit.AuditEvent;
import no.personvern.requests.DataRequest;
import no.personvern.requests.PackageReviews;
import no.personvern.requests.RequestStatus;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;

/**
 * Art. 15(4), personopplysningsloven § 16: the DPO releases an access package held for review,
 * optionally withholding items with reasons. The release is recorded in the transaction that
 * completes the request, so a failure before leaves the review waiting, to be released again.
 */
@Service
class PackageRelease implements PackageReviews {

    /**
     * The DPO released a package after review; ids and item names only. The DPO's reason describes
     * the person and stays in {@code request_package_review}: the hash chain outlives an erasure.
     */
    record PackageReleased(UUID subjectId, UUID requestId, List<String> withheld) implements AuditEvent {
        public String action() {
            return "request.package-released";
        }

        public Map<String, Object> details() {
            return Map.of("request", requestId.toString(), "withheld", withheld);
        }
    }

    /** At most this many withheld items in one release (their names fit the audit entry). */
    static final int MAX_WITHHELD = 60;

    /** At most this many characters of withheld items and their reasons together. */
    static final int MAX_WITHHELD_LENGTH = 100_000;

    private final RequestViews views;
    private final PackageReviewRepository reviews;
    private final PackageFulfilment packages;
    private final ApplicationEventPublisher events;
    private final Clock clock;

    PackageRelease(RequestViews views, PackageReviewRepository reviews, PackageFulfilment packages,
            ApplicationEventPublisher events, Clock clock) {
        this.views = views;
        this.reviews = reviews;
        this.packages = packages;
        this.events = events;
        this.clock = clock;
    }

    @Override
    public DataRequest release(UUID requestId, String reason, List<Withheld> withheld) {
        Problems.Violations invalid = Problems.violations();
        invalid.require(reason != null && !reason.isBlank() && reason.length() <= 2000, "reason",
                "the reason for releasing the package is required (at most 2000 characters)");
        List<Withheld> items = withheld == null ? List.of() : withheld;
        // Checked before anything is built: what is released must fit where the review is recorded.
        long length = items.stream().filter(java.util.Objects::nonNull)
                .mapToLong(w -> (w.item() == null ? 0 : w.item().length()) + (w.reason() == null ? 0 : w.reason().length()))
                .sum();
        if (items.size() > MAX_WITHHELD || length > MAX_WITHHELD_LENGTH) {
            invalid.reject("withheld", "at most " + MAX_WITHHELD + " withheld items of at most " + MAX_WITHHELD_LENGTH
                    + " characters together");
            invalid.throwIfAny();
        }
        RequestRecord row = views.existing(requestId);
        DataRequest.Review review = reviews.of(requestId).orElse(null);
        Set<String> reviewed = review == null ? Set.of() : Set.copyOf(review.items());
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < items.size(); i++) {
            Withheld item = items.get(i);
            String field = "withheld[" + i + "]";
            if (item == null) {
                invalid.require(false, field, "an item is null");
                continue;
            }
            invalid.require(item.item() != null && reviewed.contains(item.item()) && seen.add(item.item()),
                    field + ".item", "one of the items the review names, once: " + String.join(", ", reviewed));
            invalid.require(item.reason() != null && !item.reason().isBlank() && item.reason().length() <= 1000,
                    field + ".reason", "why it is withheld is required (at most 1000 characters): the person is told");
        }
        invalid.throwIfAny();
        if (review == null || !PackageReviewRepository.PENDING.equals(review.state())
                || row.status() != RequestStatus.IN_PROGRESS) {
            throw Problems.refusal(Kind.CONFLICT, "No package waits for review",
                    "Request " + requestId + " has no package waiting for the DPO's review.", null);
        }
        List<PackageBuilder.Withheld> left = items.stream()
                .map(w -> new PackageBuilder.Withheld(w.item(), w.reason().strip())).toList();
        packages.deliver(row, left, () -> {
            if (!reviews.release(requestId, reason.strip(), items, StoredTime.now(clock))) {
                throw Problems.refusal(Kind.CONFLICT, "No package waits for review",
                        "The package of request " + requestId + " was released meanwhile.", null);
            }
            events.publishEvent(new PackageReleased(row.subjectId(), requestId,
                    items.stream().map(Withheld::item).toList()));
        });
        return views.get(requestId);
    }
}
