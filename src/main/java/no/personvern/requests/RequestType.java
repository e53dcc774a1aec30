package no.personvern.requests;

import java.util.Locale;
import java.util.Optional;

/** The rights a request exercises: Art. 15, 20, 17, 16, 18 and 21. */
public enum RequestType {
    ACCESS, PORTABILITY, ERASURE, RECTIFICATION, RESTRICTION, OBJECTION;

    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<RequestType> fromKey(String key) {
        for (RequestType type : values()) {
            if (type.key().equals(key)) {
                return Optional.of(type);
            }
        }
        return Optional.empty();
    }
}
