package no.personvern.subjects.internal;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import no.personvern.subjects.DocumentInfo;
import no.personvern.subjects.Hold;
import no.personvern.subjects.VaultRefusal;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The vault's rows. Values and identities arrive here already encrypted. */
@Repository
class VaultRepository {

    record SubjectRow(UUID id, UUID keyId, Instant erasedAt) {
    }

    /** An identity; {@code id} is null only for identities stored before handles existed. */
    record IdentityRow(String blindIndex, UUID id, IdentityKind kind, String system, UUID keyId, byte[] ciphertext,
            Instant createdAt, boolean verified) {
    }

    /** Who an identity belongs to. */
    record IdentityOwner(UUID subjectId, UUID id, boolean verified) {
    }

    record ValueRow(UUID id, String category, String system, String activity, String purposes, Instant collectedAt,
            UUID keyId, byte[] ciphertext, Hold.Reason heldBy, Instant heldUntil) {
    }

    record DocumentRow(UUID id, UUID subjectId, String kind, String system, String activity, String category,
            String contentType, long size, UUID keyId, Instant uploadedAt, Instant expiresAt) {

        DocumentInfo info() {
            return new DocumentInfo(id, kind, system, activity, category, contentType, size, uploadedAt, expiresAt);
        }
    }

    private final JdbcClient jdbc;
    private final JdbcTemplate batch;

    VaultRepository(JdbcClient jdbc, JdbcTemplate batch) {
        this.jdbc = jdbc;
        this.batch = batch;
    }

    /** New people with their identities and values, as four batched statements. */
    void insertAll(List<SubjectRow> subjects, Instant at, List<UUID> identityOwners, List<IdentityRow> identities,
            List<UUID> valueOwners, List<ValueRow> values) {
        OffsetDateTime time = time(at);
        batch.batchUpdate("INSERT INTO subject (id, key_id, created_at, updated_at) VALUES (?, ?, ?, ?)",
                subjects.stream().map(s -> new Object[] {s.id(), s.keyId(), time, time}).toList());
        List<Object[]> identityRows = new java.util.ArrayList<>();
        for (int i = 0; i < identities.size(); i++) {
            IdentityRow identity = identities.get(i);
            identityRows.add(new Object[] {identity.blindIndex(), identity.id(), identityOwners.get(i), identity.kind().stored,
                identity.system(), identity.keyId(), identity.ciphertext(), time, identity.verified()});
        }
        batch.batchUpdate("INSERT INTO subject_identity (blind_index, id, subject_id, kind, system_key, key_id, ciphertext,"
                + " created_at, verified) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", identityRows);
        List<Object[]> valueRows = new java.util.ArrayList<>();
        for (int i = 0; i < values.size(); i++) {
            ValueRow value = values.get(i);
            valueRows.add(new Object[] {value.id(), valueOwners.get(i), value.category(), value.system(), value.activity(),
                value.purposes(), time, value.keyId(), value.ciphertext()});
        }
        batch.batchUpdate("INSERT INTO subject_value (id, subject_id, category, system_key, activity_key, purposes,"
                + " collected_at, key_id, ciphertext) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", valueRows);
    }

    /** Which of these blind indexes are already known. */
    java.util.Set<String> knownBlindIndexes(Collection<String> blindIndexes) {
        java.util.Set<String> known = new java.util.HashSet<>();
        List<String> all = List.copyOf(blindIndexes);
        for (int from = 0; from < all.size(); from += 1000) {
            known.addAll(jdbc.sql("SELECT blind_index FROM subject_identity WHERE blind_index IN (:indexes)")
                    .param("indexes", all.subList(from, Math.min(all.size(), from + 1000))).query(String.class).list());
        }
        return known;
    }

    void insertSubject(UUID id, UUID keyId, Instant at) {
        jdbc.sql("INSERT INTO subject (id, key_id, created_at, updated_at) VALUES (:id, :key, :at, :at)")
                .param("id", id).param("key", keyId).param("at", time(at)).update();
    }

    Optional<SubjectRow> subject(UUID id) {
        return jdbc.sql("SELECT id, key_id, erased_at FROM subject WHERE id = :id").param("id", id)
                .query(VaultRepository::subjectRow).optional();
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

    /** Now, to the microsecond that both databases store. */
    static Instant now(Clock clock) {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }

    /** The subject row, locked for the rest of the transaction. */
    Optional<SubjectRow> lockSubject(UUID id) {
        return jdbc.sql("SELECT id, key_id, erased_at FROM subject WHERE id = :id FOR UPDATE").param("id", id)
                .query(VaultRepository::subjectRow).optional();
    }

    void touch(UUID id, Instant at) {
        jdbc.sql("UPDATE subject SET updated_at = :at WHERE id = :id").param("id", id).param("at", time(at)).update();
    }

    void markErased(UUID id, Instant at) {
        jdbc.sql("UPDATE subject SET shredded_key_id = key_id, key_id = NULL, erased_at = :at, updated_at = :at"
                + " WHERE id = :id")
                .param("id", id).param("at", time(at)).update();
    }

    List<UUID> subjectsByBlindIndex(Collection<String> blindIndexes) {
        return jdbc.sql("SELECT DISTINCT subject_id FROM subject_identity WHERE blind_index IN (:indexes)")
                .param("indexes", blindIndexes).query(UUID.class).list();
    }

    boolean identityExists(String blindIndex) {
        return jdbc.sql("SELECT COUNT(*) FROM subject_identity WHERE blind_index = :index").param("index", blindIndex)
                .query(Long.class).single() > 0;
    }

    void insertIdentity(UUID subjectId, IdentityRow identity) {
        jdbc.sql("""
                INSERT INTO subject_identity (blind_index, id, subject_id, kind, system_key, key_id, ciphertext, created_at,
                                              verified)
                VALUES (:index, :id, :subject, :kind, :system, :key, :ciphertext, :at, :verified)
                """)
                .param("index", identity.blindIndex()).param("id", identity.id()).param("subject", subjectId)
                .param("kind", identity.kind().stored).param("system", identity.system()).param("key", identity.keyId())
                .param("ciphertext", identity.ciphertext()).param("at", time(identity.createdAt()))
                .param("verified", identity.verified())
                .update();
    }

    /** A system vouched for an identity the person already has. */
    void verifyIdentity(UUID subjectId, String blindIndex) {
        jdbc.sql("UPDATE subject_identity SET verified = TRUE WHERE blind_index = :index AND subject_id = :subject")
                .param("index", blindIndex).param("subject", subjectId).update();
    }

    Optional<IdentityOwner> identityOwner(String blindIndex) {
        return jdbc.sql("SELECT subject_id, id, verified FROM subject_identity WHERE blind_index = :index")
                .param("index", blindIndex)
                .query((rs, row) -> new IdentityOwner(rs.getObject("subject_id", UUID.class),
                        rs.getObject("id", UUID.class), rs.getBoolean("verified")))
                .optional();
    }

    /** Gives an identity stored before handles existed its handle; returns the handle it has. */
    UUID ensureIdentityId(String blindIndex) {
        jdbc.sql("UPDATE subject_identity SET id = :id WHERE blind_index = :index AND id IS NULL")
                .param("id", UUID.randomUUID()).param("index", blindIndex).update();
        return jdbc.sql("SELECT id FROM subject_identity WHERE blind_index = :index").param("index", blindIndex)
                .query(UUID.class).single();
    }

    /** Identities by handle, with their owner. */
    List<Owned> identitiesById(Collection<UUID> ids) {
        if (ids.isEmpty()) {
            return List.of();
        }
        return jdbc.sql(IDENTITY_COLUMNS + ", subject_id FROM subject_identity WHERE id IN (:ids)").param("ids", ids)
                .query((rs, row) -> new Owned(rs.getObject("subject_id", UUID.class), identityRow(rs, row))).list();
    }

    record Owned(UUID subjectId, IdentityRow identity) {
    }

    private static final String IDENTITY_COLUMNS =
            "SELECT blind_index, id, kind, system_key, key_id, ciphertext, created_at, verified";

    /** The person's identities, newest first. */
    List<IdentityRow> identities(UUID subjectId) {
        return jdbc.sql(IDENTITY_COLUMNS + " FROM subject_identity WHERE subject_id = :subject"
                + " ORDER BY created_at DESC, blind_index")
                .param("subject", subjectId).query(VaultRepository::identityRow).list();
    }

    private static IdentityRow identityRow(ResultSet rs, int row) throws SQLException {
        return new IdentityRow(rs.getString("blind_index"), rs.getObject("id", UUID.class),
                IdentityKind.ofStored(rs.getString("kind")), rs.getString("system_key"), rs.getObject("key_id", UUID.class), rs.getBytes("ciphertext"),
                instant(rs, "created_at"), rs.getBoolean("verified"));
    }

    /** Inserts the value, or replaces the one this system and activity collected before. */
    void upsertValue(UUID subjectId, ValueRow value) {
        int updated = jdbc.sql("""
                UPDATE subject_value SET purposes = :purposes, collected_at = :at, key_id = :key, ciphertext = :ciphertext
                WHERE subject_id = :subject AND category = :category AND system_key = :system AND activity_key = :activity
                  AND held_by IS NULL
                """)
                .param("purposes", value.purposes()).param("at", time(value.collectedAt())).param("key", value.keyId())
                .param("ciphertext", value.ciphertext()).param("subject", subjectId)
                .param("category", value.category()).param("system", value.system())
                .param("activity", value.activity())
                .update();
        if (updated == 0) {
            String heldBy = jdbc.sql("SELECT held_by FROM subject_value WHERE subject_id = :subject AND category = :category"
                    + " AND system_key = :system AND activity_key = :activity").param("subject", subjectId)
                    .param("category", value.category()).param("system", value.system())
                    .param("activity", value.activity()).query(String.class).optional().orElse(null);
            if (heldBy != null) {
                if (!(Hold.Reason.parse(heldBy) instanceof Hold.Reason.Retention)) {
                    // Art. 18: a restricted value is stored, not changed or used, until the restriction is lifted.
                    throw VaultRefusal.restrictedValue(value.category());
                }
                // Collected anew (a new invoice, say): the value is in use again and its clock restarts.
                jdbc.sql("""
                        UPDATE subject_value SET purposes = :purposes, collected_at = :at, key_id = :key,
                                                 ciphertext = :ciphertext, held_by = NULL, held_until = NULL
                        WHERE subject_id = :subject AND category = :category AND system_key = :system
                          AND activity_key = :activity""")
                        .param("purposes", value.purposes()).param("at", time(value.collectedAt()))
                        .param("key", value.keyId()).param("ciphertext", value.ciphertext()).param("subject", subjectId)
                        .param("category", value.category()).param("system", value.system())
                        .param("activity", value.activity()).update();
                return;
            }
            jdbc.sql("""
                    INSERT INTO subject_value (id, subject_id, category, system_key, activity_key, purposes, collected_at,
                                               key_id, ciphertext)
                    VALUES (:id, :subject, :category, :system, :activity, :purposes, :at, :key, :ciphertext)
                    """)
                    .param("id", value.id()).param("subject", subjectId).param("category", value.category())
                    .param("system", value.system()).param("activity", value.activity())
                    .param("purposes", value.purposes()).param("at", time(value.collectedAt()))
                    .param("key", value.keyId()).param("ciphertext", value.ciphertext())
                    .update();
        }
    }

    List<ValueRow> values(UUID subjectId) {
        return jdbc.sql("""
                SELECT id, category, system_key, activity_key, purposes, collected_at, key_id, ciphertext, held_by, held_until
                FROM subject_value WHERE subject_id = :subject ORDER BY category, system_key, activity_key""")
                .param("subject", subjectId)
                .query((rs, row) -> new ValueRow(rs.getObject("id", UUID.class), rs.getString("category"),
                        rs.getString("system_key"), rs.getString("activity_key"), rs.getString("purposes"),
                        instant(rs, "collected_at"), rs.getObject("key_id", UUID.class), rs.getBytes("ciphertext"),
                        heldBy(rs.getString("held_by")), instant(rs, "held_until")))
                .list();
    }

    void replaceCiphertext(UUID valueId, UUID keyId, byte[] ciphertext) {
        jdbc.sql("UPDATE subject_value SET key_id = :key, ciphertext = :ciphertext WHERE id = :id")
                .param("key", keyId).param("ciphertext", ciphertext).param("id", valueId).update();
    }

    void hold(UUID valueId, UUID keyId, byte[] ciphertext, Hold.Reason reason, Instant until) {
        jdbc.sql("""
                UPDATE subject_value SET key_id = :key, ciphertext = :ciphertext, held_by = :reason, held_until = :until
                WHERE id = :id""")
                .param("key", keyId).param("ciphertext", ciphertext).param("reason", reason.stored())
                .param("until", until == null ? null : time(until)).param("id", valueId)
                .update();
    }

    int restrictAll(UUID subjectId, Hold.Reason reason) {
        jdbc.sql("UPDATE subject_document SET restricted_by = :reason WHERE subject_id = :subject"
                + " AND restricted_by IS NULL").param("reason", reason.stored()).param("subject", subjectId).update();
        return jdbc.sql("UPDATE subject_value SET held_by = :reason WHERE subject_id = :subject AND held_by IS NULL")
                .param("reason", reason.stored()).param("subject", subjectId).update();
    }

    boolean documentRestricted(UUID documentId) {
        return jdbc.sql("SELECT COUNT(*) FROM subject_document WHERE id = :id AND restricted_by IS NOT NULL")
                .param("id", documentId).query(Long.class).single() > 0;
    }

    /**
     * The person's values in these categories still under their own key (restricted or not), one
     * index probe per category: the cost follows how much is held, not how much the person has.
     */
    List<ValueRow> valuesUnderKey(UUID subjectId, UUID keyId, java.util.Set<String> categories) {
        List<ValueRow> values = new java.util.ArrayList<>();
        for (String category : new java.util.TreeSet<>(categories)) {
            values.addAll(jdbc.sql("SELECT id, category, system_key, activity_key, purposes, collected_at, key_id,"
                    + " ciphertext, held_by, held_until FROM subject_value WHERE subject_id = :subject"
                    + " AND category = :category AND key_id = :key")
                    .param("subject", subjectId).param("category", category).param("key", keyId)
                    .query((rs, row) -> new ValueRow(rs.getObject("id", UUID.class), rs.getString("category"),
                            rs.getString("system_key"), rs.getString("activity_key"), rs.getString("purposes"),
                            instant(rs, "collected_at"), rs.getObject("key_id", UUID.class), rs.getBytes("ciphertext"),
                            heldBy(rs.getString("held_by")), instant(rs, "held_until")))
                    .list());
        }
        return values;
    }

    /**
     * The person's distinct categories, one index probe per category (a skip scan over the
     * {@code (subject_id, category, ...)} index): the cost follows the number of categories, not of values.
     */
    List<String> categoriesUnderKey(UUID subjectId, UUID keyId) {
        return jdbc.sql("""
                WITH RECURSIVE seen (category) AS (
                    (SELECT category FROM subject_value WHERE subject_id = :subject AND key_id = :key
                     ORDER BY category LIMIT 1)
                    UNION ALL
                    SELECT (SELECT v.category FROM subject_value v
                            WHERE v.subject_id = :subject AND v.key_id = :key AND v.category > seen.category
                            ORDER BY v.category LIMIT 1)
                    FROM seen WHERE seen.category IS NOT NULL
                )
                SELECT category FROM seen WHERE category IS NOT NULL""")
                .param("subject", subjectId).param("key", keyId).query(String.class).list();
    }

    /** Deletes up to {@code limit} values of erased people that no hold keeps (still under their shredded key). */
    int purgeErasedValues(int limit) {
        return jdbc.sql("DELETE FROM subject_value WHERE id IN (SELECT v.id FROM subject_value v"
                + " JOIN subject s ON s.id = v.subject_id WHERE s.erased_at IS NOT NULL"
                + " AND (v.held_by IS NULL OR v.key_id = s.shredded_key_id)"
                + " LIMIT :limit)").param("limit", limit).update();
    }

    int deleteIdentities(UUID subjectId) {
        return jdbc.sql("DELETE FROM subject_identity WHERE subject_id = :subject").param("subject", subjectId).update();
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
                .param("subject", subjectId).query(VaultRepository::documentRow).list();
    }

    Optional<DocumentRow> document(UUID subjectId, UUID documentId) {
        return jdbc.sql("""
                SELECT id, subject_id, kind, system_key, activity_key, category, content_type, size_bytes, key_id, uploaded_at,
                       expires_at
                FROM subject_document WHERE id = :id AND subject_id = :subject""")
                .param("id", documentId).param("subject", subjectId).query(VaultRepository::documentRow).optional();
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

    int deleteDocuments(UUID subjectId) {
        return jdbc.sql("DELETE FROM subject_document WHERE subject_id = :subject").param("subject", subjectId).update();
    }

    private static DocumentRow documentRow(ResultSet rs, int row) throws SQLException {
        return new DocumentRow(rs.getObject("id", UUID.class), rs.getObject("subject_id", UUID.class),
                rs.getString("kind"), rs.getString("system_key"), rs.getString("activity_key"), rs.getString("category"),
                rs.getString("content_type"), rs.getLong("size_bytes"), rs.getObject("key_id", UUID.class),
                instant(rs, "uploaded_at"), instant(rs, "expires_at"));
    }

    private static SubjectRow subjectRow(ResultSet rs, int row) throws SQLException {
        return new SubjectRow(rs.getObject("id", UUID.class), rs.getObject("key_id", UUID.class),
                instant(rs, "erased_at"));
    }

    private static Hold.Reason heldBy(String stored) {
        return stored == null ? null : Hold.Reason.parse(stored);
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime time = rs.getObject(column, OffsetDateTime.class);
        return time == null ? null : time.toInstant();
    }

    private static OffsetDateTime time(Instant instant) {
        return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }
}
