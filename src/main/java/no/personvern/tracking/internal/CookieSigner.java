package no.personvern.tracking.internal;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import no.personvern.subjects.SecretKeys;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Signs and checks the {@code pv_consent} cookie, {@code v1.<s>.<m>.<issued>.<visitor>.<signature>}:
 * a forged or altered cookie grants nothing. The key comes from the key store, under the master key.
 */
@Component
class CookieSigner implements SmartInitializingSingleton {

    /** The choices a valid cookie carries. */
    record Choice(boolean statistics, boolean marketing, long issuedAt, String visitorId) {
    }

    static final String PURPOSE = "tracking cookie-signing v1";
    private static final Pattern VISITOR = Pattern.compile("[A-Za-z0-9_-]{16,64}");
    private final JdbcClient jdbc;
    private final SecretKeys secrets;
    private volatile byte[] key;

    CookieSigner(JdbcClient jdbc, SecretKeys secrets) {
        this.jdbc = jdbc;
        this.secrets = secrets;
    }

    String sign(Choice choice) {
        String payload = "v1." + (choice.statistics() ? 1 : 0) + "." + (choice.marketing() ? 1 : 0) + "."
                + choice.issuedAt() + "." + choice.visitorId();
        return payload + "." + mac(payload);
    }

    Optional<Choice> verify(String cookie) {
        if (cookie == null || cookie.length() > 200) {
            return Optional.empty();
        }
        String[] parts = cookie.split("\\.");
        if (parts.length != 6 || !parts[0].equals("v1") || !parts[1].matches("[01]") || !parts[2].matches("[01]")
                || !parts[3].matches("\\d{1,12}") || !VISITOR.matcher(parts[4]).matches()) {
            return Optional.empty();
        }
        String payload = String.join(".", parts[0], parts[1], parts[2], parts[3], parts[4]);
        boolean authentic = MessageDigest.isEqual(mac(payload).getBytes(StandardCharsets.US_ASCII),
                parts[5].getBytes(StandardCharsets.US_ASCII));
        return authentic ? Optional.of(new Choice(parts[1].equals("1"), parts[2].equals("1"), Long.parseLong(parts[3]),
                parts[4])) : Optional.empty();
    }

    /** A keyed hash of a random id, so the statistics never store the cookie's id itself. */
    String pseudonym(String id) {
        return mac("visitor." + id).substring(0, 32);
    }

    static String newVisitorId() {
        byte[] bytes = new byte[18];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private String mac(String payload) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key(), "HmacSHA256"));
            return Base64.getUrlEncoder().withoutPadding()
                    .encodeToString(mac.doFinal(payload.getBytes(StandardCharsets.US_ASCII)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is missing from the JDK", e);
        }
    }

    /** The key is ready, and an older plain copy gone, before the first request. */
    @Override
    public void afterSingletonsInstantiated() {
        key();
    }

    /**
     * The key comes from the key store. An earlier version made it itself and kept it in plain text
     * in {@code tracking_secret}: that key is handed to the key store, so the cookies it signed stay
     * valid, and the plain copy deleted.
     */
    private byte[] key() {
        byte[] current = key;
        if (current == null) {
            synchronized (this) {
                current = key;
                if (current == null) {
                    jdbc.sql("SELECT secret FROM tracking_secret WHERE id = 1").query(String.class).optional()
                            .ifPresent(legacy -> {
                                secrets.adopt(PURPOSE, HexFormat.of().parseHex(legacy));
                                jdbc.sql("DELETE FROM tracking_secret WHERE id = 1").update();
                            });
                    current = secrets.derive(PURPOSE);
                    key = current;
                }
            }
        }
        return current;
    }
}
