package no.personvern.disclosures;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The disclosure log as a whole, newest first and keyset-paged, and the disclosures that were
 * refused with why (fixed reason keys, never what was typed): for the DPO's console.
 */
public interface DisclosureLog {

    /** At most {@code limit} disclosures older than {@code after} (null: the newest), newest first. */
    List<Disclosure> page(Cursor after, int limit);

    /** At most {@code limit} refused disclosures older than {@code after} (null: the newest), newest first. */
    List<Refused> refused(Cursor after, int limit);

    /**
     * A refused attempt to record a disclosure.
     *
     * @param recipient the processor's or authority's catalog key, or null for any other recipient
     * @param basis the basis asked for if it is one, else null
     * @param reasons why: {@code sale}, {@code basis}, {@code not-processor}, {@code dpa-missing}, {@code
     *     dpa-expired}, {@code categories-uncovered}, {@code reference-mismatch}, {@code reference-missing},
     *     {@code processor-not-dpa}, {@code not-authority}, {@code unknown-subject}, {@code restricted},
     *     {@code invalid} (a field missing or malformed)
     * @param actor who asked ({@code staff:<id>}, a token's name)
     */
    record Refused(UUID id, Instant at, String actor, String recipient, String basis, List<String> reasons) {
    }

    /** A position in a log: the time and id of the last entry shown; as text {@code <epoch millis>_<uuid>}. */
    record Cursor(Instant at, UUID id) {

        private static final Pattern FORM = Pattern.compile("-?[0-9]{1,16}_[0-9a-fA-F-]{36}");

        public static Optional<Cursor> parse(String text) {
            if (text == null || !FORM.matcher(text).matches()) {
                return Optional.empty();
            }
            try {
                String[] parts = text.split("_");
                return Optional.of(new Cursor(Instant.ofEpochMilli(Long.parseLong(parts[0])), UUID.fromString(parts[1])));
            } catch (RuntimeException malformed) {
                return Optional.empty();
            }
        }

        @Override
        public String toString() {
            return at.toEpochMilli() + "_" + id;
        }
    }
}
