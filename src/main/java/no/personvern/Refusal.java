package no.personvern;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;
import java.util.Objects;

/**
 * An operation refused for a reason the caller can act on; nothing was changed. The web edge answers
 * it as an RFC 9457 problem: the status its {@link Kind} stands for, the title, the detail and, when
 * fields are named, {@code errors: [{field, message}]} in the order found.
 */
public class Refusal extends RuntimeException {

    /** Why the operation was refused. */
    public enum Kind {
        /** The request cannot be read as asked (400). */
        BAD_REQUEST,
        /** The caller may not do this (403). */
        FORBIDDEN,
        /** Nothing by that name or id (404). */
        NOT_FOUND,
        /** Not possible in the present state (409). */
        CONFLICT,
        /** It existed and is gone for good (410). */
        GONE,
        /** More than the limit (413). */
        TOO_LARGE,
        /** A value the operation cannot accept (422). */
        INVALID,
        /** Closed after too many failed attempts (423). */
        LOCKED,
        /** Too many attempts; try again later (429). */
        TOO_MANY,
        /** Not possible for the moment, for a reason on the server's side; try again later (503). */
        UNAVAILABLE
    }

    /** One field the caller must change, and why ({@code errors: [{field, message}]} in a problem). */
    @JsonPropertyOrder({"field", "message"})
    public record FieldError(String field, String message) {
    }

    private final Kind kind;
    private final String title;
    private final String detail;
    private final List<FieldError> errors;

    /** A refusal naming {@code field} (or none, if null) with the detail as its message. */
    public Refusal(Kind kind, String title, String detail, String field) {
        this(kind, title, detail, field == null ? List.of() : List.of(new FieldError(field, detail)));
    }

    public Refusal(Kind kind, String title, String detail, List<FieldError> errors) {
        super(detail);
        this.kind = Objects.requireNonNull(kind);
        this.title = title;
        this.detail = detail;
        this.errors = List.copyOf(errors);
    }

    public Kind kind() {
        return kind;
    }

    public String title() {
        return title;
    }

    public String detail() {
        return detail;
    }

    /** The fields named, in the order found; empty when the refusal is about no one field. */
    public List<FieldError> errors() {
        return errors;
    }
}
