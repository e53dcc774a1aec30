package no.personvern.subjects.internal;

import static no.personvern.subjects.internal.Timestamps.instant;
import static no.personvern.subjects.internal.Timestamps.time;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import no.personvern.subjects.VaultRefusal;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The {@code subject} table: a person's row, their data key's id and whether they are erased. */
@Repository
class SubjectRepository {

    record SubjectRow(UUID id, UUID keyId, Instant erasedAt, String restrictedBy) {
    }

    private final JdbcClient jdbc;
    private final JdbcTemplate batch;

    SubjectRepository(JdbcClient jdbc, JdbcTemplate batch) {
        this.jdbc = jdbc;
        this.batch = batch;
    }

    /** New people, as one batched statement. */
    void insertAll(List<SubjectRow> subjects, Instant at) {
        OffsetDateTime time = time(at);
        batch.batchUpdate("INSERT INTO subject (id, key_id, created_at, updated_at) VALUES (?, ?, ?, ?)",
                subjects.stream().map(s -> new Object[] {s.id(), s.keyId(), time, time}).toList());
    }

    void insertSubject(UUID id, UUID keyId, Instant at) {
        jdbc.sql("INSERT INTO subject (id, key_id, created_at, updated_at) VALUES (:id, :key, :at, :at)")
                .param("id", id).param("key", keyId).param("at", time(at)).update();
    }

    Optional<SubjectRow> subject(UUID id) {
        return jdbc.sql("SELECT id, key_id, erased_at, restricted_by FROM subject WHERE id = :id").param("id", id)
                .query(SubjectRepository::subjectRow).optional();
    }

    /** The person, held and not erased: 404 if unknown, 410 if erased. */
    SubjectRow live(UUID id) {
        SubjectRow subject = subject(id).orElseThrow(() -> VaultRefusal.notFound(id));
        if (subject.erasedAt() != null) {
            throw VaultRefusal.erased(id);
        }
        return subject;
    }

    /** As {@link #live}, locked for the rest of the transaction. */
    SubjectRow lockLive(UUID id) {
        SubjectRow subject = lockSubject(id).orElseThrow(() -> VaultRefusal.notFound(id));
        if (subject.erasedAt() != null) {
            throw VaultRefusal.erased(id);
        }
        return subject;
    }

    /** The subject row, locked for the rest of the transaction. */
    Optional<SubjectRow> lockSubject(UUID id) {
        return jdbc.sql("SELECT id, key_id, erased_at, restricted_by FROM subject WHERE id = :id FOR UPDATE").param("id", id)
                .query(SubjectRepository::subjectRow).optional();
    }

    void touch(UUID id, Instant at) {
        jdbc.sql("UPDATE subject SET updated_at = :at WHERE id = :id").param("id", id).param("at", time(at)).update();
    }

    void markErased(UUID id, Instant at) {
        jdbc.sql("UPDATE subject SET shredded_key_id = key_id, key_id = NULL, erased_at = :at, updated_at = :at"
                + " WHERE id = :id")
                .param("id", id).param("at", time(at)).update();
    }

    /** Art. 18: the person as a whole is restricted for {@code reason} (unless restricted already). */
    void restrict(UUID id, String reason) {
        jdbc.sql("UPDATE subject SET restricted_by = :reason WHERE id = :id AND restricted_by IS NULL")
                .param("reason", reason).param("id", id).update();
    }

    /** Ends a restriction of the person whose reason starts with {@code prefix}. */
    void unrestrict(UUID id, String prefix) {
        jdbc.sql("UPDATE subject SET restricted_by = NULL WHERE id = :id AND restricted_by LIKE :prefix")
                .param("prefix", prefix + "%").param("id", id).update();
    }

    /** The person's restriction {@code from} is now {@code to}. */
    void retag(UUID id, String from, String to) {
        jdbc.sql("UPDATE subject SET restricted_by = :to WHERE id = :id AND restricted_by = :from")
                .param("to", to).param("from", from).param("id", id).update();
    }

    /** Those of {@code ids} who are restricted (Art. 18). */
    java.util.Set<UUID> restricted(java.util.Collection<UUID> ids) {
        if (ids.isEmpty()) {
            return java.util.Set.of();
        }
        return new java.util.HashSet<>(jdbc.sql("SELECT id FROM subject WHERE id IN (:ids) AND restricted_by IS NOT NULL")
                .param("ids", ids).query(UUID.class).list());
    }

    private static SubjectRow subjectRow(ResultSet rs, int row) throws SQLException {
        return new SubjectRow(rs.getObject("id", UUID.class), rs.getObject("key_id", UUID.class),
                instant(rs, "erased_at"), rs.getString("restricted_by"));
    }
}
