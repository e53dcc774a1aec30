package no.personvern.consent;

import java.util.UUID;

/** A decision to record: for a person or for an anonymous visitor, never both. */
public record ConsentRequest(UUID subjectId, String visitorId, String purpose, boolean granted, String method,
        String source) {
}
