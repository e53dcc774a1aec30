package no.personvern.subjects;

/**
 * Keys for other modules' own secrets (signing cookies and links, sealing queued mail), derived
 * with HKDF-SHA256 from the key store's random root, which is kept only wrapped by the master key
 * and re-wrapped when the master key rotates. A derived key never changes with a rotation, so
 * links already mailed keep working; nothing of it is stored in the main database.
 */
public interface SecretKeys {

    /** 32 bytes for {@code purpose} (e.g. {@code "cookie-signing v1"}); the same for every instance. */
    byte[] derive(String purpose);
}
