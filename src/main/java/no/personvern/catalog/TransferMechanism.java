package no.personvern.catalog;

import java.util.Locale;
import java.util.Optional;

/**
 * The safeguard for a transfer outside the EEA: none needed, an adequacy decision (Art. 45),
 * standard contractual clauses or binding corporate rules (Art. 46).
 */
public enum TransferMechanism {
    NONE, ADEQUACY, SCC, BCR;

    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<TransferMechanism> fromKey(String key) {
        for (TransferMechanism mechanism : values()) {
            if (mechanism.key().equals(key)) {
                return Optional.of(mechanism);
            }
        }
        return Optional.empty();
    }
}
