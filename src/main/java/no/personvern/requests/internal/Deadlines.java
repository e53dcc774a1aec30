package no.personvern.requests.internal;

import java.time.Clock;
import java.util.UUID;
import no.personvern.Problems;
import no.personvern.Refusal.Kind;
import no.personvern.requests.DataRequest;
import no.personvern.requests.RequestType;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/** Staff decisions on an open request within its deadline (Art. 12(3) and (4)): extend, reject, complete. */
@Component
class Deadlines {

    private final RequestRepository requests;
    private final RequestViews views;
    private final Letters letters;
    private final RequestMails mails;
    private final RecipientNotices notices;
    private final Outcomes outcomes;
    private final PackageReviewRepository reviews;
    private final TransactionTemplate transactions;
    private final Clock clock;

    Deadlines(RequestRepository requests, RequestViews views, Letters letters, RequestMails mails,
            RecipientNotices notices, Outcomes outcomes, PackageReviewRepository reviews,
            TransactionTemplate transactions, Clock clock) {
        this.reviews = reviews;
        this.requests = requests;
        this.views = views;
        this.letters = letters;
        this.mails = mails;
        this.notices = notices;
        this.outcomes = outcomes;
        this.transactions = transactions;
        this.clock = clock;
    }

    DataRequest extend(UUID requestId, String reason) {
        requireReason(reason);
        return transactions.execute(status -> {
            RequestRecord row = views.lock(requestId);
            requireNoPendingReview(row, "extended");
            String why = reason.strip();
            row.extend(why, clock.instant());
            requests.saveExtended(row);
            mails.toRequester(row, letters.extended(row.type(), row.norwegian(), row.extendedUntil(), why));
            return views.get(requestId);
        });
    }

    DataRequest reject(UUID requestId, String reason) {
        requireReason(reason);
        return transactions.execute(status -> {
            RequestRecord row = views.lock(requestId);
            requireNoPendingReview(row, "rejected");
            String why = reason.strip();
            row.reject(why, StoredTime.now(clock));
            requests.saveClosed(row);
            mails.toRequester(row, letters.rejected(row.type(), row.norwegian(), why));
            return views.get(requestId);
        });
    }

    DataRequest complete(UUID requestId, String outcome) {
        requireReason(outcome);
        return transactions.execute(status -> {
            // Locked: two members of staff (or staff and the package release) never close it twice.
            RequestRecord row = views.lock(requestId);
            row.requireActive("completed");
            requireNoPendingReview(row, "completed");
            String notice = row.type() == RequestType.RECTIFICATION
                    ? notices.tell(row, RequestType.RECTIFICATION, mails.personAddress(row.subjectId())) : "";
            row.complete(outcome.strip() + notice, StoredTime.now(clock));
            outcomes.close(row, mails.answerAddress(row));
            return views.get(requestId);
        });
    }

    /**
     * Art. 15(4): while the access package waits for the DPO's review, only the DPO's release
     * closes the request; completing, rejecting or extending it around the review is refused (409).
     */
    private void requireNoPendingReview(RequestRecord row, String verb) {
        if (row.type() == RequestType.ACCESS && reviews.of(row.id())
                .map(review -> PackageReviewRepository.PENDING.equals(review.state())).orElse(false)) {
            throw Problems.refusal(Kind.CONFLICT, "The package waits for review", "Request " + row.id()
                    + " cannot be " + verb + " while its package waits for the DPO's review; the release closes it.",
                    null);
        }
    }

    private static void requireReason(String reason) {
        if (reason == null || reason.isBlank() || reason.length() > 2000) {
            throw Problems.invalid("reason", "a reason of 1 to 2000 characters is required; the person is told it");
        }
    }
}
