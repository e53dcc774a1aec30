package no.personvern.mail;

import java.util.UUID;

/**
 * A message was given up after its last retry: whoever relied on it reaching the recipient must act.
 * Ids and the mail's {@code reference} only (it is stored in the event publication registry).
 */
public record MailUndeliverable(UUID mailId, UUID subjectId, String reference) {
}
