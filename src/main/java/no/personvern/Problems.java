package no.personvern;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import no.personvern.Refusal.FieldError;
import no.personvern.Refusal.Kind;

/**
 * Refusals in the one shape every module answers with: a kind (its status), title, detail and, for
 * an invalid field, the field and the reason. The web edge writes them as RFC 9457 problems.
 */
public final class Problems {

    private Problems() {
    }

    /** 422: a field with a value the operation cannot accept; nothing was changed. */
    public static Refusal invalid(String field, String message) {
        return refusal(Kind.INVALID, "Invalid request", message, field);
    }

    /** 404 "Not found", naming no field. */
    public static Refusal notFound(String detail) {
        return refusal(Kind.NOT_FOUND, "Not found", detail, null);
    }

    /** 429 "Too many requests": the caller should try again later. */
    public static Refusal tooManyRequests(String detail) {
        return refusal(Kind.TOO_MANY, "Too many requests", detail, null);
    }

    /** A refusal of any kind; {@code field} is the one field it names, or null. */
    public static Refusal refusal(Kind kind, String title, String detail, String field) {
        return new Refusal(kind, title, detail, field);
    }

    /** A value from a request, cut short for quoting back in a problem (at most 60 characters). */
    public static String shown(String value) {
        if (value == null) {
            return "null";
        }
        String printable = value.replaceAll("[\\p{Cntrl}]", "?");
        return printable.length() <= 60 ? printable : printable.substring(0, 57) + "...";
    }

    /** A collector of every invalid field of one request, for {@link #invalid(Map)}. */
    public static Violations violations() {
        return new Violations();
    }

    /** 422 naming every invalid field at once (field → message, in the order found). */
    public static Refusal invalid(Map<String, String> errors) {
        if (errors.size() == 1) {
            Map.Entry<String, String> only = errors.entrySet().iterator().next();
            return invalid(only.getKey(), only.getValue());
        }
        List<FieldError> list = new ArrayList<>();
        errors.forEach((field, message) -> list.add(new FieldError(field, message)));
        return new Refusal(Kind.INVALID, "Invalid request",
                errors.size() + " fields are invalid: " + String.join(", ", errors.keySet()) + ".", list);
    }

    /**
     * Every invalid field of a request, so that the caller learns them all in one answer (an empty
     * name and an unknown scope are two errors), not one per attempt.
     */
    public static final class Violations {

        private final Map<String, String> errors = new LinkedHashMap<>();

        private Violations() {
        }

        /** Records a field as invalid; the first reason given for a field is the one kept. */
        public Violations reject(String field, String message) {
            errors.putIfAbsent(field, message);
            return this;
        }

        /** Records {@code field} as invalid unless {@code valid}. */
        public Violations require(boolean valid, String field, String message) {
            return valid ? this : reject(field, message);
        }

        /**
         * Runs a check that throws a 422 refusal for what it finds invalid, and records its fields
         * instead of stopping; returns its result, or null when it found something invalid. Any
         * other refusal (404, 409 …) is thrown on.
         */
        public <T> T collect(Supplier<T> check) {
            try {
                return check.get();
            } catch (Refusal refusal) {
                if (refusal.kind() != Kind.INVALID) {
                    throw refusal;
                }
                if (refusal.errors().isEmpty()) {
                    reject("body", String.valueOf(refusal.detail()));
                }
                refusal.errors().forEach(error -> reject(error.field(), String.valueOf(error.message())));
                return null;
            }
        }

        /** Like {@link #collect(Supplier)} for a check with no result. */
        public Violations check(Runnable check) {
            collect(() -> {
                check.run();
                return null;
            });
            return this;
        }

        public boolean isValid(String field) {
            return !errors.containsKey(field);
        }

        public boolean isEmpty() {
            return errors.isEmpty();
        }

        /** Throws the 422 naming every field recorded, if any. */
        public void throwIfAny() {
            if (!errors.isEmpty()) {
                throw invalid(errors);
            }
        }
    }
}
