package no.personvern.subjects;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Everything the vault holds about a person, decrypted, with where each value came from. */
public record SubjectView(UUID id, IdentityView identities, List<StoredValue> data, List<DocumentInfo> documents) {

    /**
     * The verified identities — the latest verified e-mail and phone, the verified external ids,
     * and any further verified e-mails or phones — and, apart, the unverified ones. Only verified
     * identities are trusted: to find a person from a public request, or to tell connected
     * systems whom to act on.
     */
    public record IdentityView(String email, String phone, Map<String, String> externalIds,
            @JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> otherEmails,
            @JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> otherPhones,
            @JsonInclude(JsonInclude.Include.NON_EMPTY) List<Unverified> unverified) {

        public IdentityView {
            unverified = unverified == null ? List.of() : List.copyOf(unverified);
        }
    }

    /**
     * An identity a write added to this person through another identity, not (yet) vouched for
     * by a system that confirmed it.
     *
     * @param kind {@code email}, {@code phone} or {@code externalId}
     * @param system the system of an external id
     */
    public record Unverified(String kind, @JsonInclude(JsonInclude.Include.NON_NULL) String system, String value) {
    }

    /**
     * One value with its source: the system and activity it was collected by, and when.
     *
     * @param restriction why the value is restricted (stored, not used), when it is; shown only to
     *     the person themselves, in their access package (Art. 15)
     */
    public record StoredValue(String category, String value, String system, String activity, List<String> purposes,
            Instant collectedAt, @JsonInclude(JsonInclude.Include.NON_NULL) String restriction) {
    }
}
