package no.personvern.requests.internal;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import no.personvern.requests.RequestStatus;
import no.personvern.requests.RequestType;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The table {@code data_request}. Each save writes only the columns its transition changes (other
 * parts write the attention column meanwhile) and publishes the events the record registered, in
 * the caller's transaction.
 */
@Repository
class RequestRepository {

    /** The width of {@code data_request.attention}. */
    static final int ATTENTION_LIMIT = 500;

    private final JdbcClient jdbc;
    private final ApplicationEventPublisher events;

    RequestRepository(JdbcClient jdbc, ApplicationEventPublisher events) {
        this.jdbc = jdbc;
        this.events = events;
    }

    /** An access package as stored: where it is, the hash of its token, when the link lapses. */
    record Download(UUID subjectId, UUID packageId, String hash, Instant expires) {
    }

    Optional<RequestRecord> find(UUID id) {
        return jdbc.sql("SELECT * FROM data_request WHERE id = :id").param("id", id).query(RequestRepository::record)
                .optional();
    }

    /** The request, locked until the transaction ends. */
    Optional<RequestRecord> lock(UUID id) {
        return jdbc.sql("SELECT * FROM data_request WHERE id = :id FOR UPDATE").param("id", id)
                .query(RequestRepository::record).optional();
    }

    void insert(RequestRecord request) {
        jdbc.sql("""
                INSERT INTO data_request (id, type, status, channel, subject_id, lang, verified_by, code_hash, code_salt,
                                          code_expires, received_at, due_at, created_subject, requester_identity,
                                          awaits_identity, message_note, outcome, closed_at, due_by, filed_by)
                VALUES (:id, :type, :status, :channel, :subject, :lang, :verifiedBy, :hash, :salt, :expires, :at, :due,
                        :created, :requester, :awaits, :note, :outcome, :closed, :dueBy, :filedBy)""")
                .param("id", request.id()).param("type", request.type().key()).param("status", request.status().key())
                .param("channel", request.channel()).param("subject", request.subjectId()).param("lang", request.lang())
                .param("verifiedBy", request.verifiedBy()).param("hash", request.codeHash())
                .param("salt", request.codeSalt()).param("expires", time(request.codeExpires()))
                .param("at", time(request.receivedAt())).param("due", time(request.dueAt()))
                .param("created", request.createdSubject()).param("requester", request.requesterIdentity())
                .param("awaits", request.awaitsIdentity()).param("note", request.messageNote())
                .param("outcome", request.outcome()).param("closed", time(request.closedAt()))
                .param("dueBy", time(request.dueBy())).param("filedBy", request.filedBy()).update();
        publish(request);
    }

    /** After a wrong code: the count, and the status (locked at the fifth). */
    void saveCodeAttempt(RequestRecord request) {
        jdbc.sql("UPDATE data_request SET failed_codes = :failed, status = :status WHERE id = :id")
                .param("failed", request.failedCodes()).param("status", request.status().key())
                .param("id", request.id()).update();
        publish(request);
    }

    /** Verified: the receipt time and the deadline stay as they were (Art. 12(3) counts from receipt). */
    void saveOpened(RequestRecord request) {
        jdbc.sql("UPDATE data_request SET status = :status, code_hash = NULL WHERE id = :id")
                .param("status", request.status().key()).param("id", request.id()).update();
        publish(request);
    }

    /** Art. 12(5): refused at verification as manifestly excessive. */
    void saveRefused(RequestRecord request) {
        jdbc.sql("""
                UPDATE data_request SET status = :status, code_hash = NULL, outcome = :outcome, closed_at = :at
                WHERE id = :id""")
                .param("status", request.status().key()).param("outcome", request.outcome())
                .param("at", time(request.closedAt())).param("id", request.id()).update();
        publish(request);
    }

    /** Whether a request of the person was refused as excessive since {@code since} (one refusal per window). */
    boolean refusedSince(UUID subjectId, Instant since, String reasonStart) {
        return jdbc.sql("""
                SELECT COUNT(*) FROM data_request WHERE subject_id = :subject AND status = :rejected
                AND closed_at > :since AND outcome LIKE :reason""")
                .param("subject", subjectId).param("rejected", RequestStatus.REJECTED.key())
                .param("since", time(since)).param("reason", reasonStart + "%").query(Long.class).single() > 0;
    }

    /** The handles of the messages of unverified (or locked) requests received before {@code limit}. */
    java.util.Set<UUID> staleMessages(Instant limit) {
        return new java.util.HashSet<>(jdbc.sql("""
                SELECT message_note FROM data_request WHERE status IN (:stale) AND received_at < :limit
                AND message_note IS NOT NULL""")
                .param("stale", staleKeys()).param("limit", time(limit)).query(UUID.class).list());
    }

    void saveLinked(RequestRecord request) {
        jdbc.sql("""
                UPDATE data_request SET status = :status, linked_to = :open, code_hash = NULL, closed_at = :at
                WHERE id = :id""")
                .param("status", request.status().key()).param("open", request.linkedTo())
                .param("at", time(request.closedAt())).param("id", request.id()).update();
        publish(request);
    }

    void saveIdentityConfirmed(RequestRecord request) {
        jdbc.sql("""
                UPDATE data_request SET awaits_identity = :awaits, verified_by = :verifiedBy, attention = :attention
                WHERE id = :id""")
                .param("awaits", request.awaitsIdentity()).param("verifiedBy", request.verifiedBy())
                .param("attention", request.attention()).param("id", request.id()).update();
        publish(request);
    }

    void saveStarted(RequestRecord request) {
        jdbc.sql("UPDATE data_request SET status = :status WHERE id = :id")
                .param("status", request.status().key()).param("id", request.id()).update();
        publish(request);
    }

    void saveAwaitingDecision(RequestRecord request) {
        jdbc.sql("UPDATE data_request SET status = :status, outcome = :outcome WHERE id = :id")
                .param("status", request.status().key()).param("outcome", request.outcome())
                .param("id", request.id()).update();
        publish(request);
    }

    /**
     * Extended (Art. 12(3)): the deadline reminders start over, so the DPO is reminded 7 days
     * before the extended deadline and when it has passed.
     */
    void saveExtended(RequestRecord request) {
        jdbc.sql("UPDATE data_request SET extended_until = :until, due_by = :until, extension_reason = :reason,"
                + " reminded_at = NULL, overdue_mailed_at = NULL WHERE id = :id")
                .param("until", time(request.extendedUntil())).param("reason", request.extensionReason())
                .param("id", request.id()).update();
        publish(request);
    }

    /** Completed or rejected, with its outcome. */
    void saveClosed(RequestRecord request) {
        jdbc.sql("UPDATE data_request SET status = :status, outcome = :outcome, closed_at = :at WHERE id = :id")
                .param("status", request.status().key()).param("outcome", request.outcome())
                .param("at", time(request.closedAt())).param("id", request.id()).update();
        publish(request);
    }

    void saveDelivered(RequestRecord request) {
        RequestRecord.StoredPackage stored = request.stored();
        jdbc.sql("""
                UPDATE data_request SET status = :status, outcome = :outcome, package_id = :package,
                       package_hash = :hash, package_expires = :expires, closed_at = :at
                WHERE id = :id""")
                .param("status", request.status().key()).param("outcome", request.outcome())
                .param("package", stored.packageId()).param("hash", stored.hash())
                .param("expires", time(stored.expires())).param("at", time(request.closedAt()))
                .param("id", request.id()).update();
        publish(request);
    }

    /**
     * Claims the fulfilment of a request: true for the one caller that gets it, and only while the
     * request is still open or in progress: one staff rejected or closed meanwhile is not carried out.
     */
    boolean claimExecution(UUID id, Instant now) {
        return jdbc.sql("""
                UPDATE data_request SET executed_at = :at
                WHERE id = :id AND executed_at IS NULL AND status IN (:open, :inProgress)""")
                .param("at", time(now)).param("id", id)
                .param("open", RequestStatus.OPEN.key()).param("inProgress", RequestStatus.IN_PROGRESS.key())
                .update() > 0;
    }

    /** Requests the person proved the address for (or staff filed) since {@code since}, for the hourly limit. */
    long acceptedSince(UUID subjectId, Instant since) {
        return jdbc.sql("""
                SELECT COUNT(*) FROM data_request WHERE subject_id = :subject AND received_at > :since
                AND status NOT IN (:unaccepted) AND NOT awaits_identity""")
                .param("subject", subjectId).param("since", time(since))
                .param("unaccepted", keys(RequestStatus.UNVERIFIED, RequestStatus.LOCKED, RequestStatus.EXPIRED))
                .query(Long.class).single();
    }

    /**
     * The person's earliest waiting request of this type that is theirs (not waiting for an identity):
     * open, in progress, or an erasure waiting for a DPO's approval.
     */
    Optional<UUID> openDuplicate(UUID subjectId, RequestType type, UUID except) {
        return jdbc.sql("""
                SELECT id FROM data_request WHERE subject_id = :subject AND type = :type
                AND status IN (:active) AND NOT awaits_identity ORDER BY received_at LIMIT 1""")
                .param("subject", subjectId).param("type", type.key()).param("active", waitingKeys())
                .query(UUID.class).optional().filter(id -> !id.equals(except));
    }

    /** The earliest active request of this type from this very address that waits for someone to confirm the person. */
    Optional<UUID> waitingForIdentity(UUID subjectId, RequestType type, UUID requesterIdentity) {
        return jdbc.sql("""
                SELECT id FROM data_request WHERE subject_id = :subject AND type = :type AND awaits_identity
                AND requester_identity = :requester AND status IN (:active)
                ORDER BY received_at LIMIT 1""")
                .param("subject", subjectId).param("type", type.key()).param("requester", requesterIdentity)
                .param("active", activeKeys()).query(UUID.class).optional();
    }

    /** Requests by status and deadline (the extended one where given), the nearest first. */
    /** The person's requests, newest first (index data_request_subject). */
    List<RequestRecord> ofSubject(UUID subjectId, int limit) {
        return jdbc.sql("SELECT * FROM data_request WHERE subject_id = :subject ORDER BY received_at DESC, id LIMIT :limit")
                .param("subject", subjectId).param("limit", limit).query(RequestRepository::record).list();
    }

    List<RequestRecord> search(RequestStatus status, Instant dueBefore, Instant overdueAt, int limit) {
        StringBuilder sql = new StringBuilder("SELECT * FROM data_request WHERE 1 = 1");
        Map<String, Object> params = new LinkedHashMap<>();
        if (status != null) {
            sql.append(" AND status = :status");
            params.put("status", status.key());
        }
        if (dueBefore != null) {
            sql.append(" AND COALESCE(extended_until, due_at) < :due");
            params.put("due", time(dueBefore));
        }
        if (overdueAt != null) {
            sql.append(" AND status IN (:active) AND COALESCE(extended_until, due_at) < :now");
            params.put("active", activeKeys());
            params.put("now", time(overdueAt));
        }
        sql.append(" ORDER BY COALESCE(extended_until, due_at), id LIMIT :limit");
        params.put("limit", limit);
        JdbcClient.StatementSpec statement = jdbc.sql(sql.toString());
        for (Map.Entry<String, Object> param : params.entrySet()) {
            statement = statement.param(param.getKey(), param.getValue());
        }
        return statement.query(RequestRepository::record).list();
    }

    /**
     * The person's requests for their access package, without those from an address nobody has
     * tied to the person: a stranger made them.
     */
    List<PackageBuilder.PackageData.PastRequest> historyOf(UUID subjectId) {
        return jdbc.sql("""
                SELECT id, type, status, channel, received_at, due_at
                FROM data_request WHERE subject_id = :subject AND NOT awaits_identity ORDER BY received_at""")
                .param("subject", subjectId)
                .query((rs, n) -> new PackageBuilder.PackageData.PastRequest(rs.getObject("id", UUID.class).toString(),
                        rs.getString("type"), rs.getString("status"), rs.getString("channel"),
                        instant(rs, "received_at").toString(), instant(rs, "due_at").toString()))
                .list();
    }

    /** The salted hash of a request's status key, and its salt; empty when none was issued. */
    record StatusKey(String salt, String hash) {
    }

    void saveStatusKey(UUID id, String salt, String hash) {
        jdbc.sql("UPDATE data_request SET status_key_salt = :salt, status_key_hash = :hash WHERE id = :id")
                .param("salt", salt).param("hash", hash).param("id", id).update();
    }

    Optional<StatusKey> statusKey(UUID id) {
        return jdbc.sql("""
                SELECT status_key_salt, status_key_hash FROM data_request
                WHERE id = :id AND status_key_hash IS NOT NULL""").param("id", id)
                .query((rs, n) -> new StatusKey(rs.getString("status_key_salt"), rs.getString("status_key_hash")))
                .optional();
    }

    void saveFullKey(UUID id, String salt, String hash) {
        jdbc.sql("UPDATE data_request SET full_key_salt = :salt, full_key_hash = :hash WHERE id = :id")
                .param("salt", salt).param("hash", hash).param("id", id).update();
    }

    Optional<StatusKey> fullKey(UUID id) {
        return jdbc.sql("""
                SELECT full_key_salt, full_key_hash FROM data_request
                WHERE id = :id AND full_key_hash IS NOT NULL""").param("id", id)
                .query((rs, n) -> new StatusKey(rs.getString("full_key_salt"), rs.getString("full_key_hash")))
                .optional();
    }

    /** Whether the request's links were revoked (the person was erased). */
    boolean keysRevoked(UUID id) {
        return jdbc.sql("SELECT keys_revoked FROM data_request WHERE id = :id").param("id", id)
                .query(Boolean.class).optional().orElse(false);
    }

    /** An erased person's status links stop working at once. */
    void revokeKeys(UUID subjectId) {
        jdbc.sql("UPDATE data_request SET keys_revoked = TRUE WHERE subject_id = :subject AND status_key_hash IS NOT NULL")
                .param("subject", subjectId).update();
    }

    /** How many times the code of the request was mailed again. */
    int codeResends(UUID id) {
        return jdbc.sql("SELECT code_resends FROM data_request WHERE id = :id").param("id", id).query(Integer.class)
                .single();
    }

    /** A new code replaces the old one (null: not mailed, so none is held), valid until {@code expires}. */
    void saveResentCode(UUID id, String codeHash, Instant expires) {
        jdbc.sql("""
                UPDATE data_request SET code_hash = :hash, code_expires = :expires, code_resends = code_resends + 1
                WHERE id = :id""")
                .param("hash", codeHash).param("expires", time(expires)).param("id", id).update();
    }

    /** The package of a completed request, if it had one. */
    Optional<Download> download(UUID id) {
        return jdbc.sql("""
                SELECT subject_id, package_id, package_hash, package_expires FROM data_request
                WHERE id = :id AND status = :completed AND package_hash IS NOT NULL""")
                .param("id", id).param("completed", RequestStatus.COMPLETED.key())
                .query((rs, n) -> new Download(rs.getObject("subject_id", UUID.class),
                        rs.getObject("package_id", UUID.class), rs.getString("package_hash"),
                        instant(rs, "package_expires")))
                .optional();
    }

    /** Adds a reason for the DPO to look, after any already there (once; cut to the column's width). */
    void addAttention(UUID id, String text) {
        String before = jdbc.sql("SELECT attention FROM data_request WHERE id = :id").param("id", id)
                .query(String.class).optional().orElse(null);
        String attention = before == null ? text : before.contains(text) ? before : before + " " + text;
        jdbc.sql("UPDATE data_request SET attention = :attention WHERE id = :id")
                .param("attention", attention.length() > ATTENTION_LIMIT
                        ? attention.substring(0, ATTENTION_LIMIT - 1) + "…" : attention)
                .param("id", id).update();
    }

    // ---- objections (Art. 21(1)) ---------------------------------------------------------

    void insertObjection(UUID requestId, String activity, String decision, String reasons, Instant at) {
        jdbc.sql("""
                INSERT INTO request_objection_decision (request_id, activity_key, decision, reasons, decided_at)
                VALUES (:request, :activity, :decision, :reasons, :at)""")
                .param("request", requestId).param("activity", activity).param("decision", decision)
                .param("reasons", reasons).param("at", time(at)).update();
    }

    List<no.personvern.requests.DataRequest.ObjectionDecision> objections(UUID requestId) {
        return jdbc.sql("""
                SELECT activity_key, decision, reasons, decided_at FROM request_objection_decision
                WHERE request_id = :request ORDER BY decided_at, activity_key""").param("request", requestId)
                .query((rs, n) -> new no.personvern.requests.DataRequest.ObjectionDecision(rs.getString("activity_key"),
                        rs.getString("decision"), rs.getString("reasons"), instant(rs, "decided_at")))
                .list();
    }

    // ---- deadlines (Art. 12(3)) ----------------------------------------------------------

    /**
     * Open, in-progress or approval-waiting requests (the deadline runs on) whose reminder of {@code kind} is due at {@code now} and not yet
     * sent: 7 days before the (extended) deadline, or past it.
     */
    List<RequestRecord> reminderDue(boolean overdue, Instant now, java.time.Duration ahead) {
        String sql = overdue
                ? "SELECT * FROM data_request WHERE status IN (:active) AND overdue_mailed_at IS NULL"
                        + " AND COALESCE(extended_until, due_at) <= :at ORDER BY due_at LIMIT 500"
                : "SELECT * FROM data_request WHERE status IN (:active) AND reminded_at IS NULL"
                        + " AND COALESCE(extended_until, due_at) <= :at AND COALESCE(extended_until, due_at) > :now"
                        + " ORDER BY due_at LIMIT 500";
        JdbcClient.StatementSpec statement = jdbc.sql(sql).param("active", waitingKeys())
                .param("at", time(overdue ? now : now.plus(ahead)));
        if (!overdue) {
            statement = statement.param("now", time(now));
        }
        return statement.query(RequestRepository::record).list();
    }

    /** Records that the reminder was sent; false when another run did so first (each is sent once). */
    boolean markReminded(UUID id, boolean overdue, Instant at) {
        String column = overdue ? "overdue_mailed_at" : "reminded_at";
        return jdbc.sql("UPDATE data_request SET " + column + " = :at WHERE id = :id AND " + column + " IS NULL")
                .param("at", time(at)).param("id", id).update() == 1;
    }

    // ---- clean-up ------------------------------------------------------------------------

    /** Unverified (or locked) requests received before {@code limit}. */
    long countStale(Instant limit) {
        return jdbc.sql("SELECT COUNT(*) FROM data_request WHERE status IN (:stale) AND received_at < :limit")
                .param("stale", staleKeys()).param("limit", time(limit)).query(Long.class).single();
    }

    /** Expires unverified (or locked) requests received before {@code limit}; their codes go. */
    int expireStale(Instant limit, Instant now) {
        return jdbc.sql("""
                UPDATE data_request SET status = :expired, code_hash = NULL, closed_at = :now
                WHERE status IN (:stale) AND received_at < :limit""")
                .param("expired", RequestStatus.EXPIRED.key()).param("now", time(now)).param("stale", staleKeys())
                .param("limit", time(limit)).update();
    }

    /** People an expired request alone brought into the vault. */
    List<UUID> broughtInByExpired() {
        return jdbc.sql("SELECT DISTINCT subject_id FROM data_request WHERE created_subject AND status = :expired")
                .param("expired", RequestStatus.EXPIRED.key()).query(UUID.class).list();
    }

    /** Statuses of requests nobody vouched for, or that lapsed: no activity of the person, and hold nobody. */
    private static final java.util.List<String> UNVOUCHED = java.util.List.of(RequestStatus.UNVERIFIED.key(),
            RequestStatus.LOCKED.key(), RequestStatus.EXPIRED.key());

    boolean hasUnexpired(UUID subjectId) {
        return jdbc.sql("SELECT COUNT(*) FROM data_request WHERE subject_id = :subject AND status <> :expired")
                .param("subject", subjectId).param("expired", RequestStatus.EXPIRED.key()).query(Long.class)
                .single() > 0;
    }

    /**
     * Of these people, those with a request that has not expired. Only requests someone vouched for
     * count: a stranger filing with the person's address (unverified, locked) holds nobody.
     */
    java.util.Set<UUID> withUnexpired(java.util.Collection<UUID> subjectIds) {
        if (subjectIds.isEmpty()) {
            return java.util.Set.of();
        }
        return new java.util.HashSet<>(jdbc.sql("SELECT DISTINCT subject_id FROM data_request"
                + " WHERE subject_id = ANY(:subjects) AND status NOT IN (:unvouched)")
                .param("subjects", subjectIds.toArray(UUID[]::new)).param("unvouched", UNVOUCHED)
                .query(UUID.class).list());
    }

    /** Of these people, those who filed a request after {@code since}; unverified, locked and expired ones do not count. */
    java.util.Set<UUID> filedSince(java.util.Collection<UUID> subjectIds, Instant since) {
        if (subjectIds.isEmpty()) {
            return java.util.Set.of();
        }
        return new java.util.HashSet<>(jdbc.sql("SELECT DISTINCT subject_id FROM data_request"
                + " WHERE subject_id = ANY(:subjects) AND received_at > :since AND status NOT IN (:unvouched)")
                .param("subjects", subjectIds.toArray(UUID[]::new)).param("unvouched", UNVOUCHED)
                .param("since", java.time.OffsetDateTime.ofInstant(since, java.time.ZoneOffset.UTC))
                .query(UUID.class).list());
    }

    /** The person is no longer the requests' to erase: erased, or kept by something else. */
    void forgetBroughtIn(UUID subjectId) {
        jdbc.sql("UPDATE data_request SET created_subject = FALSE WHERE subject_id = :subject")
                .param("subject", subjectId).update();
    }

    /** Requests whose package link has lapsed by {@code at}: request id to package id. */
    Map<UUID, UUID> lapsedPackages(Instant at) {
        Map<UUID, UUID> lapsed = new LinkedHashMap<>();
        jdbc.sql("SELECT id, package_id FROM data_request WHERE package_id IS NOT NULL AND package_expires <= :at")
                .param("at", time(at))
                .query((rs, n) -> lapsed.put(rs.getObject("id", UUID.class), rs.getObject("package_id", UUID.class)))
                .list();
        return lapsed;
    }

    void dropPackage(UUID id) {
        jdbc.sql("UPDATE data_request SET package_id = NULL WHERE id = :id").param("id", id).update();
    }

    // ---- mapping -------------------------------------------------------------------------

    private void publish(RequestRecord request) {
        request.takeEvents().forEach(events::publishEvent);
    }

    private static List<String> activeKeys() {
        return keys(RequestStatus.OPEN, RequestStatus.IN_PROGRESS);
    }

    /** Requests whose Art. 12(3) deadline runs: active ones and erasures waiting for a DPO's approval. */
    static List<String> waitingKeys() {
        return keys(RequestStatus.OPEN, RequestStatus.IN_PROGRESS, RequestStatus.AWAITING_APPROVAL);
    }

    private static List<String> staleKeys() {
        return keys(RequestStatus.UNVERIFIED, RequestStatus.LOCKED);
    }

    private static List<String> keys(RequestStatus... statuses) {
        return java.util.Arrays.stream(statuses).map(RequestStatus::key).toList();
    }

    private static RequestRecord record(ResultSet rs, int n) throws SQLException {
        RequestRecord request = new RequestRecord(rs.getObject("id", UUID.class), RequestType.fromKey(rs.getString("type")).orElseThrow(),
                RequestStatus.fromKey(rs.getString("status")).orElseThrow(), rs.getString("channel"),
                rs.getObject("subject_id", UUID.class), rs.getString("lang"), rs.getString("code_hash"),
                rs.getString("code_salt"), instant(rs, "code_expires"), rs.getInt("failed_codes"),
                instant(rs, "received_at"), instant(rs, "due_at"), instant(rs, "extended_until"),
                rs.getString("extension_reason"), rs.getString("outcome"), rs.getObject("linked_to", UUID.class),
                instant(rs, "closed_at"), rs.getString("attention"), rs.getObject("requester_identity", UUID.class),
                rs.getBoolean("awaits_identity"), rs.getBoolean("created_subject"), rs.getString("verified_by"));
        request.keepMessage(rs.getObject("message_note", UUID.class));
        request.filedBy(rs.getObject("filed_by", UUID.class));
        return request;
    }

    static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime time = rs.getObject(column, OffsetDateTime.class);
        return time == null ? null : time.toInstant();
    }

    static OffsetDateTime time(Instant instant) {
        return instant == null ? null : OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }
}
