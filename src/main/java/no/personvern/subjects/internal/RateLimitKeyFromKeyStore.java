package no.personvern.subjects.internal;

import no.personvern.security.RateLimitKey;
import no.personvern.subjects.SecretKeys;
import org.springframework.stereotype.Component;

/** The rate limits' counter key, from the key store (the security module owns the interface). */
@Component
class RateLimitKeyFromKeyStore implements RateLimitKey {

    private final SecretKeys secrets;

    RateLimitKeyFromKeyStore(SecretKeys secrets) {
        this.secrets = secrets;
    }

    @Override
    public byte[] current() {
        return secrets.derive("rate-limit keys v1");
    }
}
