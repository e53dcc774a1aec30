package no.personvern.audit.internal;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import no.personvern.audit.AuditEntry;
import no.personvern.audit.AuditEvent;
import no.personvern.audit.AuditTrail;
import no.personvern.audit.AuditVerification;
import no.personvern.audit.PseudonymKey;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * Records entries in the publisher's transaction (so a change and its entry commit together),
 * chains them in batches behind a lock on the head row (so the chain is one strict order across
 * instances, without making every change wait for that lock), and verifies the chain.
 */
@Service
class AuditLog implements AuditTrail, SmartInitializingSingleton {

    private static final int PAGE = 1000;
    private static final JsonMapper CANONICAL = JsonMapper.builder()
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS).build();

    private final JdbcClient jdbc;
    private final Clock clock;
    private final TransactionTemplate transactions;
    private final PseudonymKey pseudonymKey;
    private final TransactionEntries entries;
    private volatile byte[] refKey;

    AuditLog(JdbcClient jdbc, Clock clock, TransactionTemplate transactions, PseudonymKey pseudonymKey,
            TransactionEntries entries) {
        this.jdbc = jdbc;
        this.entries = entries;
        this.clock = clock;
        this.transactions = transactions;
        this.pseudonymKey = pseudonymKey;
    }

    /**
     * Records the event in the publisher's transaction: the entry commits with the change, or not at
     * all. Deliberately synchronous, not an {@code @ApplicationModuleListener}: an entry written after
     * the commit could be lost by a crash in between, or be written for a change that then rolled
     * back; in the same transaction neither can happen, and no event needs to be stored for it. The
     * entries of a transaction go in together just before it commits ({@link TransactionEntries}).
     */
    @EventListener
    @Transactional
    public void on(AuditEvent event) {
        Instant at = clock.instant().truncatedTo(ChronoUnit.MICROS);
        String subjectRef = event.subjectId() == null ? null : subjectRef(event.subjectId());
        entries.add(new TransactionEntries.Entry(OffsetDateTime.ofInstant(at, ZoneOffset.UTC), actor(),
                event.action(), subjectRef, CANONICAL.writeValueAsString(new TreeMap<>(event.details()))));
    }

    /**
     * Moves committed pending entries into the chain, in id order, a batch per transaction. The
     * head row is locked for the batch, so chainers of several instances take turns and the chain
     * never forks. Runs every quarter second on a thread of its own ({@link AuditChainer}) and
     * before every read of the trail.
     */
    public void chainPending() {
        if (jdbc.sql("SELECT id FROM audit_pending ORDER BY id LIMIT 1").query(Long.class).optional().isEmpty()) {
            return;
        }
        while (Boolean.TRUE.equals(transactions.execute(status -> chainBatch()))) {
            // another full batch may be waiting
        }
    }

    private boolean chainBatch() {
        Map<String, Object> head = jdbc.sql("SELECT seq, hash FROM audit_head WHERE id = 1 FOR UPDATE").query().singleRow();
        List<Pending> pending = jdbc.sql("""
                SELECT id, at, actor, action, subject_ref, details FROM audit_pending ORDER BY id LIMIT :limit""")
                .param("limit", PAGE)
                .query((rs, row) -> new Pending(rs.getLong("id"), rs.getObject("at", OffsetDateTime.class).toInstant(),
                        rs.getString("actor"), rs.getString("action"), rs.getString("subject_ref"), rs.getString("details")))
                .list();
        if (pending.isEmpty()) {
            return false;
        }
        long seq = ((Number) head.get("seq")).longValue();
        String previous = (String) head.get("hash");
        for (Pending entry : pending) {
            seq++;
            String hash = hash(seq, entry.at, entry.actor, entry.action, entry.subjectRef, entry.details, previous);
            jdbc.sql("""
                    INSERT INTO audit_entry (seq, at, actor, action, subject_ref, details, prev_hash, hash)
                    VALUES (:seq, :at, :actor, :action, :ref, :details, :prev, :hash)
                    """)
                    .param("seq", seq).param("at", OffsetDateTime.ofInstant(entry.at, ZoneOffset.UTC))
                    .param("actor", entry.actor).param("action", entry.action).param("ref", entry.subjectRef)
                    .param("details", entry.details).param("prev", previous).param("hash", hash)
                    .update();
            previous = hash;
        }
        // Exactly the rows chained: one with a lower id may have committed since they were read.
        jdbc.sql("DELETE FROM audit_pending WHERE id IN (:ids)").param("ids", pending.stream().map(Pending::id).toList())
                .update();
        jdbc.sql("UPDATE audit_head SET seq = :seq, hash = :hash WHERE id = 1").param("seq", seq).param("hash", previous)
                .update();
        return pending.size() == PAGE;
    }

    private record Pending(long id, Instant at, String actor, String action, String subjectRef, String details) {
    }

    @Override
    public List<AuditEntry> entries(UUID subjectId, Instant from, Instant to, long afterSeq, int limit) {
        chainPending();
        StringBuilder sql = new StringBuilder("""
                SELECT seq, at, actor, action, subject_ref, details, hash FROM audit_entry WHERE seq > :after""");
        if (subjectId != null) {
            sql.append(" AND subject_ref = :ref");
        }
        if (from != null) {
            sql.append(" AND at >= :from");
        }
        if (to != null) {
            sql.append(" AND at < :to");
        }
        sql.append(" ORDER BY seq LIMIT :limit");
        JdbcClient.StatementSpec statement = jdbc.sql(sql.toString()).param("after", afterSeq).param("limit", limit);
        if (subjectId != null) {
            statement = statement.param("ref", subjectRef(subjectId));
        }
        if (from != null) {
            statement = statement.param("from", OffsetDateTime.ofInstant(from, ZoneOffset.UTC));
        }
        if (to != null) {
            statement = statement.param("to", OffsetDateTime.ofInstant(to, ZoneOffset.UTC));
        }
        return statement.query(AuditLog::entry).list();
    }

    @Override
    public List<AuditEntry> newestFirst(Filter filter, Long beforeSeq, int limit) {
        chainPending();
        Filter f = filter == null ? Filter.ALL : filter;
        StringBuilder sql = new StringBuilder("""
                SELECT seq, at, actor, action, subject_ref, details, hash FROM audit_entry WHERE 1 = 1""");
        java.util.Map<String, Object> params = new java.util.HashMap<>();
        if (beforeSeq != null) {
            sql.append(" AND seq < :before");
            params.put("before", beforeSeq);
        }
        if (f.subjectRef() != null) {
            sql.append(" AND subject_ref = :ref");
            params.put("ref", f.subjectRef());
        }
        if (f.actor() != null) {
            sql.append(" AND actor = :actor");
            params.put("actor", f.actor());
        }
        if (f.action() != null) {
            sql.append(" AND action = :action");
            params.put("action", f.action());
        }
        if (f.from() != null) {
            sql.append(" AND at >= :from");
            params.put("from", OffsetDateTime.ofInstant(f.from(), ZoneOffset.UTC));
            seqBound("SELECT seq FROM audit_entry WHERE at < :at ORDER BY at DESC LIMIT 1", f.from().minus(TIME_MARGIN))
                    .ifPresent(lower -> {
                        sql.append(" AND seq > :lower");
                        params.put("lower", lower);
                    });
        }
        if (f.to() != null) {
            sql.append(" AND at < :to");
            params.put("to", OffsetDateTime.ofInstant(f.to(), ZoneOffset.UTC));
            seqBound("SELECT seq FROM audit_entry WHERE at >= :at ORDER BY at LIMIT 1", f.to().plus(TIME_MARGIN))
                    .ifPresent(upper -> {
                        sql.append(" AND seq < :upper");
                        params.put("upper", upper);
                    });
        }
        sql.append(" ORDER BY seq DESC LIMIT :limit");
        params.put("limit", Math.max(1, Math.min(limit, PAGE)));
        return jdbc.sql(sql.toString()).params(params).query(AuditLog::entry).list();
    }

    /**
     * How much later than its time an entry may be chained at most (the publishing transaction and
     * the chainer's lag). Entries are chained in commit order, so their times rise with the sequence
     * number but for that lag: a time range is turned into a range of sequence numbers (two reads of
     * the time index) widened by this margin, so that a page of an old range is read from the
     * primary key near that range rather than by scanning back from the head.
     */
    static final java.time.Duration TIME_MARGIN = java.time.Duration.ofDays(1);

    private java.util.Optional<Long> seqBound(String sql, Instant at) {
        return jdbc.sql(sql).param("at", OffsetDateTime.ofInstant(at, ZoneOffset.UTC)).query(Long.class).optional();
    }

    @Override
    public AuditVerification verify() {
        AuditVerification result = recompute();
        jdbc.sql("""
                INSERT INTO audit_verification (id, verified_at, actor, valid, entries, first_broken_seq)
                VALUES (:id, :at, :actor, :valid, :entries, :broken)""")
                .param("id", UUID.randomUUID())
                .param("at", OffsetDateTime.ofInstant(clock.instant().truncatedTo(ChronoUnit.MICROS), ZoneOffset.UTC))
                .param("actor", actor()).param("valid", result.valid()).param("entries", result.entries())
                .param("broken", result.firstBrokenSeq())
                .update();
        return result;
    }

    @Override
    public java.util.Optional<no.personvern.audit.VerificationRun> lastVerification() {
        return jdbc.sql("""
                SELECT verified_at, actor, valid, entries, first_broken_seq FROM audit_verification
                ORDER BY verified_at DESC LIMIT 1""")
                .query((rs, row) -> new no.personvern.audit.VerificationRun(
                        rs.getObject("verified_at", OffsetDateTime.class).toInstant(), rs.getString("actor"),
                        new AuditVerification(rs.getBoolean("valid"), rs.getLong("entries"),
                                rs.getObject("first_broken_seq") == null ? null : rs.getLong("first_broken_seq"))))
                .optional();
    }

    @Override
    public long length() {
        return jdbc.sql("SELECT seq FROM audit_head WHERE id = 1").query(Long.class).single();
    }

    private AuditVerification recompute() {
        chainPending();
        long expectedSeq = 1;
        long count = 0;
        String previous = "0".repeat(64);
        while (true) {
            List<Stored> page = jdbc.sql("""
                    SELECT seq, at, actor, action, subject_ref, details, prev_hash, hash
                    FROM audit_entry WHERE seq >= :from ORDER BY seq LIMIT :limit""")
                    .param("from", expectedSeq).param("limit", PAGE)
                    .query(AuditLog::stored).list();
            for (Stored entry : page) {
                boolean intact = entry.seq == expectedSeq && entry.prevHash.equals(previous)
                        && entry.hash.equals(hash(entry.seq, entry.at, entry.actor, entry.action, entry.subjectRef,
                                entry.details, entry.prevHash));
                if (!intact) {
                    return new AuditVerification(false, count, expectedSeq);
                }
                previous = entry.hash;
                expectedSeq++;
                count++;
            }
            if (page.size() < PAGE) {
                break;
            }
        }
        Map<String, Object> head = jdbc.sql("SELECT seq, hash FROM audit_head WHERE id = 1").query().singleRow();
        boolean headMatches = ((Number) head.get("seq")).longValue() == count && head.get("hash").equals(previous);
        return headMatches ? new AuditVerification(true, count, null) : new AuditVerification(false, count, count + 1);
    }

    @Override
    public String subjectRef(UUID subjectId) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(refKey(), "HmacSHA256"));
            byte[] ref = mac.doFinal(subjectId.toString().getBytes(StandardCharsets.US_ASCII));
            return "s_" + HexFormat.of().formatHex(ref, 0, 16);
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is missing from the JDK", e);
        }
    }

    /**
     * The pseudonym key comes from the key store. An earlier version made it itself and kept it in
     * plain text in the head row: that key is handed to the key store (so existing pseudonyms still
     * match) and the plain copy deleted, at start-up.
     */
    @Override
    public void afterSingletonsInstantiated() {
        refKey();
    }

    private byte[] refKey() {
        byte[] key = refKey;
        if (key == null) {
            synchronized (this) {
                key = refKey;
                if (key == null) {
                    String legacy = jdbc.sql("SELECT ref_key FROM audit_head WHERE id = 1")
                            .query((rs, row) -> rs.getString(1)).list().get(0);
                    if (legacy != null) {
                        pseudonymKey.adopt(HexFormat.of().parseHex(legacy));
                        jdbc.sql("UPDATE audit_head SET ref_key = NULL WHERE id = 1").update();
                    }
                    key = pseudonymKey.current();
                    refKey = key;
                }
            }
        }
        return key;
    }

    private static String actor() {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        return authentication == null || !authentication.isAuthenticated() ? "system" : authentication.getName();
    }

    /** SHA-256 over the length-prefixed fields and the previous hash: an unambiguous canonical form. */
    static String hash(long seq, Instant at, String actor, String action, String subjectRef, String details,
            String previous) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            for (String field : new String[] {Long.toString(seq), at.toString(), actor, action,
                    subjectRef == null ? "" : subjectRef, details, previous}) {
                byte[] bytes = field.getBytes(StandardCharsets.UTF_8);
                digest.update((bytes.length + ":").getBytes(StandardCharsets.US_ASCII));
                digest.update(bytes);
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from the JDK", e);
        }
    }

    private record Stored(long seq, Instant at, String actor, String action, String subjectRef, String details,
            String prevHash, String hash) {
    }

    private static Stored stored(ResultSet rs, int row) throws SQLException {
        return new Stored(rs.getLong("seq"), rs.getObject("at", OffsetDateTime.class).toInstant(),
                rs.getString("actor"), rs.getString("action"), rs.getString("subject_ref"), rs.getString("details"),
                rs.getString("prev_hash"), rs.getString("hash"));
    }

    private static AuditEntry entry(ResultSet rs, int row) throws SQLException {
        Map<String, Object> details = CANONICAL.readValue(rs.getString("details"), new TypeReference<>() {
        });
        return new AuditEntry(rs.getLong("seq"), rs.getObject("at", OffsetDateTime.class).toInstant(),
                rs.getString("actor"), rs.getString("action"), rs.getString("subject_ref"), details,
                rs.getString("hash"));
    }
}
