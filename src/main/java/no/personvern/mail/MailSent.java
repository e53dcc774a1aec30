package no.personvern.mail;

import java.util.UUID;

/**
 * A message with a {@code reference} was handed to the mail server: whoever waited for the
 * recipient to be told can go on (e.g. Art. 18(3): a restriction is lifted only after the person
 * was told). Ids and the mail's reference only.
 */
public record MailSent(UUID mailId, UUID subjectId, String reference) {
}
