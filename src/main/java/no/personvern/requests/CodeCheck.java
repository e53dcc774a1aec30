package no.personvern.requests;

import java.util.UUID;

/**
 * The answer to a code from the privacy centre's page: {@code CONFIRMED} with the request's private
 * status link ({@code statusKey}, shown once, mailed too); {@code WRONG} with the tries left;
 * {@code LOCKED} after the fifth wrong code; {@code EXPIRED} once the code's 30 minutes have passed;
 * {@code NOT_WAITING} when the request was confirmed already; {@code REQUEST_EXPIRED} when it was
 * never confirmed and expired after 7 days (locked ones too); {@code REFUSED} when it was refused as
 * manifestly excessive (Art. 12(5)), then or now. The {@code statusKey} opens only where the request
 * stands: our answer and the package are behind the key mailed in the receipt.
 */
public record CodeCheck(Result result, int triesLeft, UUID requestId, String statusKey) {

    public enum Result {
        CONFIRMED, WRONG, LOCKED, EXPIRED, NOT_WAITING, REQUEST_EXPIRED, REFUSED
    }
}
