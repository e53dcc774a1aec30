package no.personvern.retention.internal;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import no.personvern.catalog.RetentionRule;
import no.personvern.retention.RetentionRun;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/** The SQL of runs ({@code retention_run}) and of what starts the clocks ({@code retention_trigger}). */
@Repository
class RetentionRepository {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final TypeReference<TreeMap<String, Long>> COUNTS = new TypeReference<>() { };

    private final JdbcClient jdbc;

    RetentionRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    // ---- runs ------------------------------------------------------------------------------

    void insertRun(UUID id, boolean dryRun, Instant asOf, String startedBy, Instant at) {
        jdbc.sql("""
                INSERT INTO retention_run (id, status, dry_run, as_of, started_by, started_at, deleted, kept)
                VALUES (:id, 'running', :dry, :asOf, :by, :at, '{}', '{}')""")
                .param("id", id).param("dry", dryRun).param("asOf", time(asOf)).param("by", startedBy)
                .param("at", time(at)).update();
    }

    /** The run going, by the log: the latest still marked running. */
    Optional<UUID> running() {
        return jdbc.sql("SELECT id FROM retention_run WHERE status = 'running' ORDER BY started_at DESC, id LIMIT 1")
                .query(UUID.class).optional();
    }

    void abandonRunning(Instant at) {
        jdbc.sql("UPDATE retention_run SET status = 'abandoned', finished_at = :at WHERE status = 'running'")
                .param("at", time(at)).update();
    }

    void progress(UUID id, Map<String, Long> deleted, Map<String, Long> kept) {
        jdbc.sql("UPDATE retention_run SET deleted = :deleted, kept = :kept WHERE id = :id")
                .param("deleted", JSON.writeValueAsString(deleted)).param("kept", JSON.writeValueAsString(kept))
                .param("id", id).update();
    }

    void finish(UUID id, String status, Instant at, Map<String, Long> deleted, Map<String, Long> kept, String error) {
        jdbc.sql("""
                UPDATE retention_run SET status = :status, finished_at = :at, deleted = :deleted, kept = :kept,
                                         error = :error
                WHERE id = :id""")
                .param("status", status).param("at", time(at)).param("deleted", JSON.writeValueAsString(deleted))
                .param("kept", JSON.writeValueAsString(kept)).param("error", error).param("id", id).update();
    }

    Optional<RetentionRun> run(UUID id) {
        return jdbc.sql("SELECT * FROM retention_run WHERE id = :id").param("id", id).query(RetentionRepository::run)
                .optional();
    }

    List<RetentionRun> recent(int limit) {
        return jdbc.sql("SELECT * FROM retention_run ORDER BY started_at DESC, id LIMIT :limit")
                .param("limit", limit).query(RetentionRepository::run).list();
    }

    // ---- what starts the clocks -------------------------------------------------------------

    /** A clock started for one person: {@code activity} null for a contract end, which concerns every contract-bound one. */
    record Trigger(UUID id, UUID subjectId, Instant at) {
    }

    boolean hasPendingTrigger(UUID subjectId, RetentionRule.Trigger kind, String activity) {
        return jdbc.sql("SELECT COUNT(*) FROM retention_trigger WHERE subject_id = :subject AND kind = :kind"
                + " AND " + (activity == null ? "activity_key IS NULL" : "activity_key = :activity")
                + " AND swept_at IS NULL").param("subject", subjectId).param("kind", kind.key())
                .params(activity == null ? Map.of() : Map.of("activity", activity)).query(Long.class).single() > 0;
    }

    void insertTrigger(UUID subjectId, RetentionRule.Trigger kind, String activity, Instant at) {
        jdbc.sql("""
                INSERT INTO retention_trigger (id, subject_id, kind, activity_key, occurred_at)
                VALUES (:id, :subject, :kind, :activity, :at)""")
                .param("id", UUID.randomUUID()).param("subject", subjectId).param("kind", kind.key())
                .param("activity", activity).param("at", time(at)).update();
    }

    /** Unswept triggers of this kind (and activity, if given) at or before {@code cutoff}, a keyset page after {@code after}. */
    List<Trigger> dueTriggers(RetentionRule.Trigger kind, String activity, Instant cutoff, Trigger after, int limit) {
        return jdbc.sql("SELECT id, subject_id, occurred_at FROM retention_trigger WHERE kind = :kind"
                + (activity == null ? "" : " AND activity_key = :activity")
                + " AND swept_at IS NULL AND occurred_at <= :cutoff"
                + " AND (occurred_at, id) > (:at, :after)"
                + " ORDER BY occurred_at, id LIMIT :limit")
                .param("kind", kind.key()).params(activity == null ? Map.of() : Map.of("activity", activity))
                .param("cutoff", time(cutoff)).param("at", time(after.at())).param("after", after.id())
                .param("limit", limit)
                .query((rs, n) -> new Trigger(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class),
                        rs.getObject(3, OffsetDateTime.class).toInstant())).list();
    }

    void deleteTrigger(UUID id) {
        jdbc.sql("DELETE FROM retention_trigger WHERE id = :id").param("id", id).update();
    }

    void markSwept(List<UUID> triggerIds, Instant at) {
        jdbc.sql("UPDATE retention_trigger SET swept_at = :at WHERE id = ANY(:ids)")
                .param("at", time(at)).param("ids", triggerIds.toArray(UUID[]::new)).update();
    }

    /** Contract ends at or before {@code cutoff} of people under no legal hold in force at {@code asOf}, swept at {@code now}. */
    void markContractEndsSwept(Instant cutoff, Instant asOf, Instant now) {
        jdbc.sql("""
                UPDATE retention_trigger SET swept_at = :now
                WHERE kind = 'contract-end' AND swept_at IS NULL AND occurred_at <= :cutoff
                  AND NOT EXISTS (SELECT 1 FROM legal_hold h WHERE h.subject_id = retention_trigger.subject_id
                                  AND h.released_at IS NULL AND (h.hold_until IS NULL OR h.hold_until > :asOf))""")
                .param("now", time(now)).param("cutoff", time(cutoff)).param("asOf", time(asOf)).update();
    }

    // ---- people flagged as inactive ----------------------------------------------------------

    /** Of these people, those whose contract end was reported (its clock, not a flag, deals with them). */
    java.util.Set<UUID> withContractEnd(java.util.Collection<UUID> subjectIds) {
        return new java.util.HashSet<>(jdbc.sql("SELECT DISTINCT subject_id FROM retention_trigger"
                + " WHERE kind = 'contract-end' AND subject_id = ANY(:subjects)")
                .param("subjects", subjectIds.toArray(UUID[]::new)).query(UUID.class).list());
    }

    /** Of these people, those flagged after {@code since}: told about in this period already. */
    java.util.Set<UUID> flaggedAfter(java.util.Collection<UUID> subjectIds, Instant since) {
        return new java.util.HashSet<>(jdbc.sql("SELECT subject_id FROM inactive_flag"
                + " WHERE subject_id = ANY(:subjects) AND flagged_at > :since")
                .param("subjects", subjectIds.toArray(UUID[]::new)).param("since", time(since))
                .query(UUID.class).list());
    }

    void markFlagged(List<UUID> subjectIds, Instant at) {
        jdbc.sql("DELETE FROM inactive_flag WHERE subject_id = ANY(:subjects)")
                .param("subjects", subjectIds.toArray(UUID[]::new)).update();
        for (UUID subjectId : subjectIds) {
            jdbc.sql("INSERT INTO inactive_flag (subject_id, flagged_at) VALUES (:subject, :at)")
                    .param("subject", subjectId).param("at", time(at)).update();
        }
    }

    private static RetentionRun run(ResultSet rs, int n) throws SQLException {
        return new RetentionRun(rs.getObject("id", UUID.class), rs.getString("status"), rs.getBoolean("dry_run"),
                instant(rs, "as_of"), instant(rs, "started_at"), instant(rs, "finished_at"),
                JSON.readValue(rs.getString("deleted"), COUNTS), JSON.readValue(rs.getString("kept"), COUNTS),
                rs.getString("error"));
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime time = rs.getObject(column, OffsetDateTime.class);
        return time == null ? null : time.toInstant();
    }

    private static OffsetDateTime time(Instant instant) {
        return LegalHoldService.time(instant);
    }
}
