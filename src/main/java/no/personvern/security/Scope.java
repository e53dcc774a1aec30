package no.personvern.security;

import java.util.Optional;

/** What a token may do. The authority checked by endpoints is the scope's {@link #value()}. */
public enum Scope {
    ADMIN("admin"),
    CATALOG_READ("catalog:read"),
    SUBJECTS_READ("subjects:read"),
    SUBJECTS_WRITE("subjects:write"),
    CONSENT_WRITE("consent:write"),
    REQUESTS_MANAGE("requests:manage"),
    DISCLOSURES_WRITE("disclosures:write"),
    AUDIT_READ("audit:read"),
    STATS_READ("stats:read");

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
