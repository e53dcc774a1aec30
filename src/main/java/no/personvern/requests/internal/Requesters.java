package no.personvern.requests.internal;

import java.util.UUID;
import no.personvern.Problems;
import no.personvern.catalog.Catalog;
import no.personvern.requests.DataRequest;
import no.personvern.requests.RequestType;
import no.personvern.subjects.EmailIdentity;
import no.personvern.subjects.Vault;
import org.springframework.stereotype.Component;

/**
 * Who makes a request, and what they are told as it is taken in. The requester's address lives
 * only in the vault, under the catalog activity for handling requests.
 */
@Component
class Requesters {

    private final Vault vault;
    private final Letters letters;
    private final RequestMails mails;
    private final String system;
    private final String activity;
    private final String messageCategory;

    Requesters(Vault vault, Catalog catalog, Letters letters, RequestMails mails) {
        this.vault = vault;
        this.letters = letters;
        this.mails = mails;
        // The catalog's activity for handling requests (declared, or Personvern's built-in one).
        this.system = catalog.requestHandling().system();
        this.activity = catalog.requestHandling().activity();
        this.messageCategory = catalog.requestMessageCategory();
    }

    /** The longest message a request may carry (well within the public body limit, even escaped). */
    static final int MESSAGE_LIMIT = 4000;

    /** Refuses a message beyond {@link #MESSAGE_LIMIT}, naming the field with the others. */
    static void checkMessage(String message, no.personvern.Problems.Violations invalid) {
        invalid.require(message == null || message.length() <= MESSAGE_LIMIT, "message",
                "at most " + MESSAGE_LIMIT + " characters");
    }

    /**
     * Keeps what the person wrote with a request in the vault, under the catalog's activity for
     * handling requests: encrypted under their key, never in the request's table. Null when they
     * wrote nothing.
     */
    UUID keepMessage(UUID subjectId, String message) {
        if (message == null || message.isBlank()) {
            return null;
        }
        return vault.writeNote(subjectId, system, activity, messageCategory, message.strip());
    }

    /** The message of a request, read from the vault for {@code purpose} (audited); null when none or erased. */
    String message(RequestRecord request, String purpose) {
        return request.messageNote() == null ? null
                : vault.readNote(request.subjectId(), request.messageNote(), purpose).orElse(null);
    }

    boolean acceptsEmail(String email) {
        return vault.acceptsEmail(email);
    }

    /**
     * The address a request is made with, as an identity of the person it belongs to (a new person
     * holding only it, under the catalog activity for handling requests, when it is unknown).
     */
    EmailIdentity resolve(String email) {
        if (email == null || email.isBlank()) {
            throw Problems.invalid("email", "an e-mail address is required");
        }
        return vault.resolveEmail(system, activity, email);
    }

    void mailCode(UUID subjectId, UUID requesterIdentity, RequestType type, boolean norwegian, String code) {
        mails.toRequester(subjectId, requesterIdentity, letters.code(type, norwegian, code));
    }

    /** The acknowledgement of an opened request, with its due date. */
    void received(DataRequest request, RequestRecord row) {
        received(request, row, null);
    }

    /** As above, with the private link the person follows the request by ({@code statusLink}, null: none). */
    void received(DataRequest request, RequestRecord row, String statusLink) {
        mails.toRequester(row, letters.received(row.type(), row.norwegian(), request.dueAt(), statusLink));
    }

    /** Art. 12(4) and (5): the refusal of a manifestly excessive request, with its reason and the right to complain. */
    void refused(RequestRecord row) {
        mails.toRequester(row, letters.rejected(row.type(), row.norwegian(), row.outcome()));
    }

    /** The type of a request; null (none given, or none the web edge knows) is refused. */
    static RequestType type(RequestType type) {
        if (type == null) {
            throw Problems.invalid("type", "type is one of access, portability, erasure, rectification, restriction,"
                    + " objection");
        }
        return type;
    }
}
