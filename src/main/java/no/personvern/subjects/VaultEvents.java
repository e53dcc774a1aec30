package no.personvern.subjects;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import no.personvern.audit.AuditEvent;

/** What happens in the vault. Events carry ids, systems and category names, never values. */
public final class VaultEvents {

    private VaultEvents() {
    }

    /** A person was created, or data merged into an existing one. */
    public record SubjectWritten(UUID subjectId, boolean created, String system, String activity,
            List<String> categories) implements AuditEvent {
        public String action() {
            return created ? "subject.created" : "subject.updated";
        }

        public Map<String, Object> details() {
            return Map.of("system", system, "activity", activity, "categories", categories);
        }
    }

    public record SubjectRead(UUID subjectId) implements AuditEvent {
        public String action() {
            return "subject.read";
        }

        public Map<String, Object> details() {
            return Map.of();
        }
    }

    /** A person's e-mail address read for a purpose, e.g. to send the newsletter they subscribe to. */
    public record EmailRead(UUID subjectId, String purpose) implements AuditEvent {
        public String action() {
            return "subject.email-read";
        }

        public Map<String, Object> details() {
            return Map.of("purpose", purpose);
        }
    }

    /** A look-up by identity; {@code subjectId} is the match, or null when nothing matched. */
    public record SubjectLookedUp(UUID subjectId, String identityKind) implements AuditEvent {
        public String action() {
            return "subject.lookup";
        }

        public Map<String, Object> details() {
            return Map.of("identity", identityKind, "matched", subjectId != null);
        }
    }

    /** Art. 16: values corrected. */
    public record SubjectRectified(UUID subjectId, List<String> categories) implements AuditEvent {
        public String action() {
            return "subject.rectified";
        }

        public Map<String, Object> details() {
            return Map.of("categories", categories);
        }
    }

    /** Free text the person wrote (e.g. a request's message) read for a purpose; the text is not in the event. */
    public record NoteRead(UUID subjectId, UUID noteId, String purpose) implements AuditEvent {
        public String action() {
            return "subject.note-read";
        }

        public Map<String, Object> details() {
            return Map.of("note", noteId.toString(), "purpose", purpose);
        }
    }

    public record DocumentStored(UUID subjectId, UUID documentId, String kind, String system) implements AuditEvent {
        public String action() {
            return "document.stored";
        }

        public Map<String, Object> details() {
            return Map.of("document", documentId.toString(), "kind", kind, "system", system);
        }
    }

    public record DocumentRead(UUID subjectId, UUID documentId) implements AuditEvent {
        public String action() {
            return "document.read";
        }

        public Map<String, Object> details() {
            return Map.of("document", documentId.toString());
        }
    }

    /** Art. 17: the person's key was destroyed; {@code kept} lists category and reason of held values. */
    public record SubjectErased(UUID subjectId, List<String> erasedCategories, int documents, List<String> kept)
            implements AuditEvent {
        public String action() {
            return "subject.erased";
        }

        public Map<String, Object> details() {
            return Map.of("erasedCategories", erasedCategories, "documents", documents, "kept", kept);
        }
    }

    /** Art. 18: the person's values are restricted (kept, not used). */
    public record SubjectRestricted(UUID subjectId, String reason, int values) implements AuditEvent {
        public String action() {
            return "subject.restricted";
        }

        public Map<String, Object> details() {
            return Map.of("reason", reason, "values", values);
        }
    }

    /**
     * Values kept for one purpose were read for it (a tax audit, a legal claim); {@code reason} is
     * what the reader gave, {@code values} how many were read.
     */
    public record RestrictedRead(UUID subjectId, String reason, int values) implements AuditEvent {
        public String action() {
            return "subject.restricted-read";
        }

        public Map<String, Object> details() {
            return Map.of("reason", reason, "values", values);
        }
    }

    /** Art. 18(3): the restriction ended, after the person was told; {@code values} are usable again. */
    public record RestrictionLifted(UUID subjectId, String restriction, int values) implements AuditEvent {
        public String action() {
            return "subject.restriction-lifted";
        }

        /** Ids only: the DPO's reason describes the person and stays in {@code restriction_lift}. */
        public Map<String, Object> details() {
            return Map.of("restriction", restriction, "values", values);
        }
    }

    /** Every data key was re-wrapped under the current master key. */
    public record MasterKeyRotated(int rewrapped, String masterKeyId) implements AuditEvent {
        public UUID subjectId() {
            return null;
        }

        public String action() {
            return "keys.rotated";
        }

        public Map<String, Object> details() {
            return Map.of("rewrapped", rewrapped, "masterKey", masterKeyId);
        }
    }
}
