package no.personvern.retention;

import java.time.Instant;
import java.util.UUID;

/**
 * A legal hold (Art. 17(3)(e)): the person's data is needed for a legal claim and is deleted
 * neither by sweeps nor by erasure until {@code until} (null: until released).
 *
 * @param erasureDeferred the person asked for erasure while held: the first sweep after the end erases them
 */
public record LegalHold(UUID id, UUID subjectId, String reason, Instant until, Instant placedAt, Instant releasedAt,
        boolean active, boolean erasureDeferred) {
}
