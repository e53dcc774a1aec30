package no.personvern.audit.internal;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
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
import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Service;
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
    /** Entries read per page by a verification. */
    static final int VERIFY_PAGE = 10_000;
    private static final JsonMapper CANONICAL = JsonMapper.builder()
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS).build();

    private final JdbcClient jdbc;
    private final Clock clock;
    private final TransactionTemplate transactions;
    private final PseudonymKey pseudonymKey;
    /** Entries chained per transaction: the head row stays locked for one batch. */
    private final int batch;
    private final GroupCommit groupCommit;
    private final TransactionEntries entries;
    private volatile byte[] refKey;

    AuditLog(JdbcClient jdbc, Clock clock, TransactionTemplate transactions, PseudonymKey pseudonymKey,
            AuditProperties settings, GroupCommit groupCommit, TransactionEntries entries) {
        this.jdbc = jdbc;
        this.batch = settings.chainBatch();
        this.entries = entries;
        this.clock = clock;
        this.transactions = transactions;
        this.pseudonymKey = pseudonymKey;
        this.groupCommit = groupCommit;
    }

    /**
     * Records the event in the publisher's transaction: the entry commits with the change, or not at
     * all. Deliberately synchronous, not an {@code @ApplicationModuleListener}: an entry written after
     * the commit could be lost by a crash in between, or be written for a change that then rolled
     * back; in the same transaction neither can happen, and no event needs to be stored for it. The
     * entries of a transaction go in together just before it commits ({@link TransactionEntries}). A
     * read's entry (a read-only transaction changes nothing to commit with) is committed together
     * with those of concurrent reads instead, before the read's transaction returns ({@link GroupCommit}).
     */
    @EventListener
    public void on(AuditEvent event) {
        Instant at = clock.instant().truncatedTo(ChronoUnit.MICROS);
        String subjectRef = event.subjectId() == null ? null : subjectRef(event.subjectId());
        PendingEntry entry = new PendingEntry(OffsetDateTime.ofInstant(at, ZoneOffset.UTC), actor(), event.action(),
                subjectRef, CANONICAL.writeValueAsString(new TreeMap<>(event.details())));
        if (!groupCommit.takes(entry)) {
            entries.add(entry);
        }
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
        ChainHash hasher = new ChainHash();
        while (Integer.valueOf(batch).equals(transactions.execute(status -> chainBatch(hasher)))) {
            // another full batch may be waiting
        }
    }

    /**
     * One batch, set-based: one read of the pending rows, the hashes computed here, one insert of
     * all of them into the chain, one delete by an array of ids and one update of the head — a handful
     * of round trips however large the batch. Returns how many entries it chained.
     */
    private int chainBatch(ChainHash hasher) {
        Head head = jdbc.sql("SELECT seq, hash FROM audit_head WHERE id = 1 FOR UPDATE")
                .query((rs, row) -> new Head(rs.getLong(1), rs.getString(2))).single();
        List<Pending> pending = jdbc.sql("""
                SELECT id, at, actor, action, subject_ref, details FROM audit_pending ORDER BY id LIMIT :limit""")
                .param("limit", batch)
                .query((rs, row) -> new Pending(rs.getLong(1), rs.getObject(2, OffsetDateTime.class), rs.getString(3),
                        rs.getString(4), rs.getString(5), rs.getString(6)))
                .list();
        if (pending.isEmpty()) {
            return 0;
        }
        int size = pending.size();
        Long[] ids = new Long[size];
        Long[] seqs = new Long[size];
        String[] ats = new String[size];
        String[] actors = new String[size];
        String[] actions = new String[size];
        String[] refs = new String[size];
        String[] details = new String[size];
        String[] prevs = new String[size];
        String[] hashes = new String[size];
        String previous = head.hash;
        for (int i = 0; i < size; i++) {
            Pending entry = pending.get(i);
            Instant at = entry.at.toInstant();
            ids[i] = entry.id;
            seqs[i] = head.seq + 1 + i;
            ats[i] = at.toString();
            actors[i] = entry.actor;
            actions[i] = entry.action;
            refs[i] = entry.subjectRef;
            details[i] = entry.details;
            prevs[i] = previous;
            previous = hasher.hex(seqs[i], at, entry.actor, entry.action, entry.subjectRef, entry.details, previous);
            hashes[i] = previous;
        }
        // One statement for the whole batch: each column an array parameter, the rows its elements.
        jdbc.sql("""
                INSERT INTO audit_entry (seq, at, actor, action, subject_ref, details, prev_hash, hash)
                SELECT * FROM UNNEST(CAST(:seqs AS BIGINT ARRAY), CAST(:ats AS TIMESTAMP WITH TIME ZONE ARRAY),
                    CAST(:actors AS VARCHAR ARRAY), CAST(:actions AS VARCHAR ARRAY), CAST(:refs AS VARCHAR ARRAY),
                    CAST(:details AS VARCHAR ARRAY), CAST(:prevs AS VARCHAR ARRAY), CAST(:hashes AS VARCHAR ARRAY))""")
                .param("seqs", seqs).param("ats", ats).param("actors", actors).param("actions", actions)
                .param("refs", refs).param("details", details).param("prevs", prevs).param("hashes", hashes)
                .update();
        // Exactly the rows chained: one with a lower id may have committed since they were read. Had
        // any of them gone meanwhile, the batch rolls back rather than chain an entry twice.
        int deleted = jdbc.sql("DELETE FROM audit_pending WHERE id = ANY(:ids)").param("ids", ids).update();
        if (deleted != ids.length) {
            throw new IllegalStateException("Pending audit entries vanished while being chained: " + deleted + " of "
                    + ids.length + " deleted; the batch is rolled back and read again");
        }
        jdbc.sql("UPDATE audit_head SET seq = :seq, hash = :hash WHERE id = 1")
                .param("seq", head.seq + size).param("hash", previous).update();
        return size;
    }

    private record Head(long seq, String hash) {
    }

    private record Pending(long id, OffsetDateTime at, String actor, String action, String subjectRef,
            String details) {
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

    /**
     * Walks the chain in pages of {@link #VERIFY_PAGE} by sequence number (bounded memory however
     * long it is), then compares the head. Entries chained while it walks are walked too before the
     * head is compared, so a verification during writes does not report a break that is not there;
     * a head that claims more entries than can be found is a break after the last one found.
     */
    private AuditVerification recompute() {
        chainPending();
        Walk walk = new Walk();
        Head head;
        long read;
        do {
            read = 0;
            int page;
            do {
                long before = walk.count;
                jdbc.sql("""
                        SELECT seq, at, actor, action, subject_ref, details, prev_hash, hash
                        FROM audit_entry WHERE seq >= :from ORDER BY seq LIMIT :limit""")
                        .param("from", walk.expectedSeq).param("limit", VERIFY_PAGE).query(walk);
                page = walk.rows;
                walk.rows = 0;
                read += walk.count - before;
                if (walk.broken) {
                    return new AuditVerification(false, walk.count, walk.expectedSeq);
                }
            } while (page == VERIFY_PAGE);
            head = jdbc.sql("SELECT seq, hash FROM audit_head WHERE id = 1")
                    .query((rs, row) -> new Head(rs.getLong(1), rs.getString(2))).single();
        } while (head.seq > walk.count && read > 0);
        boolean headMatches = head.seq == walk.count && head.hash.equals(walk.previous);
        return headMatches ? new AuditVerification(true, walk.count, null)
                : new AuditVerification(false, walk.count, walk.count + 1);
    }

    /** The state of a verification: each row read is checked as it arrives, none is kept. */
    private static final class Walk implements RowCallbackHandler {

        private final ChainHash hasher = new ChainHash();
        private long expectedSeq = 1;
        private long count;
        private String previous = "0".repeat(64);
        private boolean broken;
        private int rows;

        @Override
        public void processRow(ResultSet rs) throws SQLException {
            rows++;
            if (broken) {
                return;
            }
            long seq = rs.getLong(1);
            String prevHash = rs.getString(7);
            String hash = rs.getString(8);
            broken = seq != expectedSeq || !previous.equals(prevHash)
                    || !hasher.matches(hash, seq, rs.getObject(2, OffsetDateTime.class).toInstant(), rs.getString(3),
                            rs.getString(4), rs.getString(5), rs.getString(6), prevHash);
            if (!broken) {
                previous = hash;
                expectedSeq++;
                count++;
            }
        }
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

    private static AuditEntry entry(ResultSet rs, int row) throws SQLException {
        Map<String, Object> details = CANONICAL.readValue(rs.getString("details"), new TypeReference<>() {
        });
        return new AuditEntry(rs.getLong("seq"), rs.getObject("at", OffsetDateTime.class).toInstant(),
                rs.getString("actor"), rs.getString("action"), rs.getString("subject_ref"), details,
                rs.getString("hash"));
    }
}
