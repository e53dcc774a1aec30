package no.personvern.requests;

import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import no.personvern.audit.AuditEvent;

/** The transitions of a request, for the audit trail (ids, types and statuses only). */
public final class RequestEvents {

    private RequestEvents() {
    }

    /** A request moved to a new status; {@code channel} tells how it came in. */
    public record RequestTransitioned(UUID requestId, UUID subjectId, String type, String status, String channel)
            implements AuditEvent {
        public String action() {
            return "request." + status;
        }

        public Map<String, Object> details() {
            Map<String, Object> details = new HashMap<>();
            details.put("request", requestId.toString());
            details.put("type", type);
            details.put("channel", channel);
            return details;
        }
    }

    /** Art. 21(1): the DPO decided an objection for one activity ({@code upheld} or {@code rejected}). */
    public record ObjectionDecided(UUID requestId, UUID subjectId, String activity, String decision)
            implements AuditEvent {
        public String action() {
            return "request.objection-" + decision;
        }

        public Map<String, Object> details() {
            return Map.of("request", requestId.toString(), "activity", activity);
        }
    }

    /** Art. 12(3): the DPO was reminded of a request's deadline ({@code kind}: {@code due-soon} or {@code overdue}). */
    public record DeadlineReminded(UUID requestId, UUID subjectId, String kind) implements AuditEvent {
        public String action() {
            return "request.reminder-" + kind;
        }

        public Map<String, Object> details() {
            return Map.of("request", requestId.toString());
        }
    }

    /** The request was assigned to a member of staff ({@code assignee} null: to nobody); staff ids only. */
    public record RequestAssigned(UUID requestId, UUID subjectId, UUID assignee, UUID previous) implements AuditEvent {
        public String action() {
            return "request.assigned";
        }

        public Map<String, Object> details() {
            Map<String, Object> details = new HashMap<>();
            details.put("request", requestId.toString());
            details.put("assignee", assignee == null ? "none" : "staff:" + assignee);
            if (previous != null) {
                details.put("previous", "staff:" + previous);
            }
            return details;
        }
    }

    /**
     * Four eyes: a DPO ({@code decidedBy}) approved ({@code approved}) or refused
     * ({@code approval-refused}) an erasure a support agent ({@code filedBy}) filed; staff ids only.
     */
    public record ApprovalDecided(UUID requestId, UUID subjectId, boolean approved, UUID filedBy, UUID decidedBy)
            implements AuditEvent {
        public String action() {
            return approved ? "request.approved" : "request.approval-refused";
        }

        public Map<String, Object> details() {
            Map<String, Object> details = new HashMap<>();
            details.put("request", requestId.toString());
            details.put("decidedBy", "staff:" + decidedBy);
            if (filedBy != null) {
                details.put("filedBy", "staff:" + filedBy);
            }
            return details;
        }
    }
}
