package no.personvern.consent;

import java.util.Map;
import java.util.UUID;
import no.personvern.audit.AuditEvent;

/** A sign-up never confirmed was deleted by retention (its link ran out): ids and the list key only. */
public record SignUpDropped(UUID subjectId, UUID subscriptionId, String list) implements AuditEvent {

    public String action() {
        return "subscription.unconfirmed-deleted";
    }

    public Map<String, Object> details() {
        return Map.of("subscription", subscriptionId.toString(), "list", list);
    }
}
