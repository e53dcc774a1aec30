package no.personvern.disclosures;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;
import java.util.Optional;

/**
 * Why personal data may be handed over: to a processor under its data processing agreement
 * (Art. 28(3), S12), or to an authority that a court order, a law or a regulation entitles to it
 * (Art. 6(1)(c), S13). A sale is not among them, and never will be (S12).
 */
public enum DisclosureBasis {
    DPA, COURT_ORDER, LAW, REGULATION;

    /** The name callers send and see in JSON. */
    @JsonValue
    public String key() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** Whether the recipient is a public authority, which must be named with a reference. */
    public boolean toAuthority() {
        return this != DPA;
    }

    public static Optional<DisclosureBasis> fromKey(String key) {
        for (DisclosureBasis basis : values()) {
            if (basis.key().equals(key)) {
                return Optional.of(basis);
            }
        }
        return Optional.empty();
    }
}
