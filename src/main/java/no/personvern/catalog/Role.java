package no.personvern.catalog;

import java.util.Locale;
import java.util.Optional;

/**
 * Whether the company decides purposes and means (controller) or processes on a customer's
 * documented instructions (processor, Art. 28) — then requests go to that customer.
 */
public enum Role {
    CONTROLLER, PROCESSOR;

    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<Role> fromKey(String key) {
        for (Role role : values()) {
            if (role.key().equals(key)) {
                return Optional.of(role);
            }
        }
        return Optional.empty();
    }
}
