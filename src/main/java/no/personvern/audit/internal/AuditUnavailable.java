package no.personvern.audit.internal;

import no.personvern.Refusal;

/**
 * A read refused because its audit entry could not be committed: no data may leave without its entry
 * (503, nothing returned; the caller may try again).
 */
final class AuditUnavailable extends Refusal {

    AuditUnavailable(Throwable cause) {
        super(Kind.UNAVAILABLE, "Audit trail unavailable",
                "The read could not be recorded in the audit trail, so nothing was returned. Try again shortly.",
                (String) null);
        initCause(cause);
    }
}
