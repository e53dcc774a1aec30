package no.personvern.security;

import java.time.Instant;
import java.util.UUID;

/**
 * A member of staff as the console shows it: never the password hash or the invitation's secret.
 *
 * @param email where the invitation went; staff's own work address, not a data subject's
 * @param invited true while the member has not yet set a password from the invitation link
 */
public record StaffMember(UUID id, String username, String displayName, String email, StaffRole role, boolean active,
        boolean invited, Instant inviteExpiresAt, Instant createdAt, Instant lastSignInAt) {
}
