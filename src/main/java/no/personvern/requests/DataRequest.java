package no.personvern.requests;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonValue;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * A request as staff see it. {@code dueAt} is the Art. 12(3) deadline, {@code extendedUntil} its
 * extension; {@code systems} how far each connected system has come; {@code attention} why the DPO
 * should look (a system failed or stayed silent for 7 days); {@code message} what the person wrote
 * (kept encrypted in the vault, shown in the view of one request); {@code objections} the DPO's
 * decisions per activity on an objection; {@code verifiedBy} how staff (or a system) verified the
 * person when they filed it (null for a request the person made and proved with a mailed code).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DataRequest(UUID id, RequestType type, RequestStatus status, String channel, Instant receivedAt, Instant dueAt,
        Instant extendedUntil, List<SystemState> systems, String outcome, UUID linkedTo, String attention,
        List<RecipientNotice> recipientsNotified, List<Routing> routedTo, Review review, String message,
        List<ObjectionDecision> objections, String verifiedBy) {

    /**
     * Art. 15(4): the package waits for the DPO's review ({@code state} {@code pending}), or was
     * released; {@code items} say why it waited, {@code withheld} what the DPO left out.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Review(String state, List<String> items, Instant releasedAt, List<PackageReviews.Withheld> withheld) {
    }

    /** The same request with what the person wrote (read from the vault for one staff view only). */
    public DataRequest withMessage(String text) {
        return new DataRequest(id, type, status, channel, receivedAt, dueAt, extendedUntil, systems, outcome, linkedTo,
                attention, recipientsNotified, routedTo, review, text, objections,
                verifiedBy);
    }

    /**
     * Art. 21(1): the DPO's decision on an objection to one activity based on legitimate interests
     * or a public task: {@code upheld} (it stops for the person) or {@code rejected} (compelling grounds).
     */
    public record ObjectionDecision(String activity, String decision, String reasons, Instant decidedAt) {
    }

    /**
     * Art. 28(3)(e): the request was passed on for data the company processes for customers in
     * this activity and these systems.
     */
    public record Routing(String activity, List<String> systems, Instant at) {
    }

    /**
     * Art. 19: a recipient told of the rectification, erasure or restriction, {@code via} mail to
     * the processor's contact, or {@code dpo} when the DPO must tell them (authorities).
     */
    public record RecipientNotice(String recipient, String name, String via, Instant at) {
    }

    /** How far a connected system has come with the request. */
    public record SystemState(String system, Progress status, int attempts, String lastError) {

        /** Sent or to be retried; answered 202 and a callback is due; answered done; given up or failed. */
        public enum Progress {
            PENDING, WAITING, DONE, FAILED;

            /** The name callers see in JSON. */
            @JsonValue
            public String key() {
                return name().toLowerCase(Locale.ROOT);
            }

            public static Progress fromKey(String key) {
                return valueOf(key.toUpperCase(Locale.ROOT));
            }
        }
    }
}
