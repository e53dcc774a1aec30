package no.personvern.requests.internal;

import java.time.Clock;
import no.personvern.requests.RequestType;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/** Closes a request with its outcome and tells the person the outcome. */
@Component
class Outcomes {

    private final RequestRepository requests;
    private final Letters letters;
    private final RequestMails mails;
    private final TransactionTemplate transactions;
    private final Clock clock;

    Outcomes(RequestRepository requests, Letters letters, RequestMails mails, TransactionTemplate transactions,
            Clock clock) {
        this.requests = requests;
        this.letters = letters;
        this.mails = mails;
        this.transactions = transactions;
        this.clock = clock;
    }

    /** Carried out: completed with {@code outcome}, and the person told at {@code email} (if any). */
    void carriedOut(RequestRecord row, String outcome, String email) {
        carriedOut(row, outcome, email, false);
    }

    /**
     * As above; {@code keeps} when something was kept (a retention exception, a legal hold, data held
     * for a customer): the outcome then ends with the right to complain and to go to court (Art. 12(4)),
     * and the letter says it in the person's language.
     */
    void carriedOut(RequestRecord row, String outcome, String email, boolean keeps) {
        row.carriedOut(keeps ? outcome + letters.complaintRight() : outcome, StoredTime.now(clock));
        close(row, email, outcome, keeps);
    }

    /** Stores the closed request and mails its outcome to {@code email} (if any), in one transaction. */
    void close(RequestRecord row, String email) {
        close(row, email, row.outcome(), false);
    }

    private void close(RequestRecord row, String email, String told, boolean keeps) {
        transactions.executeWithoutResult(status -> {
            requests.saveClosed(row);
            if (email != null) {
                RequestType type = row.type();
                Letters.Letter letter = letters.completed(type, row.norwegian(), told, keeps);
                // After an erasure the letter names no person: nothing links it to the erased id.
                mails.send(email, letter, type == RequestType.ERASURE ? null : row.subjectId(), row.id(),
                        RequestMails.OUTCOME);
            }
        });
    }
}
