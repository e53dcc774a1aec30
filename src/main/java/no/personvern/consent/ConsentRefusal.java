package no.personvern.consent;

import no.personvern.Refusal;

/** A consent operation refused for a reason the caller can act on; nothing was recorded. */
public class ConsentRefusal extends Refusal {

    private ConsentRefusal(Kind kind, String title, String detail, String field) {
        super(kind, title, detail, field);
    }

    public static ConsentRefusal invalid(String field, String message) {
        return new ConsentRefusal(Kind.INVALID, "Invalid request", message, field);
    }

    public static ConsentRefusal notFound(Object id) {
        return new ConsentRefusal(Kind.NOT_FOUND, "Not found", "No subject or receipt " + id + ".", null);
    }
}
