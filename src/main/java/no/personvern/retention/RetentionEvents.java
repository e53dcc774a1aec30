package no.personvern.retention;

import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import no.personvern.audit.AuditEvent;

/** What retention does, for the audit trail: ids, counts and reasons, never personal data. */
public final class RetentionEvents {

    private RetentionEvents() {
    }

    public record LegalHoldPlaced(UUID holdId, UUID subjectId, String until) implements AuditEvent {
        public String action() {
            return "legal-hold.placed";
        }

        public Map<String, Object> details() {
            Map<String, Object> details = new HashMap<>();
            details.put("hold", holdId.toString());
            details.put("until", until);
            return details;
        }
    }

    public record LegalHoldReleased(UUID holdId, UUID subjectId) implements AuditEvent {
        public String action() {
            return "legal-hold.released";
        }

        public Map<String, Object> details() {
            return Map.of("hold", holdId.toString());
        }
    }

    public record ContractEnded(UUID subjectId, String endedAt) implements AuditEvent {
        public String action() {
            return "retention.contract-ended";
        }

        public Map<String, Object> details() {
            return Map.of("endedAt", endedAt);
        }
    }

    /**
     * Art. 17(3)(e) no longer applies: the person asked for erasure while a legal hold kept their
     * data, and the last hold has ended. The requests module carries the erasure out in full.
     */
    public record DeferredErasureDue(UUID subjectId) implements AuditEvent {
        public String action() {
            return "retention.deferred-erasure-due";
        }

        public Map<String, Object> details() {
            return Map.of();
        }
    }

    /** One batch of a sweep deleted or kept data; per-person erasures are audited by the vault. */
    public record RetentionSwept(UUID runId, Map<String, Long> deleted, Map<String, Long> kept) implements AuditEvent {
        public UUID subjectId() {
            return null;
        }

        public String action() {
            return "retention.swept";
        }

        public Map<String, Object> details() {
            return Map.of("run", runId.toString(), "deleted", deleted, "kept", kept);
        }
    }

    /**
     * The person showed no activity for the configured period and no contract end was reported:
     * the DPO was told (nothing was deleted).
     */
    public record InactivePersonFlagged(UUID subjectId, String quietSince) implements AuditEvent {
        public String action() {
            return "retention.inactive-flagged";
        }

        public Map<String, Object> details() {
            return Map.of("quietSince", quietSince);
        }
    }
}
