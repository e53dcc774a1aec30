package no.personvern.subjects;

import java.time.Instant;
import java.util.UUID;

/** A stored document, without its content. {@code expiresAt} follows the activity's retention (S16). */
public record DocumentInfo(UUID id, String kind, String system, String contentType, long size, Instant uploadedAt,
        Instant expiresAt) {
}
