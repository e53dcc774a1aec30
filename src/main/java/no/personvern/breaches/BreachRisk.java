package no.personvern.breaches;

import java.util.Locale;
import java.util.Optional;

/**
 * The risk a breach poses to people's rights and freedoms: {@code unlikely} (Art. 33(1): no
 * notification needed, but documented), {@code risk} (notify the authority), {@code high} (tell
 * the people too, Art. 34(1)).
 */
public enum BreachRisk {
    UNLIKELY, RISK, HIGH;

    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<BreachRisk> fromKey(String key) {
        for (BreachRisk risk : values()) {
            if (risk.key().equals(key)) {
                return Optional.of(risk);
            }
        }
        return Optional.empty();
    }
}
