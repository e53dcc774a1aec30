package no.personvern.catalog.web;

import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/** A request parameter with a value the endpoint does not accept: a 400 problem naming it. */
class InvalidParameterException extends ErrorResponseException {

    InvalidParameterException(String parameter, String message) {
        super(HttpStatus.BAD_REQUEST, problem(parameter, message), null);
    }

    private static ProblemDetail problem(String parameter, String message) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST,
                "Parameter '" + parameter + "': " + message);
        problem.setTitle("Invalid parameter");
        problem.setProperty("errors", List.of(Map.of("field", parameter, "message", message)));
        return problem;
    }
}
