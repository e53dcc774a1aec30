package no.personvern.mail.internal;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import no.personvern.mail.Mail;
import no.personvern.subjects.SecretKeys;
import org.springframework.stereotype.Component;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * Seals a queued message with AES-256-GCM (a fresh 96-bit nonce each time, the row's id as
 * associated data, so a sealed message cannot be moved to another row) under a key derived from
 * the key store for this purpose alone: it is not kept in the main database, and a master-key
 * rotation does not change it, so queued mail stays readable.
 */
@Component
class MailSeal {

    private static final String PURPOSE = "mail-outbox v1";
    private static final int NONCE = 12;
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final SecretKeys secretKeys;
    private volatile SecretKey key;

    MailSeal(SecretKeys secretKeys) {
        this.secretKeys = secretKeys;
    }

    /** What a sealed row holds: everything that is personal data in a message. */
    record Message(String to, String subject, String text, Map<String, String> headers) {
    }

    byte[] seal(UUID id, Mail mail) {
        Map<String, Object> content = new LinkedHashMap<>();
        content.put("to", mail.to());
        content.put("subject", mail.subject());
        content.put("text", mail.text());
        content.put("headers", mail.headers());
        byte[] plain = JSON.writeValueAsBytes(content);
        byte[] nonce = new byte[NONCE];
        RANDOM.nextBytes(nonce);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key(), new GCMParameterSpec(128, nonce));
            cipher.updateAAD(id.toString().getBytes(StandardCharsets.US_ASCII));
            byte[] sealed = cipher.doFinal(plain);
            return ByteBuffer.allocate(NONCE + sealed.length).put(nonce).put(sealed).array();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("a queued mail could not be sealed", e);
        }
    }

    Message open(UUID id, byte[] sealed) {
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key(), new GCMParameterSpec(128, sealed, 0, NONCE));
            cipher.updateAAD(id.toString().getBytes(StandardCharsets.US_ASCII));
            byte[] plain = cipher.doFinal(sealed, NONCE, sealed.length - NONCE);
            Map<String, Object> content = JSON.readValue(plain, new TypeReference<Map<String, Object>>() { });
            @SuppressWarnings("unchecked")
            Map<String, String> headers = (Map<String, String>) content.get("headers");
            return new Message((String) content.get("to"), (String) content.get("subject"),
                    (String) content.get("text"), headers == null ? Map.of() : headers);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("a queued mail could not be opened", e);
        }
    }

    private SecretKey key() {
        if (key == null) {
            key = new SecretKeySpec(secretKeys.derive(PURPOSE), "AES");
        }
        return key;
    }
}
