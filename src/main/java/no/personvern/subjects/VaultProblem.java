package no.personvern.subjects;

import no.personvern.Problems;
import org.springframework.http.HttpStatus;
import org.springframework.web.ErrorResponseException;

/** A vault operation refused: an RFC 9457 problem the caller can act on. Nothing was stored. */
public class VaultProblem extends ErrorResponseException {

    private final HttpStatus status;
    private final String title;
    private final String detail;
    private final String field;

    private VaultProblem(HttpStatus status, String title, String detail, String field) {
        super(status, Problems.of(status, title, detail, field), null);
        this.status = status;
        this.title = title;
        this.detail = detail;
        this.field = field;
    }

    public static VaultProblem invalid(String field, String message) {
        return new VaultProblem(HttpStatus.UNPROCESSABLE_CONTENT, "Invalid request", message, field);
    }

    public static VaultProblem notFound(Object id) {
        return new VaultProblem(HttpStatus.NOT_FOUND, "Not found", "No subject or document " + id + ".", null);
    }

    public static VaultProblem erased(Object id) {
        return new VaultProblem(HttpStatus.GONE, "Erased",
                "Subject " + id + " has been erased; anything kept is restricted under a retention exception or hold.",
                null);
    }

    /** Art. 18: restricted data is stored, not used. */
    public static VaultProblem restricted(Object id) {
        return new VaultProblem(HttpStatus.CONFLICT, "Restricted",
                "Document " + id + " is restricted (GDPR Art. 18): it is stored, and used for nothing else.", null);
    }

    /** Art. 18: a restricted value cannot be overwritten while the restriction lasts. */
    public static VaultProblem restrictedValue(String category) {
        return new VaultProblem(HttpStatus.CONFLICT, "Restricted", "The person's '" + category + "' is restricted"
                + " (GDPR Art. 18): it is stored only, and cannot be changed while the restriction lasts.", "data");
    }

    public static VaultProblem conflict(String detail) {
        return new VaultProblem(HttpStatus.CONFLICT, "Identities match different people", detail, "identities");
    }

    public static VaultProblem tooLarge(long limit) {
        return new VaultProblem(HttpStatus.CONTENT_TOO_LARGE, "Upload too large",
                "The file is larger than the limit of " + limit + " bytes.", "file");
    }

    public static VaultProblem badRequest(String field, String message) {
        return new VaultProblem(HttpStatus.BAD_REQUEST, "Bad request", message, field);
    }
}
