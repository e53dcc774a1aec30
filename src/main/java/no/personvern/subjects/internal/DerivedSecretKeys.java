package no.personvern.subjects.internal;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import no.personvern.subjects.SecretKeys;
import org.springframework.stereotype.Component;

@Component
class DerivedSecretKeys implements SecretKeys {

    private static final byte[] SALT = "personvern secret keys".getBytes(StandardCharsets.US_ASCII);

    private final KeyStore keys;
    private final Map<String, byte[]> derived = new ConcurrentHashMap<>();

    DerivedSecretKeys(KeyStore keys) {
        this.keys = keys;
    }

    @Override
    public byte[] derive(String purpose) {
        requirePurpose(purpose);
        return derived.computeIfAbsent(purpose, p -> keys.adoptedSecret(p).orElseGet(() -> Crypto.hkdf(
                keys.indexRoot().getEncoded(), SALT, p.getBytes(StandardCharsets.UTF_8), 32))).clone();
    }

    @Override
    public void adopt(String purpose, byte[] secret) {
        requirePurpose(purpose);
        keys.adoptSecret(purpose, secret);
        derived.remove(purpose);
    }

    private static void requirePurpose(String purpose) {
        if (purpose == null || purpose.isBlank()) {
            throw new IllegalArgumentException("a purpose is required");
        }
    }
}
