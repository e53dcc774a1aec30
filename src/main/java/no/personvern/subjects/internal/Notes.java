package no.personvern.subjects.internal;

import static no.personvern.subjects.internal.Timestamps.time;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import no.personvern.catalog.Activity;
import no.personvern.catalog.Catalog;
import no.personvern.subjects.VaultEvents;
import no.personvern.subjects.internal.SubjectRepository.SubjectRow;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Free text a person wrote, such as the message of a data-subject request ({@code subject_note}):
 * many per person, each sealed under the person's data key and bound to its row, under a category
 * the activity declares for the system (purpose limitation); unreadable once the person is erased.
 */
@Component
class Notes {

    private final JdbcClient jdbc;
    private final SubjectRepository subjects;
    private final Envelopes envelopes;
    private final Catalog catalog;
    private final ApplicationEventPublisher events;
    private final TransactionTemplate transactions;
    private final Clock clock;

    Notes(JdbcClient jdbc, SubjectRepository subjects, Envelopes envelopes, Catalog catalog,
            ApplicationEventPublisher events, TransactionTemplate transactions, Clock clock) {
        this.jdbc = jdbc;
        this.subjects = subjects;
        this.envelopes = envelopes;
        this.catalog = catalog;
        this.events = events;
        this.transactions = transactions;
        this.clock = clock;
    }

    UUID write(UUID subjectId, String system, String activityKey, String category, String text) {
        Activity activity = catalog.activity(activityKey).filter(a -> a.usesSystem(system))
                .filter(a -> a.declaresCategory(category))
                .orElseThrow(() -> new IllegalArgumentException("activity " + activityKey + " of system " + system
                        + " does not declare " + category));
        return transactions.execute(status -> {
            SubjectRow subject = subjects.live(subjectId);
            UUID id = UUID.randomUUID();
            byte[] sealed = Crypto.seal(envelopes.key(subject.keyId()), text.getBytes(StandardCharsets.UTF_8),
                    aad(id, subjectId, category, system, activity.key()));
            jdbc.sql("""
                    INSERT INTO subject_note (id, subject_id, category, system_key, activity_key, collected_at, key_id,
                                              ciphertext)
                    VALUES (:id, :subject, :category, :system, :activity, :at, :key, :ciphertext)""")
                    .param("id", id).param("subject", subjectId).param("category", category).param("system", system)
                    .param("activity", activity.key()).param("at", time(clock.instant().truncatedTo(ChronoUnit.MICROS)))
                    .param("key", subject.keyId()).param("ciphertext", sealed).update();
            events.publishEvent(new VaultEvents.SubjectWritten(subjectId, false, system, activity.key(),
                    java.util.List.of(category)));
            return id;
        });
    }

    Optional<String> read(UUID subjectId, UUID noteId, String purpose) {
        return transactions.execute(status -> {
            Optional<SubjectRow> subject = subjects.subject(subjectId).filter(row -> row.erasedAt() == null);
            if (subject.isEmpty()) {
                return Optional.<String>empty();
            }
            return jdbc.sql("""
                    SELECT category, system_key, activity_key, key_id, ciphertext FROM subject_note
                    WHERE id = :id AND subject_id = :subject""").param("id", noteId).param("subject", subjectId)
                    .query((rs, n) -> {
                        UUID keyId = rs.getObject("key_id", UUID.class);
                        if (!keyId.equals(subject.get().keyId())) {
                            return null;
                        }
                        byte[] plain = Crypto.open(envelopes.key(keyId), rs.getBytes("ciphertext"), aad(noteId,
                                subjectId, rs.getString("category"), rs.getString("system_key"),
                                rs.getString("activity_key")));
                        events.publishEvent(new VaultEvents.NoteRead(subjectId, noteId, purpose));
                        return new String(plain, StandardCharsets.UTF_8);
                    })
                    .optional();
        });
    }

    void delete(Set<UUID> noteIds) {
        for (UUID id : noteIds) {
            jdbc.sql("DELETE FROM subject_note WHERE id = :id").param("id", id).update();
        }
    }

    /**
     * The notes under {@code activity} whose retention ({@code after} from collection) has run out by
     * {@code asOf}: at most {@code limit} deleted, or all only counted in a dry run; returns how many.
     */
    int expire(String activity, no.personvern.catalog.IsoPeriod after, java.time.Instant asOf, boolean dryRun,
            int limit) {
        java.time.Instant cutoff = after.subtractFrom(asOf);
        if (dryRun) {
            return jdbc.sql("SELECT COUNT(*) FROM subject_note WHERE activity_key = :activity AND collected_at <= :cutoff")
                    .param("activity", activity).param("cutoff", time(cutoff)).query(Long.class).single().intValue();
        }
        // One batch, deleted in the database: the table is never loaded whole.
        return jdbc.sql("DELETE FROM subject_note WHERE id IN (SELECT id FROM subject_note WHERE activity_key = :activity"
                + " AND collected_at <= :cutoff LIMIT :limit)").param("activity", activity)
                .param("cutoff", time(cutoff)).param("limit", limit).update();
    }

    private static byte[] aad(UUID noteId, UUID subjectId, String category, String system, String activity) {
        return ("note|" + noteId + "|" + subjectId + "|" + category + "|" + system + "|" + activity)
                .getBytes(StandardCharsets.UTF_8);
    }
}
