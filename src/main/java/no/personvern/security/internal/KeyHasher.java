package no.personvern.security.internal;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import no.personvern.security.RateLimitKey;
import org.springframework.stereotype.Component;

/**
 * What a rate-limit counter is stored under: HMAC-SHA256 of bucket and key, under a key derived
 * from the key store and the same on every instance, cut to 128 bits. A key may be an e-mail
 * address or a client address; the counter table never holds it, nor anything a dictionary of
 * addresses could be matched against without the key.
 */
@Component
class KeyHasher {

    private final RateLimitKey secret;
    private volatile SecretKeySpec key;
    private final ThreadLocal<Mac> macs = new ThreadLocal<>();

    KeyHasher(RateLimitKey secret) {
        this.secret = secret;
    }

    String hash(String bucket, String value) {
        Mac mac = mac();
        mac.update(bucket.getBytes(StandardCharsets.UTF_8));
        mac.update((byte) 0);
        byte[] digest = mac.doFinal(value.getBytes(StandardCharsets.UTF_8));
        return HexFormat.of().formatHex(digest, 0, 16);
    }

    private Mac mac() {
        Mac mac = macs.get();
        if (mac == null) {
            try {
                mac = Mac.getInstance("HmacSHA256");
                mac.init(secretKey());
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("HmacSHA256 is unavailable", e);
            }
            macs.set(mac);
        }
        return mac;
    }

    private SecretKeySpec secretKey() {
        SecretKeySpec current = key;
        if (current == null) {
            current = new SecretKeySpec(secret.current(), "HmacSHA256");
            key = current;
        }
        return current;
    }
}
