package no.personvern.security;

import java.io.Serializable;
import java.util.UUID;
import org.springframework.security.core.AuthenticatedPrincipal;

/**
 * A signed-in member of staff, as the session holds it. Its name, {@code staff:<id>}, is the actor
 * the audit trail records for everything done in the console (an API token is {@code token:<id>}).
 * The role is re-read from the database on every request, so a changed role or a deactivation
 * takes effect at once.
 */
public record StaffPrincipal(UUID id, StaffRole role) implements AuthenticatedPrincipal, Serializable {

    @Override
    public String getName() {
        return "staff:" + id;
    }

    public boolean dpo() {
        return role == StaffRole.DPO;
    }
}
