package no.personvern.subjects.internal;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.List;
import java.util.UUID;
import no.personvern.subjects.Expiry;
import no.personvern.subjects.Hold;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The vault's side of retention. Pages are keyset-paginated on (time, id) over the indexes of
 * {@code V9}, so each page costs the same however far the sweep has come.
 */
@Service
class ExpiryService implements Expiry {

    /** Ids per statement: well inside PostgreSQL's limit on bind parameters. */
    private static final int CHUNK = 5000;

    /**
     * Art. 21(1): what an upheld objection stopped is used for nothing, and goes when the
     * activity's retention would have deleted it (as an unrestricted value would).
     */
    private static final String OBJECTION = Hold.Reason.Objection.PREFIX + "%";

    private final JdbcClient jdbc;
    private final BlobDeletions deletions;
    private final Erasure erasure;
    private final TransactionTemplate transactions;

    private final KeyStore keys;

    ExpiryService(JdbcClient jdbc, BlobDeletions deletions, Erasure erasure, TransactionTemplate transactions,
            KeyStore keys) {
        this.keys = keys;
        this.jdbc = jdbc;
        this.deletions = deletions;
        this.erasure = erasure;
        this.transactions = transactions;
    }

    @Override
    public boolean eraseIfEmpty(UUID subjectId) {
        return eraseIfEmpty(subjectId, erasure.requiredHolds());
    }

    @Override
    public boolean eraseIfEmpty(UUID subjectId, List<Hold> holds) {
        return Boolean.TRUE.equals(transactions.execute(status -> {
            // SKIP LOCKED: a writer holding the person is busy with them; never wait (no deadlock with the
            // value rows this sweep has deleted), leave them to the next run.
            boolean live = jdbc.sql("SELECT id FROM subject WHERE id = :id AND erased_at IS NULL FOR UPDATE SKIP LOCKED")
                    .param("id", subjectId).query(UUID.class).optional().isPresent();
            if (!live || withoutData(List.of(subjectId)).isEmpty()) {
                return false;
            }
            erasure.eraseSubject(subjectId, holds);
            return true;
        }));
    }

    @Override
    public boolean eraseIfOnly(UUID subjectId, UUID identityId) {
        return Boolean.TRUE.equals(transactions.execute(status -> {
            boolean live = jdbc.sql("SELECT id FROM subject WHERE id = :id AND erased_at IS NULL FOR UPDATE SKIP LOCKED")
                    .param("id", subjectId).query(UUID.class).optional().isPresent();
            if (!live || !heldOnlyBy(subjectId, identityId)) {
                return false;
            }
            erasure.eraseSubject(subjectId, erasure.requiredHolds());
            return true;
        }));
    }

    @Override
    public boolean heldOnlyBy(UUID subjectId, UUID identityId) {
        if (withoutData(List.of(subjectId)).isEmpty()) {
            return false;
        }
        return jdbc.sql("SELECT COUNT(*) FROM subject_identity WHERE subject_id = :id"
                + " AND (id IS NULL OR id <> :identity)").param("id", subjectId)
                .param("identity", identityId == null ? new UUID(0, 0) : identityId).query(Long.class).single() == 0;
    }

    @Override
    public List<UUID> quietSince(Instant cutoff, UUID after, int limit) {
        return jdbc.sql("""
                SELECT s.id FROM subject s
                WHERE s.erased_at IS NULL AND s.created_at <= :cutoff AND s.updated_at <= :cutoff AND s.id > :after
                  AND NOT EXISTS (SELECT 1 FROM subject_value v WHERE v.subject_id = s.id AND v.collected_at > :cutoff)
                  AND NOT EXISTS (SELECT 1 FROM subject_document d WHERE d.subject_id = s.id AND d.uploaded_at > :cutoff)
                  AND NOT EXISTS (SELECT 1 FROM subject_identity i WHERE i.subject_id = s.id AND i.created_at > :cutoff)
                ORDER BY s.id
                LIMIT :limit""")
                .param("cutoff", time(cutoff)).param("after", after).param("limit", limit).query(UUID.class).list();
    }

    @Override
    public List<Item> valuesCollectedBefore(String activity, Instant cutoff, Cursor after, int limit) {
        return jdbc.sql("""
                SELECT id, subject_id, category, activity_key, collected_at AS at, FALSE AS document FROM subject_value
                WHERE activity_key = :activity AND (held_by IS NULL OR held_by LIKE :objection)
                  AND collected_at <= :cutoff AND (collected_at, id) > (:at, :id)
                ORDER BY collected_at, id
                LIMIT :limit""")
                .param("activity", activity).param("objection", OBJECTION).param("cutoff", time(cutoff)).param("at", time(after.at()))
                .param("id", after.id()).param("limit", limit).query(ExpiryService::item).list();
    }

    @Override
    public List<Item> documentsUploadedBefore(String activity, Instant cutoff, Cursor after, int limit) {
        return jdbc.sql("""
                SELECT id, subject_id, category, activity_key, uploaded_at AS at, TRUE AS document
                FROM subject_document
                WHERE activity_key = :activity AND uploaded_at <= :cutoff
                  AND (restricted_by IS NULL OR restricted_by LIKE :objection) AND (uploaded_at, id) > (:at, :id)
                ORDER BY uploaded_at, id
                LIMIT :limit""")
                .param("activity", activity).param("objection", OBJECTION).param("cutoff", time(cutoff)).param("at", time(after.at()))
                .param("id", after.id()).param("limit", limit).query(ExpiryService::item).list();
    }

    @Override
    public List<Item> itemsOf(Collection<UUID> subjectIds, Collection<String> activities) {
        if (subjectIds.isEmpty() || activities.isEmpty()) {
            return List.of();
        }
        return jdbc.sql("""
                SELECT id, subject_id, category, activity_key, collected_at AS at, FALSE AS document FROM subject_value
                WHERE subject_id = ANY(:subjects) AND activity_key IN (:activities)
                  AND (held_by IS NULL OR held_by LIKE :objection)
                UNION ALL
                SELECT id, subject_id, category, activity_key, uploaded_at, TRUE FROM subject_document
                WHERE subject_id = ANY(:subjects) AND activity_key IN (:activities)
                  AND (restricted_by IS NULL OR restricted_by LIKE :objection)""")
                .param("subjects", array(subjectIds)).param("objection", OBJECTION).param("activities", activities).query(ExpiryService::item).list();
    }

    @Override
    public List<Item> holdsEndedBefore(Instant asOf, Cursor after, int limit) {
        return jdbc.sql("""
                SELECT id, subject_id, category, activity_key, at, document FROM (
                    SELECT id, subject_id, category, activity_key, held_until AS at, FALSE AS document FROM subject_value
                    WHERE held_until IS NOT NULL AND held_until <= :asOf AND (held_until, id) > (:at, :id)
                    UNION ALL
                    SELECT id, subject_id, category, activity_key, held_until, TRUE FROM subject_document
                    WHERE held_until IS NOT NULL AND held_until <= :asOf AND (held_until, id) > (:at, :id)
                ) AS ended
                ORDER BY at, id
                LIMIT :limit""")
                .param("asOf", time(asOf)).param("at", time(after.at())).param("id", after.id())
                .param("limit", limit).query(ExpiryService::item).list();
    }

    @Override
    public int delete(List<Item> items) {
        List<UUID> values = items.stream().filter(item -> !item.document()).map(Item::id).toList();
        List<UUID> documents = items.stream().filter(Item::document).map(Item::id).toList();
        int deleted = 0;
        for (List<UUID> chunk : chunks(values)) {
            deleted += jdbc.sql("DELETE FROM subject_value WHERE id = ANY(:ids)").param("ids", array(chunk)).update();
        }
        for (List<UUID> chunk : chunks(documents)) {
            // The files go after the commit, off this transaction's path (BlobDeletions); queued here,
            // so that a crash after the commit still leaves their ids to be done.
            int gone = jdbc.sql("DELETE FROM subject_document WHERE id = ANY(:ids)").param("ids", array(chunk)).update();
            if (gone > 0) {
                deletions.queue(chunk);
            }
            deleted += gone;
        }
        if (!documents.isEmpty()) {
            deletions.wakeAfterCommit();
        }
        return deleted;
    }

    /**
     * An erased person's hold key with no value left under it is destroyed too, so that copies of
     * the deleted rows in backups are unreadable (crypto-shredding), not just the rows deleted.
     */
    @Override
    public void destroyUnusedHoldKeys(Collection<UUID> subjectIds) {
        if (subjectIds.isEmpty()) {
            return;
        }
        List<UUID> erased = jdbc.sql("SELECT id FROM subject WHERE id = ANY(:ids) AND erased_at IS NOT NULL")
                .param("ids", array(subjectIds)).query(UUID.class).list();
        for (UUID subjectId : erased) {
            for (UUID keyId : keys.ownedBy(subjectId, KeyStore.HOLD)) {
                boolean used = jdbc.sql("SELECT (SELECT COUNT(*) FROM subject_value WHERE subject_id = :subject"
                        + " AND key_id = :key) + (SELECT COUNT(*) FROM subject_document WHERE subject_id = :subject"
                        + " AND key_id = :key)").param("subject", subjectId).param("key", keyId).query(Long.class)
                        .single() > 0;
                if (!used) {
                    keys.destroy(keyId);
                }
            }
        }
    }

    @Override
    public void keep(List<Item> items, Hold.Reason reason, Instant until) {
        List<UUID> values = items.stream().filter(item -> !item.document()).map(Item::id).toList();
        List<UUID> documents = items.stream().filter(Item::document).map(Item::id).toList();
        for (List<UUID> chunk : chunks(values)) {
            jdbc.sql("UPDATE subject_value SET held_by = :reason, held_until = :until WHERE id = ANY(:ids)")
                    .param("reason", reason.stored()).param("until", until == null ? null : time(until))
                    .param("ids", array(chunk))
                    .update();
        }
        for (List<UUID> chunk : chunks(documents)) {
            jdbc.sql("UPDATE subject_document SET restricted_by = :reason, held_until = :until WHERE id = ANY(:ids)")
                    .param("reason", reason.stored()).param("until", until == null ? null : time(until))
                    .param("ids", array(chunk))
                    .update();
        }
    }

    @Override
    public List<UUID> withoutData(Collection<UUID> subjectIds) {
        if (subjectIds.isEmpty()) {
            return List.of();
        }
        return jdbc.sql("""
                SELECT s.id FROM subject s
                WHERE s.id = ANY(:subjects) AND s.erased_at IS NULL
                  AND NOT EXISTS (SELECT 1 FROM subject_value v WHERE v.subject_id = s.id)
                  AND NOT EXISTS (SELECT 1 FROM subject_document d WHERE d.subject_id = s.id)""")
                .param("subjects", array(subjectIds)).query(UUID.class).list();
    }

    /** One array parameter ({@code = ANY(:ids)}): one statement to parse and plan, however many ids. */
    private static UUID[] array(Collection<UUID> ids) {
        return ids.toArray(UUID[]::new);
    }

    private static List<List<UUID>> chunks(List<UUID> ids) {
        List<List<UUID>> chunks = new java.util.ArrayList<>();
        for (int from = 0; from < ids.size(); from += CHUNK) {
            chunks.add(ids.subList(from, Math.min(ids.size(), from + CHUNK)));
        }
        return chunks;
    }

    private static Item item(ResultSet rs, int n) throws SQLException {
        return new Item(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class), rs.getString(3), rs.getString(4),
                rs.getObject(5, OffsetDateTime.class).toInstant(), rs.getBoolean(6));
    }

    private static OffsetDateTime time(Instant instant) {
        return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }
}
