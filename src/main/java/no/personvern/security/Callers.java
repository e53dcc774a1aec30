package no.personvern.security;

import java.util.Optional;
import no.personvern.Problems;
import no.personvern.Refusal;
import no.personvern.Refusal.Kind;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;

/**
 * Who is calling, for the endpoints that a connected system's token may reach (SPEC 3, Tokens): a
 * token created with {@code system} acts only as that system. Staff tokens (no system) and public
 * calls are not confined by these checks.
 */
public final class Callers {

    private Callers() {
    }

    /** The system the calling token is bound to; empty for staff tokens and calls without a token. */
    public static Optional<String> system() {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        return authentication != null && authentication.getPrincipal() instanceof ApiToken token
                ? Optional.ofNullable(token.system()) : Optional.empty();
    }

    /** The signed-in member of staff when the call comes from the console; empty for tokens and the public. */
    public static Optional<StaffPrincipal> staff() {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        return authentication != null && authentication.getPrincipal() instanceof StaffPrincipal staff
                ? Optional.of(staff) : Optional.empty();
    }

    /**
     * 403, before anything is stored, when a system-bound token names another system in
     * {@code field}. A missing value passes: the operation itself reports it as invalid.
     */
    public static void requireActingFor(String system, String field) {
        system().ifPresent(own -> {
            if (system != null && !own.equals(system)) {
                throw forbidden(own, "may act only for that system, not for '" + system + "'", field);
            }
        });
    }

    /** The 403 problem for a system-bound token that reached beyond its system. */
    public static Refusal forbidden(String own, String what, String field) {
        return Problems.refusal(Kind.FORBIDDEN, "Forbidden", "This token is bound to system '" + own + "' and "
                + what + ".", field);
    }
}
