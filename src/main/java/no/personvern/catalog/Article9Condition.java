package no.personvern.catalog;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The conditions of GDPR Art. 9(2) under which special categories of personal data (health,
 * biometric and genetic data, racial or ethnic origin, political opinions, religious beliefs,
 * trade-union membership, sex life or sexual orientation) may be processed at all; Art. 10 for
 * criminal convictions. An activity that declares such a category names its condition.
 */
public enum Article9Condition {
    EXPLICIT_CONSENT("a"), EMPLOYMENT_AND_SOCIAL_SECURITY("b"), VITAL_INTERESTS("c"), NOT_FOR_PROFIT_BODY("d"),
    MADE_PUBLIC("e"), LEGAL_CLAIMS("f"), SUBSTANTIAL_PUBLIC_INTEREST("g"), HEALTH_OR_SOCIAL_CARE("h"),
    PUBLIC_HEALTH("i"), ARCHIVING_RESEARCH_STATISTICS("j");

    private final String letter;

    Article9Condition(String letter) {
        this.letter = letter;
    }

    /** The catalog spelling, e.g. {@code explicit_consent}. */
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The point of Art. 9(2), e.g. {@code Art. 9(2)(a)}. */
    public String article() {
        return "Art. 9(2)(" + letter + ")";
    }

    public static Optional<Article9Condition> fromKey(String key) {
        return Arrays.stream(values()).filter(condition -> condition.key().equals(key)).findFirst();
    }

    public static List<String> keys() {
        return Arrays.stream(values()).map(Article9Condition::key).toList();
    }
}
