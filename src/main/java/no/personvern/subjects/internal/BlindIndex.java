package no.personvern.subjects.internal;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.springframework.stereotype.Component;

/** Finds people without decrypting: an identity's index is an HMAC of its normalised form. */
@Component
class BlindIndex {

    private final KeyStore keys;
    private volatile byte[] key;

    BlindIndex(KeyStore keys) {
        this.keys = keys;
    }

    /** HMAC-SHA256 of the normalised identity under a key derived (HKDF) from the index root. */
    String of(Identity identity) {
        byte[] key = this.key;
        if (key == null) {
            key = Crypto.hkdf(keys.indexRoot().getEncoded(), "personvern".getBytes(StandardCharsets.US_ASCII),
                    "blind index v1".getBytes(StandardCharsets.US_ASCII), 32);
            this.key = key;
        }
        return HexFormat.of().formatHex(Crypto.hmac(key, identity.indexMessage()));
    }
}
