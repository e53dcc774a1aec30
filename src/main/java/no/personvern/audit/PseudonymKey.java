package no.personvern.audit;

/**
 * The key behind the subject pseudonyms of the trail. The module that holds the keys provides it
 * (kept under the master key, unchanged by a rotation), so the audit module depends on none.
 */
public interface PseudonymKey {

    /** 32 bytes, the same on every instance and across master-key rotations. */
    byte[] current();

    /**
     * Upgrade: takes over the key an earlier version kept in plain text in the audit tables, so
     * the pseudonyms of existing entries still match; the caller then deletes the plain copy.
     */
    void adopt(byte[] legacy);
}
