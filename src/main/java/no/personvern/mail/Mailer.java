package no.personvern.mail;

/** Sends mail. The recipient's address is personal data: it never reaches a log line. */
public interface Mailer {

    void send(Mail mail);
}
