package no.personvern.mail;

import java.util.Map;

/** A plain-text message to one recipient, with extra headers (e.g. List-Unsubscribe, RFC 8058). */
public record Mail(String to, String subject, String text, Map<String, String> headers) {

    public Mail {
        headers = headers == null ? Map.of() : Map.copyOf(headers);
    }
}
