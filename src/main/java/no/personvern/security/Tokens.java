package no.personvern.security;

import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/** Issues, checks and revokes API tokens. */
public interface Tokens {

    IssuedToken issue(String name, Set<Scope> scopes, String system);

    /** The active token matching the presented secret, if any. */
    Optional<ApiToken> authenticate(String presented);

    /** Revokes a token; false when no active token has that id. */
    boolean revoke(UUID id);
}
