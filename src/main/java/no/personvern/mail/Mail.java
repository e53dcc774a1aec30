package no.personvern.mail;

import java.util.Map;
import java.util.UUID;

/**
 * A plain-text message to one recipient, with extra headers (e.g. List-Unsubscribe, RFC 8058).
 * {@code subjectId} is the recipient person, when there is one (their copies go when they are
 * erased); {@code reference} says in ids and keys only what the mail is about (e.g.
 * {@code request:<id>:outcome}), and comes back in {@link MailUndeliverable} if it is given up.
 */
public record Mail(String to, String subject, String text, Map<String, String> headers, UUID subjectId,
        String reference) {

    public Mail {
        headers = headers == null ? Map.of() : Map.copyOf(headers);
        if (reference != null && reference.length() > 200) {
            throw new IllegalArgumentException("a reference is at most 200 characters");
        }
    }

    public Mail(String to, String subject, String text, Map<String, String> headers) {
        this(to, subject, text, headers, null, null);
    }
}
