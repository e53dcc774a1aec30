package no.personvern.catalog;

import java.util.Locale;
import java.util.Optional;

/** The six lawful bases of GDPR Art. 6(1); every activity has exactly one. */
public enum LegalBasis {
    CONSENT("a"), CONTRACT("b"), LEGAL_OBLIGATION("c"), VITAL_INTERESTS("d"), PUBLIC_TASK("e"),
    LEGITIMATE_INTERESTS("f");

    private final String letter;

    LegalBasis(String letter) {
        this.letter = letter;
    }

    /** The catalog spelling, e.g. {@code legal_obligation}. */
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The point of Art. 6(1) this basis is, e.g. {@code Art. 6(1)(b)}. */
    public String article() {
        return "Art. 6(1)(" + letter + ")";
    }

    public static Optional<LegalBasis> fromKey(String key) {
        for (LegalBasis basis : values()) {
            if (basis.key().equals(key)) {
                return Optional.of(basis);
            }
        }
        return Optional.empty();
    }
}
