package no.personvern.breaches;

import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import no.personvern.audit.AuditEvent;

/** What happens to a breach, for the audit trail: ids, statuses and counts, never personal data. */
public final class BreachEvents {

    private BreachEvents() {
    }

    /** A step in a breach's life: recorded, assessed, notified, people notified, closed, reminded. */
    public record BreachChanged(UUID breachId, String action, String status, Map<String, Object> counts)
            implements AuditEvent {

        public UUID subjectId() {
            return null;
        }

        public String action() {
            return "breach." + action;
        }

        public Map<String, Object> details() {
            Map<String, Object> details = new TreeMap<>(counts);
            details.put("breach", breachId.toString());
            details.put("status", status);
            return details;
        }
    }

    /** Art. 34: one person affected by a breach was told (or had no address to tell them at). */
    public record PersonNotified(UUID breachId, UUID subjectId, boolean mailed) implements AuditEvent {

        public String action() {
            return "breach.person-notified";
        }

        public Map<String, Object> details() {
            return Map.of("breach", breachId.toString(), "mailed", mailed);
        }
    }
}
