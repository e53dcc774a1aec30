package no.personvern;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/**
 * RFC 9457 problem documents in the one shape every module answers with: status, title, detail
 * and, for an invalid field, {@code errors: [{field, message}]}.
 */
public final class Problems {

    /** One invalid field of a problem's {@code errors}. */
    @JsonPropertyOrder({"field", "message"})
    public record FieldError(String field, String message) {
    }

    private Problems() {
    }

    public static ProblemDetail of(HttpStatus status, String title, String detail, String field) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setTitle(title);
        if (field != null) {
            problem.setProperty("errors", List.of(new FieldError(field, detail)));
        }
        return problem;
    }

    /** 422: a field with a value the operation cannot accept; nothing was changed. */
    public static ErrorResponseException invalid(String field, String message) {
        return exception(HttpStatus.UNPROCESSABLE_CONTENT, "Invalid request", message, field);
    }

    public static ErrorResponseException exception(HttpStatus status, String title, String detail, String field) {
        return new ErrorResponseException(status, of(status, title, detail, field), null);
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
    public static ErrorResponseException invalid(Map<String, String> errors) {
        if (errors.size() == 1) {
            Map.Entry<String, String> only = errors.entrySet().iterator().next();
            return invalid(only.getKey(), only.getValue());
        }
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.UNPROCESSABLE_CONTENT,
                errors.size() + " fields are invalid: " + String.join(", ", errors.keySet()) + ".");
        problem.setTitle("Invalid request");
        List<FieldError> list = new ArrayList<>();
        errors.forEach((field, message) -> list.add(new FieldError(field, message)));
        problem.setProperty("errors", list);
        return new ErrorResponseException(HttpStatus.UNPROCESSABLE_CONTENT, problem, null);
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
         * Runs a check that throws a 422 problem for what it finds invalid, and records its fields
         * instead of stopping; returns its result, or null when it found something invalid. Any
         * other problem (404, 409 …) is thrown on.
         */
        public <T> T collect(Supplier<T> check) {
            try {
                return check.get();
            } catch (ErrorResponseException problem) {
                if (problem.getStatusCode().value() != HttpStatus.UNPROCESSABLE_CONTENT.value()) {
                    throw problem;
                }
                Object listed = problem.getBody().getProperties() == null ? null
                        : problem.getBody().getProperties().get("errors");
                if (listed instanceof List<?> items && !items.isEmpty()) {
                    for (Object item : items) {
                        if (item instanceof FieldError error) {
                            reject(error.field(), error.message());
                        }
                    }
                } else {
                    reject("body", String.valueOf(problem.getBody().getDetail()));
                }
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
