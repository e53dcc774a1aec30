/**
 * API tokens and their scopes: who may call which endpoint. Tokens are stored only as SHA-256
 * hashes and compared in constant time; {@code admin} implies every scope.
 */
@ApplicationModule(displayName = "Security", allowedDependencies = {"catalog", "audit"})
package no.personvern.security;

import org.springframework.modulith.ApplicationModule;
