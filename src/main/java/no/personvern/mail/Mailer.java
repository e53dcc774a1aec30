package no.personvern.mail;

/**
 * Sends mail through the outbox. The recipient's address is personal data: it never reaches a log
 * line, an event or the database in plain text.
 */
public interface Mailer {

    /**
     * Queues the message in the caller's transaction, which is required: it is sent after the
     * commit, retried while the mail server is unreachable, and never sent if the change rolls back.
     * Delivery is at least once: a crash after the server accepted it and before that is recorded
     * sends it again, with the same {@code Message-ID}.
     */
    void send(Mail mail);
}
