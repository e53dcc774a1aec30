package no.personvern.security;

import java.util.Locale;
import java.util.Optional;

/**
 * What a member of staff may do in the console (SPEC 3, Web pages). The DPO may do everything; a
 * support agent files requests for callers it verified and works the queue, sees identities masked
 * until it reveals one with a reason, and has no part in the catalog, legal holds, disclosures,
 * breaches, the audit trail or staff.
 */
public enum StaffRole {
    DPO,
    AGENT;

    /** As stored and as a form sends it: {@code dpo} or {@code agent}. */
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<StaffRole> fromKey(String key) {
        for (StaffRole role : values()) {
            if (role.key().equals(key)) {
                return Optional.of(role);
            }
        }
        return Optional.empty();
    }
}
