package no.personvern.web.console;

import java.util.Map;
import java.util.UUID;
import no.personvern.audit.AuditEvent;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Every console page that shows a person's data leaves an entry naming the member of staff (the
 * trail's actor, {@code staff:<id>}), the page and the person's pseudonym — never the data itself.
 * Written before the page is rendered: a page whose entry could not be written is not shown.
 */
@Component
public class ConsoleAudit {

    private final ApplicationEventPublisher events;

    ConsoleAudit(ApplicationEventPublisher events) {
        this.events = events;
    }

    /** {@code console.viewed}: a page of {@code page} (e.g. {@code subject}, {@code request}) showed the person's data. */
    @Transactional
    public void viewed(String page, UUID subjectId) {
        events.publishEvent(new Viewed(page, subjectId, Map.of()));
    }

    /** As {@link #viewed(String, UUID)}, with ids (a request's, a document's) that say what was shown. */
    @Transactional
    public void viewed(String page, UUID subjectId, Map<String, Object> ids) {
        events.publishEvent(new Viewed(page, subjectId, ids));
    }

    /**
     * Why an agent may have an identity shown in full; the form offers these and nothing else, since
     * free text typed into a trail that outlives an erasure could carry the very data it protects.
     */
    public static final java.util.List<String> REVEAL_REASONS = java.util.List.of("caller-verified",
            "request-handling", "rectification", "complaint");

    /**
     * {@code console.revealed}: an agent had a masked identity shown in full, with one of
     * {@link #REVEAL_REASONS}; {@code what} names the kind ({@code email}, {@code phone}, …), never the value.
     */
    @Transactional
    public void revealed(UUID subjectId, String what, String reason) {
        if (!REVEAL_REASONS.contains(reason)) {
            throw no.personvern.Problems.invalid("reason", "Choose why the identity is needed.");
        }
        events.publishEvent(new Revealed(subjectId, what, reason));
    }

    record Viewed(String page, UUID subjectId, Map<String, Object> ids) implements AuditEvent {
        public String action() {
            return "console.viewed";
        }

        public Map<String, Object> details() {
            var details = new java.util.TreeMap<String, Object>(ids);
            details.put("page", page);
            return details;
        }
    }

    record Revealed(UUID subjectId, String what, String reason) implements AuditEvent {
        public String action() {
            return "console.revealed";
        }

        public Map<String, Object> details() {
            return Map.of("what", what, "reason", reason);
        }
    }
}
