package no.personvern.requests.internal;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import no.personvern.Problems;
import no.personvern.Refusal.Kind;
import no.personvern.audit.AuditEvent;
import no.personvern.mail.Mail;
import no.personvern.mail.MailSent;
import no.personvern.mail.Mailer;
import no.personvern.requests.RestrictionLifts;
import no.personvern.subjects.Hold;
import no.personvern.subjects.Vault;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.modulith.events.ApplicationModuleListener;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Art. 18(3): lifting a restriction. The DPO's decision and the mail to the person commit together
 * (table {@code restriction_lift}); the restriction ends when the outbox reports the mail sent
 * ({@link MailSent}, a durable event: a crash in between lifts it on the next start, never before).
 */
@Service
class RestrictionLifting implements RestrictionLifts {

    static final String REFERENCE = "restriction-lift:";

    /** The DPO decided to lift a restriction; the reason is theirs. */
    record LiftDecided(UUID subjectId, UUID liftId, String reason) implements AuditEvent {
        public String action() {
            return "subject.restriction-lift-decided";
        }

        public Map<String, Object> details() {
            return Map.of("lift", liftId.toString(), "reason", reason);
        }
    }

    private final Vault vault;
    private final RequestRepository requests;
    private final Letters letters;
    private final Mailer mailer;
    private final JdbcClient jdbc;
    private final ApplicationEventPublisher events;
    private final TransactionTemplate transactions;
    private final Clock clock;

    RestrictionLifting(Vault vault, RequestRepository requests, Letters letters, Mailer mailer, JdbcClient jdbc,
            ApplicationEventPublisher events, TransactionTemplate transactions, Clock clock) {
        this.vault = vault;
        this.requests = requests;
        this.letters = letters;
        this.mailer = mailer;
        this.jdbc = jdbc;
        this.events = events;
        this.transactions = transactions;
        this.clock = clock;
    }

    @Override
    public Lift lift(UUID subjectId, String reason) {
        if (reason == null || reason.isBlank() || reason.length() > 2000) {
            throw Problems.invalid("reason", "why the restriction is lifted is required (at most 2000 characters):"
                    + " the person is told it");
        }
        Hold.Reason.Restriction restriction = vault.restriction(subjectId).orElseThrow(() -> Problems.refusal(
                Kind.CONFLICT, "Not restricted", "Nothing of subject " + subjectId + " is restricted (Art. 18).", null));
        Optional<UUID> pending = pending(subjectId);
        if (pending.isPresent()) {
            return new Lift(pending.get(), subjectId, "telling-the-person");
        }
        String email = vault.emails(List.of(subjectId), Vault.RIGHTS_PURPOSE).get(subjectId);
        if (email == null) {
            throw Problems.refusal(Kind.CONFLICT, "Cannot tell the person", "The person must be told before the"
                    + " restriction is lifted (Art. 18(3)), and no verified e-mail address is held for them.", null);
        }
        boolean nb = requests.find(restriction.requestId()).map(RequestRecord::norwegian).orElse(true);
        UUID id = UUID.randomUUID();
        String why = reason.strip();
        transactions.executeWithoutResult(status -> {
            jdbc.sql("INSERT INTO restriction_lift (id, subject_id, reason, requested_at) VALUES (:id, :subject,"
                    + " :reason, :at)").param("id", id).param("subject", subjectId).param("reason", why)
                    .param("at", StoredTime.now(clock).atOffset(java.time.ZoneOffset.UTC)).update();
            Letters.Letter letter = letters.restrictionLift(nb, why);
            mailer.send(new Mail(email, letter.subject(), letter.text(), Map.of(), subjectId, REFERENCE + id));
            events.publishEvent(new LiftDecided(subjectId, id, why));
        });
        return new Lift(id, subjectId, "telling-the-person");
    }

    /** The person has been told (the mail reached the mail server): the restriction ends now. */
    @ApplicationModuleListener
    void on(MailSent sent) {
        if (sent.reference() == null || !sent.reference().startsWith(REFERENCE)) {
            return;
        }
        UUID id = UUID.fromString(sent.reference().substring(REFERENCE.length()));
        transactions.executeWithoutResult(status -> {
            Map<String, Object> row = jdbc.sql("SELECT subject_id, reason FROM restriction_lift WHERE id = :id"
                    + " AND lifted_at IS NULL FOR UPDATE").param("id", id).query().listOfRows().stream().findFirst()
                    .orElse(null);
            if (row == null) {
                return;
            }
            UUID subjectId = (UUID) row.get("subject_id");
            if (vault.isLive(subjectId)) {
                vault.liftRestriction(subjectId, (String) row.get("reason"));
            }
            jdbc.sql("UPDATE restriction_lift SET lifted_at = :at WHERE id = :id").param("id", id)
                    .param("at", StoredTime.now(clock).atOffset(java.time.ZoneOffset.UTC)).update();
        });
    }

    private Optional<UUID> pending(UUID subjectId) {
        return jdbc.sql("SELECT id FROM restriction_lift WHERE subject_id = :subject AND lifted_at IS NULL")
                .param("subject", subjectId).query(UUID.class).optional();
    }
}
