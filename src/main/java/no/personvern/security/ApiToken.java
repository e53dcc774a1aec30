package no.personvern.security;

import java.time.Instant;
import java.util.Set;
import java.util.UUID;

/** A token as stored: never the token itself, only its name, scopes and optional system. */
public record ApiToken(UUID id, String name, Set<Scope> scopes, String system, Instant createdAt) {

    public boolean grants(Scope scope) {
        return scopes.contains(Scope.ADMIN) || scopes.contains(scope);
    }
}
