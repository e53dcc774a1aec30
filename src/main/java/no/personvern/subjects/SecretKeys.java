package no.personvern.subjects;

/**
 * Keys for other modules' own secrets (signing cookies and links, pseudonyms, sealing queued
 * mail), derived with HKDF-SHA256 from the key store's random root, which is kept only wrapped by
 * the master key and re-wrapped when the master key rotates. A derived key never changes with a
 * rotation, so links already mailed keep working; nothing of it is stored in the main database.
 */
public interface SecretKeys {

    /**
     * 32 bytes for {@code purpose} (e.g. {@code "cookie-signing v1"}); the same for every instance.
     * A secret {@link #adopt adopted} for the purpose takes the place of the derived key.
     */
    byte[] derive(String purpose);

    /**
     * Upgrade: keeps {@code secret}, which an earlier version stored in plain text, wrapped by the
     * master key in the key store as the key of {@code purpose} from now on, so that what was made
     * with it (mailed links, cookies, pseudonyms) stays valid. The caller then deletes the plain
     * copy. Adopting the same secret again does nothing; a different one for the purpose is refused.
     */
    void adopt(String purpose, byte[] secret);
}
