/**
 * API tokens and their scopes: who may call which endpoint. Tokens are stored only as SHA-256
 * hashes and compared in constant time; {@code admin} implies every scope. Also the edge every
 * request passes: who the client is behind trusted proxies ({@link no.personvern.security.ClientAddresses}),
 * bounded bodies, and rate limits shared by all instances ({@link no.personvern.security.RateLimits}),
 * whose counters are keyed by a hash under a key from {@code subjects}' key store.
 */
@ApplicationModule(displayName = "Security", allowedDependencies = {"catalog", "audit"})
package no.personvern.security;

import org.springframework.modulith.ApplicationModule;
