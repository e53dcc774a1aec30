package no.personvern.consent;

import java.util.UUID;

/**
 * A decision to record: for a person or for an anonymous visitor, never both. {@code granted} is
 * required; it is a {@code Boolean} only so that a request without it is refused as invalid
 * together with its other fields.
 */
public record ConsentRequest(UUID subjectId, String visitorId, String purpose, Boolean granted, String method,
        String source) {
}
