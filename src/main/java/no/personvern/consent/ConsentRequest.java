package no.personvern.consent;

import java.util.UUID;

/**
 * A decision to record: for a person or for an anonymous visitor, never both. {@code granted} is
 * required; it is a {@code Boolean} only so that a request without it is refused as invalid
 * together with its other fields. {@code activity} names the activity whose purpose it is (the
 * newsletter, not the course invitations); without it the decision is recorded for every activity
 * that bases the purpose on consent, one record each.
 */
public record ConsentRequest(UUID subjectId, String visitorId, String purpose, Boolean granted, String method,
        String source, String activity) {

    /** A decision for every activity that bases the purpose on consent. */
    public ConsentRequest(UUID subjectId, String visitorId, String purpose, Boolean granted, String method,
            String source) {
        this(subjectId, visitorId, purpose, granted, method, source, null);
    }
}
