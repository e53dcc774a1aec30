package no.personvern.subjects.internal;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * One normalised identity: an e-mail address, a phone number or a connected system's id for the
 * person ({@code system} is set for that kind only).
 */
record Identity(IdentityKind kind, String system, String value) {

    static Identity email(String normalised) {
        return new Identity(IdentityKind.EMAIL, null, normalised);
    }

    static Identity phone(String normalised) {
        return new Identity(IdentityKind.PHONE, null, normalised);
    }

    static Identity external(String system, String id) {
        return new Identity(IdentityKind.EXTERNAL_ID, system, id);
    }

    /** The message the blind index is the HMAC of ("kind|system|value"): stored indexes depend on it. */
    byte[] indexMessage() {
        return (kind.stored + "|" + (system == null ? "" : system) + "|" + value).getBytes(StandardCharsets.UTF_8);
    }

    /** Binds the ciphertext to its owner, kind and system: a sealed identity cannot be moved to another row. */
    static byte[] aad(UUID subjectId, IdentityKind kind, String system) {
        return ("identity|" + subjectId + "|" + kind.stored + "|" + (system == null ? "" : system))
                .getBytes(StandardCharsets.UTF_8);
    }
}
