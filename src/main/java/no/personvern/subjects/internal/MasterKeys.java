package no.personvern.subjects.internal;

import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.crypto.SecretKey;

/**
 * The master keys (key-encryption keys): the current one wraps new data keys; previous ones, kept
 * during a rotation, can still unwrap what they wrapped. Each is known by a short fingerprint.
 */
final class MasterKeys {

    private final String currentId;
    private final Map<String, SecretKey> keys;

    MasterKeys(SecretKey current, Iterable<SecretKey> previous) {
        Map<String, SecretKey> byId = new LinkedHashMap<>();
        this.currentId = fingerprint(current);
        byId.put(currentId, current);
        previous.forEach(key -> byId.putIfAbsent(fingerprint(key), key));
        this.keys = Collections.unmodifiableMap(byId);
    }

    String currentId() {
        return currentId;
    }

    SecretKey current() {
        return keys.get(currentId);
    }

    SecretKey byId(String id) {
        SecretKey key = keys.get(id);
        if (key == null) {
            throw new IllegalStateException("data key wrapped by master key " + id
                    + ", which is neither PERSONVERN_MASTER_KEY nor in PERSONVERN_MASTER_KEY_PREVIOUS");
        }
        return key;
    }

    /** A fingerprint that reveals nothing of the key: HMAC of a fixed label under it. */
    static String fingerprint(SecretKey key) {
        byte[] mac = Crypto.hmac(key.getEncoded(), "personvern master key id".getBytes(StandardCharsets.US_ASCII));
        return HexFormat.of().formatHex(mac, 0, 8);
    }
}
