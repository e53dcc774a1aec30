package no.personvern.consent;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;

/** The receipt of a consent record in the structure of ISO/IEC TS 27560:2023 (after the Kantara Consent Receipt). */
@JsonPropertyOrder({"header", "processing", "parties", "events"})
public record ConsentReceipt(Header header, Processing processing, List<Party> parties, List<Event> events) {

    @JsonPropertyOrder({"schemaVersion", "recordId", "piiPrincipalId"})
    public record Header(String schemaVersion, String recordId, String piiPrincipalId) {
    }

    /** The processing consented to, from the catalog. */
    @JsonPropertyOrder({"noticeVersion", "noticeUrl", "languages", "purposes", "piiCategories", "controllers",
            "storageLocations", "retention", "jurisdiction", "recipients", "collectionMethod", "withdrawalMethod"})
    public record Processing(String noticeVersion, String noticeUrl, List<String> languages, List<Purpose> purposes,
            List<String> piiCategories, List<Controller> controllers, List<String> storageLocations,
            List<String> retention, String jurisdiction, List<Recipient> recipients, String collectionMethod,
            String withdrawalMethod) {
    }

    /** The purpose of the activity consented to, with the activity's key and name. */
    @JsonPropertyOrder({"purpose", "name", "lawfulBasis", "activities", "activityNames"})
    public record Purpose(String purpose, String name, String lawfulBasis, List<String> activities,
            List<String> activityNames) {
    }

    @JsonPropertyOrder({"name", "contact"})
    public record Controller(String name, String contact) {
    }

    @JsonPropertyOrder({"name", "role", "countries"})
    public record Recipient(String name, String role, List<String> countries) {
    }

    /** The controller (with name, address and contact) or the person (an id and a type only). */
    @JsonPropertyOrder({"id", "name", "address", "contact", "type"})
    public record Party(String id, String name, String address, String contact, String type) {
    }

    @JsonPropertyOrder({"time", "entity", "type", "state", "source", "proof"})
    public record Event(String time, String entity, String type, String state, String source, Proof proof) {
    }

    @JsonPropertyOrder({"algorithm", "hash", "previousHash"})
    public record Proof(String algorithm, String hash, String previousHash) {
    }
}
