package no.personvern.audit;

import java.util.Map;
import java.util.UUID;

/**
 * An event that leaves an audit entry. Modules' events implement it; the details name categories,
 * systems, counts and ids, never personal data (an e-mail address would outlive an erasure).
 */
public interface AuditEvent {

    /** What happened, e.g. {@code subject.read}. */
    String action();

    /** The person concerned, or null; the trail stores only a pseudonym of it. */
    UUID subjectId();

    Map<String, Object> details();
}
