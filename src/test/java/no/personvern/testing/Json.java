package no.personvern.testing;

import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.databind.json.JsonMapper;

/**
 * Request bodies written by Jackson, so that a value with a quote or a backslash in it is still
 * one JSON string: {@code Json.object("type", "access", "email", email)}.
 */
public final class Json {

    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    private Json() {
    }

    /** A JSON object of these keys and values, in order; a value may be a map, a list or a record. */
    public static String object(Object... keysAndValues) {
        return write(fields(keysAndValues));
    }

    /** The keys and values as a map in their order, to nest in another object. */
    public static Map<String, Object> fields(Object... keysAndValues) {
        if (keysAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("keys and values come in pairs");
        }
        Map<String, Object> fields = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            fields.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return fields;
    }

    public static String write(Object value) {
        return MAPPER.writeValueAsString(value);
    }
}
