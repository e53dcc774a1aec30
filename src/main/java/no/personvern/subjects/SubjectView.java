package no.personvern.subjects;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Everything the vault holds about a person, decrypted, with where each value came from. */
public record SubjectView(UUID id, IdentityView identities, List<StoredValue> data, List<DocumentInfo> documents) {

    /** The latest e-mail and phone, the external ids, and any further e-mails or phones. */
    public record IdentityView(String email, String phone, Map<String, String> externalIds,
            @JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> otherEmails,
            @JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> otherPhones) {
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
