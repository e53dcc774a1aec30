package no.personvern.mail.internal;

import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;
import no.personvern.mail.Mail;
import no.personvern.mail.Mailer;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/** Queues mail in the caller's transaction; {@link MailDelivery} sends it after the commit. */
@Service
class MailOutbox implements Mailer {

    private final JdbcClient jdbc;
    private final MailSeal seal;
    private final MailDelivery delivery;
    private final Clock clock;

    MailOutbox(JdbcClient jdbc, MailSeal seal, MailDelivery delivery, Clock clock) {
        this.jdbc = jdbc;
        this.seal = seal;
        this.delivery = delivery;
        this.clock = clock;
    }

    @Override
    @Transactional(propagation = Propagation.MANDATORY)
    public void send(Mail mail) {
        try {
            new InternetAddress(mail.to(), true).validate();
        } catch (AddressException | NullPointerException e) {
            throw new IllegalArgumentException("not a deliverable address");
        }
        UUID id = UUID.randomUUID();
        OffsetDateTime now = OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC);
        jdbc.sql("""
                INSERT INTO mail_outbox (id, subject_id, reference, sealed, status, created_at, next_attempt_at)
                VALUES (:id, :subject, :reference, :sealed, 'pending', :now, :now)""")
                .param("id", id).param("subject", mail.subjectId()).param("reference", mail.reference())
                .param("sealed", seal.seal(id, mail)).param("now", now).update();
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCommit() {
                delivery.wake();
            }
        });
    }
}
