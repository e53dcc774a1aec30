package no.personvern.consent;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import no.personvern.audit.AuditEvent;

/** Consent decisions, for the audit trail and for retention (a withdrawal starts the S17 clock). */
public final class ConsentEvents {

    private ConsentEvents() {
    }

    /** Consent given for a purpose of an activity. */
    public record ConsentGiven(UUID receiptId, UUID subjectId, String purpose, String method, String activity)
            implements AuditEvent {
        public String action() {
            return "consent.given";
        }

        public Map<String, Object> details() {
            return detailsOf(receiptId, purpose, method, activity);
        }
    }

    /**
     * Consent refused or withdrawn (Art. 7(3)) at {@code recordedAt} for a purpose of an activity
     * (null: a record of before consents were kept per activity, every activity of the purpose): the
     * use stops now; retention "until withdrawal" starts.
     */
    public record ConsentWithdrawn(UUID receiptId, UUID subjectId, String purpose, String method, Instant recordedAt,
            String activity) implements AuditEvent {

        /** A withdrawal for every activity of the purpose. */
        public ConsentWithdrawn(UUID receiptId, UUID subjectId, String purpose, String method, Instant recordedAt) {
            this(receiptId, subjectId, purpose, method, recordedAt, null);
        }

        public String action() {
            return "consent.withdrawn";
        }

        public Map<String, Object> details() {
            return detailsOf(receiptId, purpose, method, activity);
        }

        /** Whether the withdrawal concerns this activity. */
        public boolean concerns(String activityKey) {
            return activity == null || activity.equals(activityKey);
        }
    }

    private static Map<String, Object> detailsOf(UUID receiptId, String purpose, String method, String activity) {
        Map<String, Object> details = new HashMap<>();
        details.put("receipt", receiptId.toString());
        details.put("purpose", purpose);
        details.put("method", method);
        if (activity != null) {
            details.put("activity", activity);
        }
        return details;
    }
}
