package no.personvern.requests.internal;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import no.personvern.mail.Mail;
import no.personvern.mail.MailUndeliverable;
import no.personvern.mail.Mailer;
import no.personvern.subjects.Vault;
import org.springframework.stereotype.Component;

/**
 * Every mail of this module goes through here: queued in the outbox in the current transaction
 * (the change that causes it), sent after the commit and retried; one given up comes back as
 * {@link MailUndeliverable}, found again by its reference ({@code request:<id>:<what>}).
 */
@Component
class RequestMails {

    static final String OUTCOME = "outcome";
    static final String ART_19 = "art19:";
    static final String ROUTING = "routing";

    private final Mailer mailer;
    private final Vault vault;

    RequestMails(Mailer mailer, Vault vault) {
        this.mailer = mailer;
        this.vault = vault;
    }

    /** A letter to the person, at the address the request was made with (nothing when it is no longer held). */
    void toRequester(RequestRecord request, Letters.Letter letter) {
        toRequester(request.subjectId(), request.requesterIdentity(), letter);
    }

    void toRequester(UUID subjectId, UUID requesterIdentity, Letters.Letter letter) {
        String email = answerAddress(subjectId, requesterIdentity);
        if (email != null) {
            mailer.send(new Mail(email, letter.subject(), letter.text(), Map.of(), subjectId, null));
        }
    }

    /** A letter whose loss the DPO must hear of ({@code what}: {@link #OUTCOME}, {@link #ART_19}…, {@link #ROUTING}). */
    void send(String to, Letters.Letter letter, UUID subjectId, UUID requestId, String what) {
        mailer.send(new Mail(to, letter.subject(), letter.text(), Map.of(), subjectId, reference(requestId, what)));
    }

    /**
     * Where the answers to a request go: the address it was made with and nowhere else; for a
     * request filed by staff for a person (by id), the person's verified address. Null once the
     * address is no longer held.
     */
    String answerAddress(RequestRecord request) {
        return answerAddress(request.subjectId(), request.requesterIdentity());
    }

    private String answerAddress(UUID subjectId, UUID requesterIdentity) {
        return requesterIdentity != null
                ? vault.email(subjectId, requesterIdentity, "privacy-request").orElse(null)
                : vault.emails(List.of(subjectId), "privacy-request").get(subjectId);
    }

    /** The person's own address (how recipients of their data know them), whichever address the request came from. */
    String personAddress(UUID subjectId) {
        return vault.emails(List.of(subjectId), "privacy-request").get(subjectId);
    }

    private static String reference(UUID requestId, String what) {
        return "request:" + requestId + ":" + what;
    }
}
