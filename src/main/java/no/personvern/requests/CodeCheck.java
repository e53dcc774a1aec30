package no.personvern.requests;

import java.util.UUID;

/**
 * The answer to a code from the privacy centre's page: {@code CONFIRMED} with the request's private
 * status link ({@code statusKey}, shown once, mailed too); {@code WRONG} with the tries left;
 * {@code LOCKED} after the fifth wrong code; {@code EXPIRED} once the code's 30 minutes have passed;
 * {@code NOT_WAITING} when the request no longer waits for a code.
 */
public record CodeCheck(Result result, int triesLeft, UUID requestId, String statusKey) {

    public enum Result {
        CONFIRMED, WRONG, LOCKED, EXPIRED, NOT_WAITING
    }
}
