package no.personvern.consent;

import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/** A consent operation refused, as an RFC 9457 problem; nothing was recorded. */
public class ConsentProblem extends ErrorResponseException {

    private ConsentProblem(HttpStatus status, String title, String detail, String field) {
        super(status, problem(status, title, detail, field), null);
    }

    private static ProblemDetail problem(HttpStatus status, String title, String detail, String field) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setTitle(title);
        if (field != null) {
            problem.setProperty("errors", List.of(Map.of("field", field, "message", detail)));
        }
        return problem;
    }

    public static ConsentProblem invalid(String field, String message) {
        return new ConsentProblem(HttpStatus.UNPROCESSABLE_CONTENT, "Invalid request", message, field);
    }

    public static ConsentProblem notFound(Object id) {
        return new ConsentProblem(HttpStatus.NOT_FOUND, "Not found", "No subject or receipt " + id + ".", null);
    }
}
