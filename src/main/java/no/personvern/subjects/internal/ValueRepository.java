package no.personvern.subjects.internal;

import static no.personvern.subjects.internal.Timestamps.instant;
import static no.personvern.subjects.internal.Timestamps.time;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import no.personvern.subjects.Hold;
import no.personvern.subjects.VaultRefusal;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The {@code subject_value} table: a person's values, each encrypted under a data key. */
@Repository
class ValueRepository {

    record ValueRow(UUID id, String category, String system, String activity, String purposes, Instant collectedAt,
            UUID keyId, byte[] ciphertext, Hold.Reason heldBy, Instant heldUntil) {
    }

    private final JdbcClient jdbc;
    private final JdbcTemplate batch;

    ValueRepository(JdbcClient jdbc, JdbcTemplate batch) {
        this.jdbc = jdbc;
        this.batch = batch;
    }

    /** New values of new people ({@code owners}, one per value), as one batched statement. */
    void insertAll(List<UUID> owners, List<ValueRow> values, Instant at) {
        OffsetDateTime time = time(at);
        List<Object[]> valueRows = new ArrayList<>();
        for (int i = 0; i < values.size(); i++) {
            ValueRow value = values.get(i);
            valueRows.add(new Object[] {value.id(), owners.get(i), value.category(), value.system(), value.activity(),
                value.purposes(), time, value.keyId(), value.ciphertext()});
        }
        batch.batchUpdate("INSERT INTO subject_value (id, subject_id, category, system_key, activity_key, purposes,"
                + " collected_at, key_id, ciphertext) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", valueRows);
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
            if (objectedTo(subjectId, value.activity())) {
                // Art. 21(1): an upheld objection stops the activity for the person; nothing more is collected.
                throw VaultRefusal.objected(value.activity());
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

    /** Restricts every value of the person not held already; returns how many. */
    int restrictAll(UUID subjectId, Hold.Reason reason) {
        return jdbc.sql("UPDATE subject_value SET held_by = :reason WHERE subject_id = :subject AND held_by IS NULL")
                .param("reason", reason.stored()).param("subject", subjectId).update();
    }

    /** The values held for {@code from} are now held for {@code to}. */
    void retag(UUID subjectId, String from, String to) {
        jdbc.sql("UPDATE subject_value SET held_by = :to WHERE subject_id = :subject AND held_by = :from")
                .param("to", to).param("from", from).param("subject", subjectId).update();
    }

    /** Ends the restriction of every value restricted for a reason starting with {@code prefix}; returns how many. */
    int unrestrict(UUID subjectId, String prefix) {
        return jdbc.sql("UPDATE subject_value SET held_by = NULL, held_until = NULL WHERE subject_id = :subject"
                + " AND held_by LIKE :prefix").param("prefix", prefix + "%").param("subject", subjectId).update();
    }

    /**
     * The person's values in these categories still under their own key (restricted or not), one
     * index probe per category: the cost follows how much is held, not how much the person has.
     */
    List<ValueRow> valuesUnderKey(UUID subjectId, UUID keyId, Set<String> categories) {
        List<ValueRow> values = new ArrayList<>();
        for (String category : new TreeSet<>(categories)) {
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

    private static Hold.Reason heldBy(String stored) {
        return stored == null ? null : Hold.Reason.parse(stored);
    }

    /** Whether an upheld objection stopped {@code activity} for the person. */
    boolean objectedTo(UUID subjectId, String activity) {
        return jdbc.sql("""
                SELECT COUNT(*) FROM subject_value WHERE subject_id = :subject AND activity_key = :activity
                  AND held_by LIKE :objection""")
                .param("subject", subjectId).param("activity", activity)
                .param("objection", Hold.Reason.Objection.PREFIX + "%")
                .query(Long.class).single() > 0;
    }

    /** The activities under which the person has values in use (not restricted). */
    Set<String> activitiesInUse(UUID subjectId) {
        return new TreeSet<>(jdbc.sql("SELECT DISTINCT activity_key FROM subject_value WHERE subject_id = :subject"
                + " AND held_by IS NULL").param("subject", subjectId).query(String.class).list());
    }

    /** Restricts the person's values of one activity not held already; returns how many. */
    int restrictActivity(UUID subjectId, String activity, Hold.Reason reason) {
        return jdbc.sql("""
                UPDATE subject_value SET held_by = :reason
                WHERE subject_id = :subject AND activity_key = :activity AND held_by IS NULL""")
                .param("reason", reason.stored()).param("subject", subjectId).param("activity", activity).update();
    }
}
