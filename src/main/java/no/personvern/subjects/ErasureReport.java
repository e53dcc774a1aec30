package no.personvern.subjects;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** What an erasure removed and what it kept, and why: categories and reasons only. */
public record ErasureReport(UUID subjectId, List<String> erasedCategories, int documentsErased, List<Kept> kept) {

    /** A category kept restricted under a hold; {@code reason} is the hold's {@link Hold.Reason#stored() text}. */
    public record Kept(String category, String reason, Instant until) {

        /** Why the category is kept, as a type. */
        public Hold.Reason heldBy() {
            return Hold.Reason.parse(reason);
        }
    }
}
