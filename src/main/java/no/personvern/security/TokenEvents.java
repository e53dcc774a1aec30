package no.personvern.security;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import no.personvern.audit.AuditEvent;

/** Token changes, for the audit trail. */
public final class TokenEvents {

    private TokenEvents() {
    }

    public record TokenIssued(UUID tokenId, List<String> scopes, String system) implements AuditEvent {
        public String action() {
            return "token.issued";
        }

        public UUID subjectId() {
            return null;
        }

        public Map<String, Object> details() {
            Map<String, Object> details = new HashMap<>();
            details.put("token", tokenId.toString());
            details.put("scopes", scopes);
            if (system != null) {
                details.put("system", system);
            }
            return details;
        }
    }

    public record TokenRevoked(UUID tokenId) implements AuditEvent {
        public String action() {
            return "token.revoked";
        }

        public UUID subjectId() {
            return null;
        }

        public Map<String, Object> details() {
            return Map.of("token", tokenId.toString());
        }
    }
}
