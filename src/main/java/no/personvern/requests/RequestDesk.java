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

    /**
     * The privacy centre's check of a code: as {@link #verify}, but answered with what the page
     * shows (never a refusal for a wrong, expired or exhausted code, nor for an Art. 12(5) refusal) and,
     * when right, the status key: it shows only where the request stands. The full key, which also
     * opens our answer and the package, is only mailed. Unknown requests are refused (404).
     */
    CodeCheck confirm(UUID requestId, String code);

    /**
     * Mails a new code for an unverified request, replacing the old one (valid 30 minutes from now);
     * at most {@value #MAX_CODE_RESENDS} times per request (then 429), and only within the address's
     * mail limit (beyond it the code mailed before stays valid): the answer is the same whether or
     * not a mail went out. A locked request is 423, one
     * that no longer waits for a code 409, an unknown one 404.
     */
    void resendCode(UUID requestId, String clientAddress);

    /** How many times the code of one request may be mailed again. */
    int MAX_CODE_RESENDS = 3;

    /**
     * The request behind its private status link: 404, the same for an unknown id and a wrong key;
     * 410 from 30 days after the request was closed or its package expired, whichever is later, and
     * once the person was erased. Behind the status key without our answer and package ({@code full} false).
     */
    RequestProgress progress(UUID requestId, String statusKey);

    /** As {@link #checkPackage}, authorised by the mailed full key (404 for the status key), 410 after 7 days. */
    void checkPackageByStatusKey(UUID requestId, String statusKey);

    /** Writes the package's ZIP to {@code out}, after {@link #checkPackageByStatusKey}. */
    void downloadPackageByStatusKey(UUID requestId, String statusKey, OutputStream out);

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

    /** The person's requests, newest first, at most {@code limit} (up to 200): for the person's page in the console. */
    List<DataRequest> ofSubject(UUID subjectId, int limit);

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
