package no.personvern.disclosures;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import no.personvern.audit.AuditEvent;

/** A disclosure was recorded; the audit entry names recipient, basis and categories, never the data. */
public record DisclosureRecorded(UUID disclosureId, UUID subjectId, String recipient, DisclosureBasis basis,
        List<String> dataCategories) implements AuditEvent {

    public String action() {
        return "disclosure.recorded";
    }

    public Map<String, Object> details() {
        return Map.of("disclosure", disclosureId.toString(), "recipient", recipient, "basis", basis.key(),
                "categories", dataCategories);
    }

    /** Staff read the disclosure log of a person. */
    public record LogRead(UUID subjectId) implements AuditEvent {
        public String action() {
            return "disclosure.log-read";
        }

        public Map<String, Object> details() {
            return Map.of();
        }
    }
}
