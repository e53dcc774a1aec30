package no.personvern.requests;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A request as the person who made it follows it behind their private link: nothing but what is
 * theirs to know. No staff notes, no attention flags, no system errors, no one else's data. A
 * request joined to an earlier one of the same person ({@link RequestStatus#LINKED}) shows that one.
 *
 * @param status where it stands: {@code OPEN}, {@code IN_PROGRESS}, {@code COMPLETED} or {@code REJECTED}
 * @param systems how far each connected system has come, by the system's key (its name is in the catalog)
 * @param reasons why it was rejected, or what staff wrote when they closed a rectification or an objection
 * @param packageExpires when the download of an access or portability package stops (null: no package yet)
 * @param packageAvailable whether the package can be downloaded now (it exists and has not expired) by this link
 * @param full whether the link is the one we mailed, which also opens our answer ({@code reasons}) and the
 *             package; the link the browser got after the code shows only where the request stands
 */
public record RequestProgress(UUID id, RequestType type, RequestStatus status, Instant receivedAt, Instant dueAt,
        Instant extendedUntil, String extensionReason, List<SystemStep> systems, String reasons, Instant closedAt,
        Instant packageExpires, boolean packageAvailable, boolean full) {

    /** A connected system's part: {@code done}, or still being handled (pending, waiting or failed look the same). */
    public record SystemStep(String system, boolean done) {
    }
}
