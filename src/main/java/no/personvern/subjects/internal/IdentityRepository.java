package no.personvern.subjects.internal;

import static no.personvern.subjects.internal.Timestamps.instant;
import static no.personvern.subjects.internal.Timestamps.time;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The {@code subject_identity} table: identities, encrypted, found by their blind index. */
@Repository
class IdentityRepository {

    /** An identity; {@code id} is null only for identities stored before handles existed. */
    record IdentityRow(String blindIndex, UUID id, IdentityKind kind, String system, UUID keyId, byte[] ciphertext,
            Instant createdAt, boolean verified) {
    }

    /** The system and activity a write came from. */
    record Source(String system, String activity) {
    }

    /** Who an identity belongs to. */
    record IdentityOwner(UUID subjectId, UUID id, boolean verified) {
    }

    record Owned(UUID subjectId, IdentityRow identity) {
    }

    private static final String IDENTITY_COLUMNS =
            "SELECT blind_index, id, kind, system_key, key_id, ciphertext, created_at, verified";

    private final JdbcClient jdbc;
    private final JdbcTemplate batch;

    IdentityRepository(JdbcClient jdbc, JdbcTemplate batch) {
        this.jdbc = jdbc;
        this.batch = batch;
    }

    /** New identities of new people ({@code owners}, one per identity), as one batched statement. */
    void insertAll(List<UUID> owners, List<IdentityRow> identities, List<Source> sources, Instant at) {
        OffsetDateTime time = time(at);
        List<Object[]> identityRows = new ArrayList<>();
        for (int i = 0; i < identities.size(); i++) {
            IdentityRow identity = identities.get(i);
            identityRows.add(new Object[] {identity.blindIndex(), identity.id(), owners.get(i), identity.kind().stored,
                identity.system(), identity.keyId(), identity.ciphertext(), time, identity.verified(),
                sources.get(i).system(), sources.get(i).activity()});
        }
        batch.batchUpdate("INSERT INTO subject_identity (blind_index, id, subject_id, kind, system_key, key_id, ciphertext,"
                + " created_at, verified, source_system, source_activity) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                identityRows);
    }

    /** Which of these blind indexes are already known. */
    Set<String> knownBlindIndexes(Collection<String> blindIndexes) {
        Set<String> known = new HashSet<>();
        List<String> all = List.copyOf(blindIndexes);
        for (int from = 0; from < all.size(); from += 1000) {
            known.addAll(jdbc.sql("SELECT blind_index FROM subject_identity WHERE blind_index IN (:indexes)")
                    .param("indexes", all.subList(from, Math.min(all.size(), from + 1000))).query(String.class).list());
        }
        return known;
    }

    List<UUID> subjectsByBlindIndex(Collection<String> blindIndexes) {
        return jdbc.sql("SELECT DISTINCT subject_id FROM subject_identity WHERE blind_index IN (:indexes)")
                .param("indexes", blindIndexes).query(UUID.class).list();
    }

    boolean identityExists(String blindIndex) {
        return jdbc.sql("SELECT COUNT(*) FROM subject_identity WHERE blind_index = :index").param("index", blindIndex)
                .query(Long.class).single() > 0;
    }

    /** Stores an identity with the system and activity whose write brought it in (what a breach counts it under). */
    void insertIdentity(UUID subjectId, IdentityRow identity, Source source) {
        jdbc.sql("""
                INSERT INTO subject_identity (blind_index, id, subject_id, kind, system_key, key_id, ciphertext, created_at,
                                              verified, source_system, source_activity)
                VALUES (:index, :id, :subject, :kind, :system, :key, :ciphertext, :at, :verified, :sourceSystem,
                        :sourceActivity)
                """)
                .param("sourceSystem", source.system()).param("sourceActivity", source.activity())
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

    /** The person's identities, newest first. */
    List<IdentityRow> identities(UUID subjectId) {
        return jdbc.sql(IDENTITY_COLUMNS + " FROM subject_identity WHERE subject_id = :subject"
                + " ORDER BY created_at DESC, blind_index")
                .param("subject", subjectId).query(IdentityRepository::identityRow).list();
    }

    private static IdentityRow identityRow(ResultSet rs, int row) throws SQLException {
        return new IdentityRow(rs.getString("blind_index"), rs.getObject("id", UUID.class),
                IdentityKind.ofStored(rs.getString("kind")), rs.getString("system_key"), rs.getObject("key_id", UUID.class), rs.getBytes("ciphertext"),
                instant(rs, "created_at"), rs.getBoolean("verified"));
    }

    int deleteIdentities(UUID subjectId) {
        return jdbc.sql("DELETE FROM subject_identity WHERE subject_id = :subject").param("subject", subjectId).update();
    }
}
