package no.personvern.catalog.web;

import no.personvern.Refusal;

/** A request parameter with a value the endpoint does not accept: a 400 problem naming it. */
class InvalidParameterException extends Refusal {

    InvalidParameterException(String parameter, String message) {
        super(Kind.BAD_REQUEST, "Invalid parameter", "Parameter '" + parameter + "': " + message, parameter);
    }
}
