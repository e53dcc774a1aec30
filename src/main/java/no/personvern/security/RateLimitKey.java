package no.personvern.security;

/**
 * The key rate-limit counters are stored under (a keyed hash of bucket and key, never the key
 * itself). The module that holds the keys provides it — kept under the master key, the same on
 * every instance — so that security depends on no module that depends on it.
 */
public interface RateLimitKey {

    /** 32 bytes, the same on every instance and across master-key rotations. */
    byte[] current();
}
