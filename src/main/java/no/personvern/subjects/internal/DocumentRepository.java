package no.personvern.subjects.internal;

import static no.personvern.subjects.internal.Timestamps.instant;
import static no.personvern.subjects.internal.Timestamps.time;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import no.personvern.subjects.DocumentInfo;
import no.personvern.subjects.Hold;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The {@code subject_document} table: a document's metadata; its encrypted content is a blob. */
@Repository
class DocumentRepository {

    record DocumentRow(UUID id, UUID subjectId, String kind, String system, String activity, String category,
            String contentType, long size, UUID keyId, Instant uploadedAt, Instant expiresAt) {

        DocumentInfo info() {
            return new DocumentInfo(id, kind, system, activity, category, contentType, size, uploadedAt, expiresAt);
        }
    }

    private final JdbcClient jdbc;

    DocumentRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    void insertDocument(DocumentRow document) {
        jdbc.sql("""
                INSERT INTO subject_document (id, subject_id, kind, system_key, activity_key, category, content_type,
                                              size_bytes, key_id, uploaded_at, expires_at)
                VALUES (:id, :subject, :kind, :system, :activity, :category, :type, :size, :key, :uploaded, :expires)
                """)
                .param("id", document.id()).param("subject", document.subjectId()).param("kind", document.kind())
                .param("system", document.system()).param("activity", document.activity())
                .param("category", document.category())
                .param("type", document.contentType()).param("size", document.size()).param("key", document.keyId())
                .param("uploaded", time(document.uploadedAt()))
                .param("expires", document.expiresAt() == null ? null : time(document.expiresAt()))
                .update();
    }

    List<DocumentRow> documents(UUID subjectId) {
        return jdbc.sql("""
                SELECT id, subject_id, kind, system_key, activity_key, category, content_type, size_bytes, key_id, uploaded_at,
                       expires_at
                FROM subject_document WHERE subject_id = :subject ORDER BY uploaded_at, id""")
                .param("subject", subjectId).query(DocumentRepository::documentRow).list();
    }

    /** The person's documents that no restriction (Art. 18) or hold keeps from use: one query for a read. */
    List<DocumentRow> unrestrictedDocuments(UUID subjectId) {
        return jdbc.sql("""
                SELECT id, subject_id, kind, system_key, activity_key, category, content_type, size_bytes, key_id, uploaded_at,
                       expires_at
                FROM subject_document WHERE subject_id = :subject AND restricted_by IS NULL ORDER BY uploaded_at, id""")
                .param("subject", subjectId).query(DocumentRepository::documentRow).list();
    }

    Optional<DocumentRow> document(UUID subjectId, UUID documentId) {
        return jdbc.sql("""
                SELECT id, subject_id, kind, system_key, activity_key, category, content_type, size_bytes, key_id, uploaded_at,
                       expires_at
                FROM subject_document WHERE id = :id AND subject_id = :subject""")
                .param("id", documentId).param("subject", subjectId).query(DocumentRepository::documentRow).optional();
    }

    /** Deletes the person's documents but those kept under a hold. */
    int deleteDocumentsExcept(UUID subjectId, List<UUID> kept) {
        return jdbc.sql("DELETE FROM subject_document WHERE subject_id = :subject AND NOT (id = ANY(:kept))")
                .param("subject", subjectId).param("kept", kept.toArray(UUID[]::new)).update();
    }

    /** A document kept through an erasure: under the hold key, restricted, until the hold ends. */
    void holdDocument(UUID documentId, UUID keyId, Hold.Reason reason, Instant until) {
        jdbc.sql("UPDATE subject_document SET key_id = :key, restricted_by = :reason, held_until = :until WHERE id = :id")
                .param("key", keyId).param("reason", reason.stored()).param("until", until == null ? null : time(until))
                .param("id", documentId).update();
    }

    /** Restricts every document of the person not restricted already. */
    void restrictAll(UUID subjectId, Hold.Reason reason) {
        jdbc.sql("UPDATE subject_document SET restricted_by = :reason WHERE subject_id = :subject"
                + " AND restricted_by IS NULL").param("reason", reason.stored()).param("subject", subjectId).update();
    }

    /** Ends the restriction of every document restricted for a reason starting with {@code prefix}. */
    int unrestrict(UUID subjectId, String prefix) {
        return jdbc.sql("UPDATE subject_document SET restricted_by = NULL WHERE subject_id = :subject"
                + " AND restricted_by LIKE :prefix").param("prefix", prefix + "%").param("subject", subjectId).update();
    }

    /** The documents restricted for {@code from} are now restricted for {@code to}. */
    void retag(UUID subjectId, String from, String to) {
        jdbc.sql("UPDATE subject_document SET restricted_by = :to WHERE subject_id = :subject AND restricted_by = :from")
                .param("to", to).param("from", from).param("subject", subjectId).update();
    }

    /** The restriction reason of each restricted document of the person (document id → stored reason). */
    java.util.Map<UUID, String> restrictions(UUID subjectId) {
        java.util.Map<UUID, String> restricted = new java.util.HashMap<>();
        jdbc.sql("SELECT id, restricted_by FROM subject_document WHERE subject_id = :subject AND restricted_by IS NOT NULL")
                .param("subject", subjectId)
                .query(rs -> {
                    restricted.put(rs.getObject("id", UUID.class), rs.getString("restricted_by"));
                });
        return restricted;
    }

    /** Whether an upheld objection stopped {@code activity} for the person's documents. */
    boolean objectedTo(UUID subjectId, String activity) {
        return jdbc.sql("SELECT COUNT(*) FROM subject_document WHERE subject_id = :subject AND activity_key = :activity"
                + " AND restricted_by LIKE :objection")
                .param("subject", subjectId).param("activity", activity)
                .param("objection", Hold.Reason.Objection.PREFIX + "%").query(Long.class).single() > 0;
    }

    /** Restricts the person's documents of one activity not restricted already; returns how many. */
    int restrictActivity(UUID subjectId, String activity, Hold.Reason reason) {
        return jdbc.sql("UPDATE subject_document SET restricted_by = :reason WHERE subject_id = :subject"
                + " AND activity_key = :activity AND restricted_by IS NULL")
                .param("reason", reason.stored()).param("subject", subjectId).param("activity", activity).update();
    }

    boolean documentRestricted(UUID documentId) {
        return jdbc.sql("SELECT COUNT(*) FROM subject_document WHERE id = :id AND restricted_by IS NOT NULL")
                .param("id", documentId).query(Long.class).single() > 0;
    }

    private static DocumentRow documentRow(ResultSet rs, int row) throws SQLException {
        return new DocumentRow(rs.getObject("id", UUID.class), rs.getObject("subject_id", UUID.class),
                rs.getString("kind"), rs.getString("system_key"), rs.getString("activity_key"), rs.getString("category"),
                rs.getString("content_type"), rs.getLong("size_bytes"), rs.getObject("key_id", UUID.class),
                instant(rs, "uploaded_at"), instant(rs, "expires_at"));
    }
}
