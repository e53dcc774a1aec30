package no.personvern.requests;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;
import java.util.Optional;

/** The rights a request exercises: Art. 15, 20, 17, 16, 18 and 21. */
public enum RequestType {
    ACCESS, PORTABILITY, ERASURE, RECTIFICATION, RESTRICTION, OBJECTION;

    /** The name callers send and see in JSON. */
    @JsonValue
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
