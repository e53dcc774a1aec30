package no.personvern.requests;

import java.io.OutputStream;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** Takes in, verifies and answers data-subject requests within the deadlines of Art. 12. */
public interface RequestDesk {

    /**
     * A request from the public: always accepted the same way, whether or not the address is known
     * (no account enumeration); a 6-digit code is mailed to the address. A missing type (null) is
     * refused with the other invalid fields.
     */
    UUID submit(RequestType type, String email, String message, String lang, String clientAddress);

    /** Checks the code; the fifth wrong code locks the request. */
    DataRequest verify(UUID requestId, String code);

    /** A request taken by a support agent who verified the person (S18), or by a system. */
    default DataRequest submitVerified(RequestType type, String email, UUID subjectId, String channel,
            String verifiedBy) {
        return submitVerified(type, email, subjectId, channel, verifiedBy, null);
    }

    /** As above, with what the person said ({@code message}, optional; kept encrypted in the vault). */
    DataRequest submitVerified(RequestType type, String email, UUID subjectId, String channel, String verifiedBy,
            String message);

    DataRequest get(UUID requestId);

    /** The request with what the person wrote, decrypted from the vault (each read audited). */
    DataRequest read(UUID requestId);

    /**
     * The requests in {@code status} (any, if null) due before {@code dueBefore} (any, if null);
     * with {@code overdue}, only open or in-progress ones past their (extended) deadline.
     */
    List<DataRequest> find(RequestStatus status, Instant dueBefore, boolean overdue, int limit);

    /**
     * Art. 21(1): the DPO's decision on an objection for one activity based on legitimate interests
     * or a public task that holds the person's data: {@code upheld} stops that activity for them,
     * {@code rejected} is explained to them with the reasons and their right to complain.
     */
    DataRequest decideObjection(UUID requestId, String activity, String decision, String reasons);

    /**
     * Art. 12(3): mails the DPO once per request 7 days before it falls due and once when it is
     * overdue; runs by itself, once across instances. Returns how many mails were queued.
     */
    int remindDeadlines();

    /** Art. 12(3): once, before the first month ends, by up to two months; the person is told why. */
    DataRequest extend(UUID requestId, String reason);

    /** Fails (404, or 410 after 7 days) unless the token opens the package of this request. */
    void checkPackage(UUID requestId, String token);

    /** Writes the package's ZIP to {@code out}, after {@link #checkPackage}. */
    void downloadPackage(UUID requestId, String token, OutputStream out);

    /** Unverified (or locked) requests older than 7 days expire; returns how many. Runs hourly by itself. */
    int expireUnverified();

    /** A connected system reports {@code done} or {@code failed} after answering 202. */
    DataRequest callback(UUID requestId, String system, String status);

    /** Closes an open request with its outcome (e.g. what was rectified, or the DPO's decision); the person is told. */
    DataRequest complete(UUID requestId, String outcome);

    /** Art. 12(4): with reasons, and the right to complain to Datatilsynet and go to court. */
    DataRequest reject(UUID requestId, String reason);
}
