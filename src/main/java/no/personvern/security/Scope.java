package no.personvern.security;

import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/** What a token may do. The authority checked by endpoints is the scope's {@link #value()}. */
public enum Scope {
    ADMIN("admin"),
    CATALOG_READ("catalog:read"),
    SUBJECTS_READ("subjects:read"),
    SUBJECTS_WRITE("subjects:write"),
    CONSENT_WRITE("consent:write"),
    REQUESTS_MANAGE("requests:manage"),
    /** A connected system's answer to a request it was sent: {@code …/systems/{system}/callback}. */
    REQUESTS_CALLBACK("requests:callback"),
    DISCLOSURES_WRITE("disclosures:write"),
    AUDIT_READ("audit:read"),
    STATS_READ("stats:read"),
    /** The breach register (Art. 33, 34): record, assess, notify, close. */
    BREACHES_MANAGE("breaches:manage");

    /** The scopes a token bound to a connected system may carry: what a product does, nothing of staff's work. */
    public static final Set<Scope> FOR_SYSTEMS = Set.copyOf(EnumSet.of(CATALOG_READ, SUBJECTS_READ, SUBJECTS_WRITE,
            CONSENT_WRITE, REQUESTS_CALLBACK));

    private final String value;

    Scope(String value) {
        this.value = value;
    }

    public String value() {
        return value;
    }

    public static Optional<Scope> fromValue(String value) {
        for (Scope scope : values()) {
            if (scope.value.equals(value)) {
                return Optional.of(scope);
            }
        }
        return Optional.empty();
    }
}
