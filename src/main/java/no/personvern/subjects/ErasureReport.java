package no.personvern.subjects;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** What an erasure removed and what it kept, and why: categories and reasons only. */
public record ErasureReport(UUID subjectId, List<String> erasedCategories, int documentsErased, List<Kept> kept) {

    /** A category kept restricted under a hold. */
    public record Kept(String category, String reason, Instant until) {
    }
}
