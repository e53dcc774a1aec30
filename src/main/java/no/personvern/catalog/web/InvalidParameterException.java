package no.personvern.catalog.web;

import no.personvern.Problems;
import org.springframework.http.HttpStatus;
import org.springframework.web.ErrorResponseException;

/** A request parameter with a value the endpoint does not accept: a 400 problem naming it. */
class InvalidParameterException extends ErrorResponseException {

    InvalidParameterException(String parameter, String message) {
        super(HttpStatus.BAD_REQUEST, Problems.of(HttpStatus.BAD_REQUEST, "Invalid parameter",
                "Parameter '" + parameter + "': " + message, parameter), null);
    }
}
