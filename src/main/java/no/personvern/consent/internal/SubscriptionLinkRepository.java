package no.personvern.consent.internal;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Collection;
import java.util.List;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The SQL of the privacy centre's subscription links ({@code subscription_link}, V34) and what a link shows. */
@Repository
class SubscriptionLinkRepository {

    /** A person with subscriptions, and the identity they were made with (null: before identities were kept). */
    record Subscriber(UUID subjectId, UUID identityId) {
    }

    /** One row of a link: one person the address belongs to. */
    record Link(String tokenHash, UUID subjectId, UUID identityId, Instant expiresAt) {
    }

    /** One subscription as a link sees it. */
    record Held(UUID id, UUID subjectId, String list, String status, Instant createdAt, Instant confirmedAt,
            Instant endedAt) {
    }

    private final JdbcClient jdbc;

    SubscriptionLinkRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Each person among {@code subjects} with subscriptions, once per identity they subscribed with. */
    List<Subscriber> subscribers(Collection<UUID> subjects) {
        if (subjects.isEmpty()) {
            return List.of();
        }
        return jdbc.sql("SELECT DISTINCT subject_id, identity_id FROM subscription WHERE subject_id IN (:subjects)")
                .param("subjects", subjects)
                .query((rs, n) -> new Subscriber(rs.getObject("subject_id", UUID.class),
                        rs.getObject("identity_id", UUID.class)))
                .list();
    }

    /** Forgets links that expired before {@code before}. */
    void deleteExpiredBefore(Instant before) {
        jdbc.sql("DELETE FROM subscription_link WHERE expires_at < :before").param("before", time(before)).update();
    }

    void insert(String tokenHash, Subscriber subscriber, Instant createdAt, Instant expiresAt) {
        jdbc.sql("""
                INSERT INTO subscription_link (id, token_hash, subject_id, identity_id, created_at, expires_at)
                VALUES (:id, :hash, :subject, :identity, :at, :expires)""")
                .param("id", UUID.randomUUID()).param("hash", tokenHash)
                .param("subject", subscriber.subjectId()).param("identity", subscriber.identityId())
                .param("at", time(createdAt)).param("expires", time(expiresAt))
                .update();
    }

    List<Link> byHash(String tokenHash) {
        return jdbc.sql("SELECT token_hash, subject_id, identity_id, expires_at FROM subscription_link"
                + " WHERE token_hash = :hash")
                .param("hash", tokenHash)
                .query((rs, n) -> new Link(rs.getString("token_hash"), rs.getObject("subject_id", UUID.class),
                        rs.getObject("identity_id", UUID.class), instant(rs, "expires_at")))
                .list();
    }

    /** The subscriptions the link's person made with its address, by list. */
    List<Held> subscriptions(Link link) {
        return jdbc.sql("SELECT id, subject_id, list_key, status, created_at, confirmed_at, ended_at"
                + " FROM subscription WHERE subject_id = :subject"
                + (link.identityId() == null ? " AND identity_id IS NULL" : " AND identity_id = :identity")
                + " ORDER BY list_key, created_at")
                .param("subject", link.subjectId()).param("identity", link.identityId())
                .query((rs, n) -> new Held(rs.getObject("id", UUID.class), rs.getObject("subject_id", UUID.class),
                        rs.getString("list_key"), rs.getString("status"), instant(rs, "created_at"),
                        instant(rs, "confirmed_at"), instant(rs, "ended_at")))
                .list();
    }

    void deleteOf(UUID subjectId) {
        jdbc.sql("DELETE FROM subscription_link WHERE subject_id = :subject").param("subject", subjectId).update();
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime time = rs.getObject(column, OffsetDateTime.class);
        return time == null ? null : time.toInstant();
    }

    private static OffsetDateTime time(Instant instant) {
        return SubscriptionService.time(instant);
    }
}
