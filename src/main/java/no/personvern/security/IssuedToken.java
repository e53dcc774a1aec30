package no.personvern.security;

import java.util.UUID;

/** A newly issued token: the secret is shown this once and never stored. */
public record IssuedToken(UUID id, String token) {
}
