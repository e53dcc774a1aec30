package no.personvern.requests;

import java.util.List;
import java.util.UUID;

/**
 * Art. 15(4), personopplysningsloven § 16: an access package that holds a disclosure to an
 * authority, or free text others wrote about the person, waits for the DPO's review; the deadline
 * keeps running (no extension is implied).
 */
public interface PackageReviews {

    /**
     * Releases the package waiting for review: it is built, leaving out each {@code withheld} item
     * ({@code disclosure:<id>} or {@code category:<key>}, as the request's {@code review.items} name
     * them), and the person gets the link, told what was withheld and why. 409 unless a review waits.
     */
    DataRequest release(UUID requestId, String reason, List<Withheld> withheld);

    /** An item left out of the package, and why (told to the person). */
    record Withheld(String item, String reason) {
    }
}
