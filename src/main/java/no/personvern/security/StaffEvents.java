package no.personvern.security;

import java.util.Map;
import java.util.UUID;
import no.personvern.audit.AuditEvent;

/** Changes to staff, for the audit trail: ids and roles only, never a name or an address. */
public final class StaffEvents {

    private StaffEvents() {
    }

    /** {@code staff.invited}, {@code staff.reinvited}, {@code staff.activated}, {@code staff.role-changed}, … */
    public record StaffChanged(String change, UUID memberId, StaffRole role) implements AuditEvent {
        public String action() {
            return "staff." + change;
        }

        public UUID subjectId() {
            return null;
        }

        public Map<String, Object> details() {
            return Map.of("member", memberId.toString(), "role", role.key());
        }
    }

    /** {@code staff.signed-in} and {@code staff.signed-out}: the actor is the member. */
    public record StaffSession(String change, UUID memberId) implements AuditEvent {
        public String action() {
            return "staff." + change;
        }

        public UUID subjectId() {
            return null;
        }

        public Map<String, Object> details() {
            return Map.of("member", memberId.toString());
        }
    }
}
