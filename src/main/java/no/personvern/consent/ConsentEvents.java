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

    /** Consent given for a purpose. */
    public record ConsentGiven(UUID receiptId, UUID subjectId, String purpose, String method) implements AuditEvent {
        public String action() {
            return "consent.given";
        }

        public Map<String, Object> details() {
            return detailsOf(receiptId, purpose, method);
        }
    }

    /** Consent refused or withdrawn (Art. 7(3)) at {@code recordedAt}: the use stops now; retention "until withdrawal" starts. */
    public record ConsentWithdrawn(UUID receiptId, UUID subjectId, String purpose, String method, Instant recordedAt)
            implements AuditEvent {
        public String action() {
            return "consent.withdrawn";
        }

        public Map<String, Object> details() {
            return detailsOf(receiptId, purpose, method);
        }
    }

    private static Map<String, Object> detailsOf(UUID receiptId, String purpose, String method) {
        Map<String, Object> details = new HashMap<>();
        details.put("receipt", receiptId.toString());
        details.put("purpose", purpose);
        details.put("method", method);
        return details;
    }
}
