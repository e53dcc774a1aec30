package no.personvern.consent;

import no.personvern.Problems;
import org.springframework.http.HttpStatus;
import org.springframework.web.ErrorResponseException;

/** A consent operation refused, as an RFC 9457 problem; nothing was recorded. */
public class ConsentProblem extends ErrorResponseException {

    private ConsentProblem(HttpStatus status, String title, String detail, String field) {
        super(status, Problems.of(status, title, detail, field), null);
    }

    public static ConsentProblem invalid(String field, String message) {
        return new ConsentProblem(HttpStatus.UNPROCESSABLE_CONTENT, "Invalid request", message, field);
    }

    public static ConsentProblem notFound(Object id) {
        return new ConsentProblem(HttpStatus.NOT_FOUND, "Not found", "No subject or receipt " + id + ".", null);
    }
}
