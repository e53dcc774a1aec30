package no.personvern.retention.internal;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import no.personvern.Problems;
import no.personvern.Refusal.Kind;
import no.personvern.retention.LegalHold;
import no.personvern.retention.LegalHolds;
import no.personvern.retention.RetentionEvents;
import no.personvern.subjects.Vault;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

@Service
class LegalHoldService implements LegalHolds {

    private static final String COLUMNS = "id, subject_id, reason, hold_until, placed_at, released_at, erase_on_release";
    private static final String IN_FORCE = "released_at IS NULL AND (hold_until IS NULL OR hold_until > :at)";

    private final JdbcClient jdbc;
    private final Vault vault;
    private final ApplicationEventPublisher events;
    private final Clock clock;

    LegalHoldService(JdbcClient jdbc, Vault vault, ApplicationEventPublisher events, Clock clock) {
        this.jdbc = jdbc;
        this.vault = vault;
        this.events = events;
        this.clock = clock;
    }

    @Override
    @Transactional
    public LegalHold place(UUID subjectId, String reason, Instant until) {
        if (subjectId == null) {
            throw Problems.invalid("subjectId", "required");
        }
        if (reason == null || reason.isBlank()) {
            throw Problems.invalid("reason", "required: the claim or proceedings the data is kept for");
        }
        if (reason.strip().length() > 500) {
            throw Problems.invalid("reason", "at most 500 characters");
        }
        Instant now = clock.instant();
        if (until != null && !until.isAfter(now)) {
            throw Problems.invalid("until", "must lie in the future");
        }
        if (!vault.isLive(subjectId)) {
            throw Problems.refusal(Kind.NOT_FOUND, "Not found", "No person " + subjectId + " is held.",
                    "subjectId");
        }
        UUID id = UUID.randomUUID();
        jdbc.sql("""
                INSERT INTO legal_hold (id, subject_id, reason, hold_until, placed_by, placed_at)
                VALUES (:id, :subject, :reason, :until, :by, :at)""")
                .param("id", id).param("subject", subjectId).param("reason", reason.strip())
                .param("until", until == null ? null : time(until)).param("by", actor()).param("at", time(now))
                .update();
        events.publishEvent(new RetentionEvents.LegalHoldPlaced(id, subjectId, until == null ? "until released"
                : until.toString()));
        return get(id);
    }

    @Override
    @Transactional
    public LegalHold release(UUID holdId, String reason) {
        String why = reason == null || reason.isBlank() ? null : reason.strip();
        if (why != null && why.length() > 500) {
            throw Problems.invalid("reason", "at most 500 characters");
        }
        LegalHold hold = get(holdId);
        if (!hold.active()) {
            throw Problems.refusal(Kind.CONFLICT, "Conflict", "The legal hold " + holdId + " has already ended.",
                    null);
        }
        jdbc.sql("""
                UPDATE legal_hold SET released_at = :at, released_by = :by, release_reason = :reason
                WHERE id = :id AND released_at IS NULL""")
                .param("at", time(clock.instant())).param("by", actor()).param("reason", why).param("id", holdId)
                .update();
        events.publishEvent(new RetentionEvents.LegalHoldReleased(holdId, hold.subjectId()));
        return get(holdId);
    }

    @Override
    public LegalHold get(UUID holdId) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM legal_hold WHERE id = :id").param("id", holdId)
                .query(this::hold).optional().orElseThrow(() -> Problems.notFound("No legal hold " + holdId + "."));
    }

    @Override
    public List<Placed> inForce(Cursor after, int limit) {
        if (limit < 1 || limit > 200) {
            throw Problems.invalid("limit", "from 1 to 200");
        }
        Instant from = after == null ? Instant.EPOCH : after.placedAt();
        UUID fromId = after == null ? new UUID(0, 0) : after.id();
        // By the index (released_at, placed_at, id): the ended holds are never read.
        return jdbc.sql("SELECT " + COLUMNS + ", placed_by, released_by, release_reason FROM legal_hold"
                + " WHERE released_at IS NULL AND (hold_until IS NULL OR hold_until > :at)"
                + " AND (placed_at > :from OR (placed_at = :from AND id > :fromId))"
                + " ORDER BY placed_at, id LIMIT :limit")
                .param("at", time(clock.instant())).param("from", time(from)).param("fromId", fromId)
                .param("limit", limit)
                .query((rs, n) -> new Placed(hold(rs, n), rs.getString("placed_by"), rs.getString("released_by"),
                        rs.getString("release_reason")))
                .list();
    }

    @Override
    public List<LegalHold> active(UUID subjectId) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM legal_hold WHERE subject_id = :subject AND " + IN_FORCE
                + " ORDER BY placed_at").param("subject", subjectId).param("at", time(clock.instant()))
                .query(this::hold).list();
    }

    @Override
    @Transactional
    public void deferErasure(UUID subjectId) {
        jdbc.sql("UPDATE legal_hold SET erase_on_release = TRUE WHERE subject_id = :subject AND " + IN_FORCE)
                .param("subject", subjectId).param("at", time(clock.instant())).update();
    }

    /** Of these people, those under a hold in force at {@code at}. */
    Set<UUID> held(Collection<UUID> subjectIds, Instant at) {
        if (subjectIds.isEmpty()) {
            return Set.of();
        }
        return Set.copyOf(jdbc.sql("SELECT DISTINCT subject_id FROM legal_hold WHERE subject_id = ANY(:subjects) AND "
                + IN_FORCE).param("subjects", subjectIds.toArray(UUID[]::new)).param("at", time(at)).query(UUID.class).list());
    }

    /** People who asked for erasure while held, whose holds have all ended by {@code at}. */
    List<UUID> erasuresDue(Instant at, int limit) {
        return jdbc.sql("""
                SELECT DISTINCT h.subject_id FROM legal_hold h
                WHERE h.erase_on_release AND h.erased_at IS NULL
                  AND NOT EXISTS (SELECT 1 FROM legal_hold o WHERE o.subject_id = h.subject_id
                                  AND o.released_at IS NULL AND (o.hold_until IS NULL OR o.hold_until > :at))
                LIMIT :limit""").param("at", time(at)).param("limit", limit).query(UUID.class).list();
    }

    long countErasuresDue(Instant at) {
        return jdbc.sql("""
                SELECT COUNT(DISTINCT h.subject_id) FROM legal_hold h
                WHERE h.erase_on_release AND h.erased_at IS NULL
                  AND NOT EXISTS (SELECT 1 FROM legal_hold o WHERE o.subject_id = h.subject_id
                                  AND o.released_at IS NULL AND (o.hold_until IS NULL OR o.hold_until > :at))""")
                .param("at", time(at)).query(Long.class).single();
    }

    void erased(UUID subjectId, Instant at) {
        jdbc.sql("UPDATE legal_hold SET erased_at = :at WHERE subject_id = :subject AND erase_on_release")
                .param("at", time(at)).param("subject", subjectId).update();
    }

    private LegalHold hold(ResultSet rs, int n) throws SQLException {
        Instant until = instant(rs, "hold_until");
        Instant released = instant(rs, "released_at");
        Instant now = clock.instant();
        return new LegalHold(rs.getObject("id", UUID.class), rs.getObject("subject_id", UUID.class),
                rs.getString("reason"), until, instant(rs, "placed_at"), released,
                released == null && (until == null || until.isAfter(now)), rs.getBoolean("erase_on_release"));
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime time = rs.getObject(column, OffsetDateTime.class);
        return time == null ? null : time.toInstant();
    }

    static OffsetDateTime time(Instant instant) {
        return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }

    private static String actor() {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        return authentication == null ? "system" : authentication.getName();
    }
}
