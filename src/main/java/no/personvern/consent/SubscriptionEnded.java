package no.personvern.consent;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import no.personvern.audit.AuditEvent;

/** A subscription ended (unsubscribed, withdrawn or objected to) at {@code endedAt}: starts the S17 retention clock. */
public record SubscriptionEnded(UUID subjectId, UUID subscriptionId, String list, Instant endedAt) implements AuditEvent {

    public String action() {
        return "subscription.ended";
    }

    public Map<String, Object> details() {
        return Map.of("subscription", subscriptionId.toString(), "list", list);
    }
}
