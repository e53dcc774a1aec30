package no.personvern.security;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The console's staff: the first DPO comes from {@code PERSONVERN_ADMIN_USER} and
 * {@code PERSONVERN_ADMIN_PASSWORD}; DPOs invite the others. Every change names the member of
 * staff who made it in the audit trail ({@code staff.*} actions; never a name or an address).
 */
public interface Staff {

    /** Everyone, the active first, by name. Staff are few; this is not paged. */
    List<StaffMember> list();

    Optional<StaffMember> find(UUID id);

    /**
     * A new member who sets a password from a single-use link valid for
     * {@code personvern.staff.invitation-validity} (72 hours). Returns the member and the link's
     * secret, which is stored only as a hash and must be mailed at once. 409 for a username in use,
     * 422 for a malformed one.
     */
    Invitation invite(String username, String displayName, String email, StaffRole role);

    /** A new secret for a member still invited (the old link stops working). */
    Invitation reinvite(UUID id);

    /** The member an unexpired invitation secret belongs to, if any. */
    Optional<StaffMember> invited(String secret);

    /**
     * Sets the password of an invited member and uses the invitation up; 410 when the link is
     * unknown, used or expired; 422 when the password is too short or too long (12 to 72 bytes).
     */
    StaffMember acceptInvitation(String secret, String password);

    /** 422 when the last active DPO would lose the role. */
    StaffMember changeRole(UUID id, StaffRole role);

    /** Ends every session of the member at its next request; 422 for the last active DPO. */
    StaffMember deactivate(UUID id);

    StaffMember reactivate(UUID id);

    /** A member and the secret of the link that lets it set a password. */
    record Invitation(StaffMember member, String secret) {
    }
}
