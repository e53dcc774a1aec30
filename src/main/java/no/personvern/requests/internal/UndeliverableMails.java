package no.personvern.requests.internal;

import java.util.Optional;
import java.util.UUID;
import no.personvern.mail.MailUndeliverable;
import org.springframework.stereotype.Component;

/**
 * A mail this module relied on was given up after its retries: the DPO is told on the request,
 * and an Art. 19 notice is left to them. Durable and idempotent (the text is added once).
 */
@Component
class UndeliverableMails {

    private final RequestRepository requests;
    private final RecipientNotices notices;

    UndeliverableMails(RequestRepository requests, RecipientNotices notices) {
        this.requests = requests;
        this.notices = notices;
    }

    void handle(MailUndeliverable undeliverable) {
        String reference = undeliverable.reference();
        if (reference == null || !reference.matches("request:[0-9a-f-]{36}:.+")) {
            return;
        }
        UUID requestId = UUID.fromString(reference.substring(8, 44));
        String what = reference.substring(45);
        Optional<RequestRecord> found = requests.find(requestId);
        if (found.isEmpty()) {
            return;
        }
        if (what.equals(RequestMails.OUTCOME)) {
            requests.addAttention(requestId, "The mail telling the person the outcome could not be sent: tell them.");
        } else if (what.startsWith(RequestMails.ART_19)) {
            notices.undeliverable(found.get(), what.substring(RequestMails.ART_19.length()));
        } else if (what.equals(RequestMails.ROUTING)) {
            requests.addAttention(requestId, "The mail passing the request on to the customer(s) could not be"
                    + " delivered: pass it on yourselves, Art. 28(3)(e).");
        }
    }
}
