package no.personvern.catalog;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * Processing that Personvern itself carries out for the controller, which the record of
 * processing and the notice must show like any other (Art. 13, 30). A catalog declares its own
 * activity for each with {@code personvern: <key>}; where it declares none, Personvern adds a
 * built-in one on system {@code personvern}.
 */
public enum OwnProcessing {
    /** Handling data-subject requests: Art. 6(1)(c) with Art. 12–22. */
    DATA_SUBJECT_REQUESTS,
    /** Keeping the proof of each consent: Art. 7(1). */
    CONSENT_PROOF,
    /** The audit trail of every access and change: Art. 5(2). */
    AUDIT_TRAIL;

    /** The catalog spelling, e.g. {@code data-subject-requests}. */
    public String key() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public static Optional<OwnProcessing> fromKey(String key) {
        return Arrays.stream(values()).filter(value -> value.key().equals(key)).findFirst();
    }
}
