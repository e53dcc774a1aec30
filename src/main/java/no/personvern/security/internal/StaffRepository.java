package no.personvern.security.internal;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import no.personvern.security.StaffMember;
import no.personvern.security.StaffRole;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

@Repository
class StaffRepository {

    private static final String COLUMNS = """
            id, username, display_name, email, role, active, password_hash, invite_expires_at, created_at,
            last_sign_in_at, failed_sign_ins, locked_until""";

    /** A row with what never leaves this module: the password hash and the lock-out state. */
    record StoredMember(StaffMember member, String passwordHash, int failedSignIns, Instant lockedUntil) {
    }

    private final JdbcClient jdbc;

    StaffRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    void insert(StaffMember member, String passwordHash, String inviteHash, UUID invitedBy) {
        jdbc.sql("""
                INSERT INTO staff_member (id, username, display_name, email, role, password_hash, active,
                    invite_hash, invite_expires_at, invited_by, created_at)
                VALUES (:id, :username, :name, :email, :role, :password, :active, :invite, :inviteExpires,
                    :invitedBy, :createdAt)""")
                .param("id", member.id()).param("username", member.username()).param("name", member.displayName())
                .param("email", member.email()).param("role", member.role().key()).param("password", passwordHash)
                .param("active", member.active()).param("invite", inviteHash)
                .param("inviteExpires", at(member.inviteExpiresAt())).param("invitedBy", invitedBy)
                .param("createdAt", at(member.createdAt()))
                .update();
    }

    boolean any() {
        return jdbc.sql("SELECT COUNT(*) FROM staff_member").query(Long.class).single() > 0;
    }

    List<StaffMember> all() {
        return jdbc.sql("SELECT " + COLUMNS + " FROM staff_member ORDER BY active DESC, display_name, username")
                .query((rs, row) -> read(rs).member()).list();
    }

    Optional<StoredMember> find(UUID id) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM staff_member WHERE id = :id").param("id", id)
                .query((rs, row) -> read(rs)).optional();
    }

    Optional<StoredMember> byUsername(String username) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM staff_member WHERE username = :username")
                .param("username", username).query((rs, row) -> read(rs)).optional();
    }

    Optional<StoredMember> lock(UUID id) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM staff_member WHERE id = :id FOR UPDATE").param("id", id)
                .query((rs, row) -> read(rs)).optional();
    }

    Optional<StoredMember> byInvite(String inviteHash) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM staff_member WHERE invite_hash = :hash FOR UPDATE")
                .param("hash", inviteHash).query((rs, row) -> read(rs)).optional();
    }

    boolean usernameTaken(String username) {
        return jdbc.sql("SELECT COUNT(*) FROM staff_member WHERE username = :username").param("username", username)
                .query(Long.class).single() > 0;
    }

    /**
     * Active DPOs other than {@code id} who can sign in (an invitation not yet accepted does not count),
     * counted under lock so two changes cannot both remove the last.
     */
    long otherActiveDpos(UUID id) {
        return jdbc.sql("""
                SELECT id FROM staff_member WHERE role = 'dpo' AND active AND password_hash IS NOT NULL AND id <> :id
                FOR UPDATE""")
                .param("id", id).query(UUID.class).list().size();
    }

    void signedIn(UUID id, Instant at) {
        jdbc.sql("UPDATE staff_member SET failed_sign_ins = 0, locked_until = NULL, last_sign_in_at = :at WHERE id = :id")
                .param("id", id).param("at", at(at)).update();
    }

    void failed(UUID id, int failures, Instant lockedUntil) {
        jdbc.sql("UPDATE staff_member SET failed_sign_ins = :failures, locked_until = :locked WHERE id = :id")
                .param("id", id).param("failures", failures).param("locked", at(lockedUntil)).update();
    }

    void invitation(UUID id, String inviteHash, Instant expiresAt) {
        jdbc.sql("UPDATE staff_member SET invite_hash = :hash, invite_expires_at = :expires WHERE id = :id")
                .param("id", id).param("hash", inviteHash).param("expires", at(expiresAt)).update();
    }

    void password(UUID id, String passwordHash) {
        jdbc.sql("""
                UPDATE staff_member SET password_hash = :hash, invite_hash = NULL, invite_expires_at = NULL,
                    failed_sign_ins = 0, locked_until = NULL WHERE id = :id""")
                .param("id", id).param("hash", passwordHash).update();
    }

    void role(UUID id, StaffRole role) {
        jdbc.sql("UPDATE staff_member SET role = :role WHERE id = :id").param("id", id).param("role", role.key()).update();
    }

    void active(UUID id, boolean active) {
        jdbc.sql("UPDATE staff_member SET active = :active WHERE id = :id").param("id", id).param("active", active)
                .update();
    }

    private static StoredMember read(ResultSet rs) throws SQLException {
        String hash = rs.getString("password_hash");
        Instant inviteExpires = instant(rs, "invite_expires_at");
        StaffMember member = new StaffMember(rs.getObject("id", UUID.class), rs.getString("username"),
                rs.getString("display_name"), rs.getString("email"),
                StaffRole.fromKey(rs.getString("role")).orElseThrow(), rs.getBoolean("active"),
                hash == null, inviteExpires, instant(rs, "created_at"), instant(rs, "last_sign_in_at"));
        return new StoredMember(member, hash, rs.getInt("failed_sign_ins"), instant(rs, "locked_until"));
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    private static OffsetDateTime at(Instant instant) {
        return instant == null ? null : OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }
}
