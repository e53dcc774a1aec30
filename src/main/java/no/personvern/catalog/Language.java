package no.personvern.catalog;

import java.util.Locale;
import java.util.Optional;

/** The languages the notice and the pages are written in. */
public enum Language {
    NB, EN;

    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<Language> fromCode(String code) {
        for (Language language : values()) {
            if (language.code().equalsIgnoreCase(code)) {
                return Optional.of(language);
            }
        }
        return Optional.empty();
    }
}
