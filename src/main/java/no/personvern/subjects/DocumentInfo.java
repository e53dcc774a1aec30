package no.personvern.subjects;

import java.time.Instant;
import java.util.UUID;

/**
 * A stored document, without its content. {@code category} is the data category the catalog
 * stores its kind under for {@code activity}; {@code expiresAt} follows the activity's retention (S16).
 */
public record DocumentInfo(UUID id, String kind, String system, String activity, String category,
        String contentType, long size, Instant uploadedAt, Instant expiresAt) {
}
