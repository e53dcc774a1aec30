package no.personvern.subjects;

import no.personvern.Refusal;

/** A vault operation refused for a reason the caller can act on. Nothing was stored. */
public class VaultRefusal extends Refusal {

    private VaultRefusal(Kind kind, String title, String detail, String field) {
        super(kind, title, detail, field);
    }

    public static VaultRefusal invalid(String field, String message) {
        return new VaultRefusal(Kind.INVALID, "Invalid request", message, field);
    }

    public static VaultRefusal notFound(Object id) {
        return new VaultRefusal(Kind.NOT_FOUND, "Not found", "No subject or document " + id + ".", null);
    }

    public static VaultRefusal erased(Object id) {
        return new VaultRefusal(Kind.GONE, "Erased",
                "Subject " + id + " has been erased; anything kept is restricted under a retention exception or hold.",
                null);
    }

    /** Art. 18: restricted data is stored, not used. */
    public static VaultRefusal restricted(Object id) {
        return new VaultRefusal(Kind.CONFLICT, "Restricted",
                "Document " + id + " is restricted (GDPR Art. 18): it is stored, and used for nothing else.", null);
    }

    /** Art. 18: a restricted value cannot be overwritten while the restriction lasts. */
    public static VaultRefusal restrictedValue(String category) {
        return new VaultRefusal(Kind.CONFLICT, "Restricted", "The person's '" + category + "' is restricted"
                + " (GDPR Art. 18): it is stored only, and cannot be changed while the restriction lasts.", "data");
    }

    /** Art. 18: nothing new is collected about a restricted person while the restriction lasts. */
    public static VaultRefusal restrictedSubject() {
        return new VaultRefusal(Kind.CONFLICT, "Restricted", "The person's data is restricted (GDPR Art. 18): it is"
                + " stored only, and nothing is added or changed while the restriction lasts.", "identities");
    }

    /** Art. 21(1): the person's objection to the activity was upheld; nothing more is collected under it. */
    public static VaultRefusal objected(String activity) {
        return new VaultRefusal(Kind.CONFLICT, "Objected", "The person objected to activity '" + activity
                + "' and the objection was upheld (GDPR Art. 21(1)): nothing more is collected under it for them.",
                "activity");
    }

    public static VaultRefusal conflict(String detail) {
        return new VaultRefusal(Kind.CONFLICT, "Identities match different people", detail, "identities");
    }

    public static VaultRefusal tooLarge(long limit) {
        return new VaultRefusal(Kind.TOO_LARGE, "Upload too large",
                "The file is larger than the limit of " + limit + " bytes.", "file");
    }

    public static VaultRefusal badRequest(String field, String message) {
        return new VaultRefusal(Kind.BAD_REQUEST, "Bad request", message, field);
    }
}
