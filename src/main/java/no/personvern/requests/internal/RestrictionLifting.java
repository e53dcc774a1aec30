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
import no.personvern.subjects.VaultEvents;
import org.springframework.dao.DuplicateKeyException;
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

    /**
     * The DPO decided to lift a restriction. Ids only: the reason describes the person, and the
     * hash chain outlives their erasure; it stays in {@code restriction_lift} (cleared on erasure).
     */
    record LiftDecided(UUID subjectId, UUID liftId, String restriction) implements AuditEvent {
        public String action() {
            return "subject.restriction-lift-decided";
        }

        public Map<String, Object> details() {
            return Map.of("lift", liftId.toString(), "restriction", restriction);
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
        if (pending(subjectId).isPresent()) {
            throw pendingAlready(subjectId);
        }
        String email = vault.emails(List.of(subjectId), Vault.RIGHTS_PURPOSE).get(subjectId);
        if (email == null) {
            throw Problems.refusal(Kind.CONFLICT, "Cannot tell the person", "The person must be told before the"
                    + " restriction is lifted (Art. 18(3)), and no verified e-mail address is held for them.", null);
        }
        boolean nb = requests.find(restriction.requestId()).map(RequestRecord::norwegian).orElse(true);
        UUID id = UUID.randomUUID();
        String why = reason.strip();
        try {
            transactions.executeWithoutResult(status -> {
                // pending_subject is unique: a second lift decided at the same time fails here.
                jdbc.sql("INSERT INTO restriction_lift (id, subject_id, pending_subject, restriction, reason,"
                        + " requested_at) VALUES (:id, :subject, :subject, :restriction, :reason, :at)")
                        .param("id", id).param("subject", subjectId).param("restriction", restriction.stored())
                        .param("reason", why)
                        .param("at", StoredTime.now(clock).atOffset(java.time.ZoneOffset.UTC)).update();
                Letters.Letter letter = letters.restrictionLift(nb, why);
                mailer.send(new Mail(email, letter.subject(), letter.text(), Map.of(), subjectId, REFERENCE + id));
                events.publishEvent(new LiftDecided(subjectId, id, restriction.stored()));
            });
        } catch (DuplicateKeyException concurrent) {
            throw pendingAlready(subjectId);
        }
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
            Map<String, Object> row = jdbc.sql("SELECT subject_id, restriction FROM restriction_lift WHERE id = :id"
                    + " AND lifted_at IS NULL FOR UPDATE").param("id", id).query().listOfRows().stream().findFirst()
                    .orElse(null);
            if (row == null) {
                return;
            }
            UUID subjectId = (UUID) row.get("subject_id");
            if (vault.isLive(subjectId)) {
                // Only the restriction the lift was decided on: a later request keeps the person restricted.
                String restriction = (String) row.get("restriction");
                vault.liftRestriction(subjectId, restriction == null ? null
                        : new Hold.Reason.Restriction(UUID.fromString(
                                restriction.substring(Hold.Reason.Restriction.PREFIX.length()))));
            }
            jdbc.sql("UPDATE restriction_lift SET lifted_at = :at, pending_subject = NULL WHERE id = :id")
                    .param("id", id)
                    .param("at", StoredTime.now(clock).atOffset(java.time.ZoneOffset.UTC)).update();
        });
    }

    /** Art. 17: the DPO's reasons for lifting describe the person; they go with the person. */
    @ApplicationModuleListener
    void on(VaultEvents.SubjectErased erased) {
        jdbc.sql("UPDATE restriction_lift SET reason = '' WHERE subject_id = :subject")
                .param("subject", erased.subjectId()).update();
    }

    /** Whether a lift of {@code restriction} was decided (the person may have been told it ends). */
    boolean decided(Hold.Reason.Restriction restriction) {
        return jdbc.sql("SELECT COUNT(*) FROM restriction_lift WHERE restriction = :restriction")
                .param("restriction", restriction.stored()).query(Long.class).single() > 0;
    }

    private Optional<UUID> pending(UUID subjectId) {
        return jdbc.sql("SELECT id FROM restriction_lift WHERE pending_subject = :subject")
                .param("subject", subjectId).query(UUID.class).optional();
    }

    private static RuntimeException pendingAlready(UUID subjectId) {
        return Problems.refusal(Kind.CONFLICT, "Lift pending", "A lift of subject " + subjectId + "'s restriction"
                + " was decided already; it ends when the person has been told (Art. 18(3)).", null);
    }
}
