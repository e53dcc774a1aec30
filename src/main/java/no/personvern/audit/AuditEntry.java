package no.personvern.audit;

import java.time.Instant;
import java.util.Map;

/** One entry of the trail. {@code subjectRef} is a keyed pseudonym of the subject id. */
public record AuditEntry(long seq, Instant at, String actor, String action, String subjectRef,
        Map<String, Object> details, String hash) {
}
