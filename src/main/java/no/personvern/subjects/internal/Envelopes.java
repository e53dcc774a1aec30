package no.personvern.subjects.internal;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.crypto.SecretKey;
import no.personvern.catalog.Activity;
import no.personvern.subjects.Hold;
import no.personvern.subjects.internal.IdentityRepository.IdentityRow;
import no.personvern.subjects.internal.ValueRepository.ValueRow;
import org.springframework.stereotype.Component;

/**
 * Envelope encryption of the vault's rows: each person's identities and values are sealed
 * (AES-GCM) under their own data key, itself wrapped by the master key in the key store, and bound
 * (associated data) to their owner and place, so that a ciphertext cannot be moved to another row.
 */
@Component
class Envelopes {

    private final KeyStore keys;
    private final DataKeyCache cached;

    Envelopes(KeyStore keys, DataKeyCache cached) {
        this.keys = keys;
        this.cached = cached;
    }

    KeyStore.DataKey createSubjectKey(UUID subjectId) {
        return keys.create(subjectId, KeyStore.SUBJECT, null);
    }

    List<KeyStore.DataKey> createSubjectKeys(List<UUID> subjectIds) {
        return keys.createSubjectKeys(subjectIds);
    }

    /** A key of its own for what a hold keeps of an erased person, destroyed when nothing uses it any more. */
    KeyStore.DataKey createHoldKey(UUID subjectId, Hold.Reason reason) {
        return keys.create(subjectId, KeyStore.HOLD, reason.stored());
    }

    SecretKey key(UUID keyId) {
        return keys.get(keyId);
    }

    /** Crypto-shredding: what was sealed under the key is unreadable from now on. */
    void destroy(UUID keyId) {
        cached.destroy(keyId);
    }

    IdentityRow sealIdentity(UUID subjectId, KeyStore.DataKey key, String blindIndex, Identity identity,
            boolean verified, Instant now) {
        byte[] sealed = Crypto.seal(key.key(), identity.value().getBytes(StandardCharsets.UTF_8),
                Identity.aad(subjectId, identity.kind(), identity.system()));
        return new IdentityRow(blindIndex, UUID.randomUUID(), identity.kind(), identity.system(), key.id(), sealed,
                now, verified);
    }

    /** A value collected now by {@code system} for {@code activity}, with the activity's purposes. */
    ValueRow sealValue(UUID subjectId, KeyStore.DataKey key, String system, Activity activity, String category,
            String value, Instant now) {
        byte[] sealed = Crypto.seal(key.key(), value.getBytes(StandardCharsets.UTF_8),
                valueAad(subjectId, category, system, activity.key()));
        return new ValueRow(UUID.randomUUID(), category, system, activity.key(),
                String.join(" ", activity.purposes()), now, key.id(), sealed, null, null);
    }

    /** A new value in the place of {@code row} (Art. 16), sealed under {@code key}. */
    byte[] reseal(UUID subjectId, ValueRow row, SecretKey key, String value) {
        return Crypto.seal(key, value.getBytes(StandardCharsets.UTF_8),
                valueAad(subjectId, row.category(), row.system(), row.activity()));
    }

    /** The value of {@code row}, moved from the key {@code from} to {@code to}. */
    byte[] reseal(UUID subjectId, ValueRow row, SecretKey from, SecretKey to) {
        byte[] aad = valueAad(subjectId, row.category(), row.system(), row.activity());
        return Crypto.seal(to, Crypto.open(from, row.ciphertext(), aad), aad);
    }

    /**
     * Opens rows for reading, unwrapping each data key once however many rows it sealed, and taking
     * a person's key from the {@link DataKeyCache} when it holds it.
     */
    Opener opener() {
        return new Opener();
    }

    final class Opener {

        private final Map<UUID, SecretKey> cache = new HashMap<>();

        String identity(UUID subjectId, IdentityRow identity) {
            return new String(Crypto.open(key(identity.keyId()), identity.ciphertext(),
                    Identity.aad(subjectId, identity.kind(), identity.system())), StandardCharsets.UTF_8);
        }

        String value(UUID subjectId, ValueRow value) {
            return new String(Crypto.open(key(value.keyId()), value.ciphertext(),
                    valueAad(subjectId, value.category(), value.system(), value.activity())), StandardCharsets.UTF_8);
        }

        private SecretKey key(UUID keyId) {
            return cache.computeIfAbsent(keyId, cached::key);
        }
    }

    private static byte[] valueAad(UUID subjectId, String category, String system, String activity) {
        return ("value|" + subjectId + "|" + category + "|" + system + "|" + activity).getBytes(StandardCharsets.UTF_8);
    }
}
