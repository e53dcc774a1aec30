package no.personvern.subjects;

import java.time.Instant;
import java.util.Set;

/**
 * A reason to keep some categories through an erasure (Art. 17(3)(b)): a retention exception
 * such as bokføringsloven § 13, or a legal hold. Held values are kept restricted until {@code until}.
 */
public record Hold(String reason, Instant until, Set<String> categories) {
}
