package no.personvern;

import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/**
 * RFC 9457 problem documents in the one shape every module answers with: status, title, detail
 * and, for an invalid field, {@code errors: [{field, message}]}.
 */
public final class Problems {

    private Problems() {
    }

    public static ProblemDetail of(HttpStatus status, String title, String detail, String field) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setTitle(title);
        if (field != null) {
            problem.setProperty("errors", List.of(Map.of("field", field, "message", detail)));
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
}
