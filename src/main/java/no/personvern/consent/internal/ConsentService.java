package no.personvern.consent.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import no.personvern.Problems;
import no.personvern.catalog.Catalog;
import no.personvern.catalog.LegalBasis;
import no.personvern.catalog.PrivacyNotices;
import no.personvern.consent.ConsentEvents;
import no.personvern.consent.ConsentRefusal;
import no.personvern.consent.ConsentReceipt;
import no.personvern.consent.ConsentRecord;
import no.personvern.consent.ConsentRequest;
import no.personvern.consent.Consents;
import no.personvern.subjects.Vault;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

@Service
class ConsentService implements Consents {

    static final String GENESIS = "0".repeat(64);
    private static final Pattern METHOD = Pattern.compile("[a-z][a-z0-9-]{0,49}");
    private static final Pattern VISITOR = Pattern.compile("[A-Za-z0-9_-]{8,64}");

    private final JdbcClient jdbc;
    private final JdbcTemplate batch;
    private final ConsentChains chains;
    private final Catalog catalog;
    private final PrivacyNotices notices;
    private final Vault vault;
    private final ApplicationEventPublisher events;
    private final TransactionTemplate transactions;
    private final Clock clock;
    private final Receipts receipts;
    private final List<String> consentPurposes;
    /** The activities that base each purpose on consent, in catalog order. */
    private final Map<String, List<String>> activitiesOfPurpose;

    ConsentService(JdbcClient jdbc, JdbcTemplate batch, ConsentChains chains, Catalog catalog, PrivacyNotices notices, Vault vault,
            ApplicationEventPublisher events, TransactionTemplate transactions, Clock clock, Receipts receipts) {
        this.jdbc = jdbc;
        this.batch = batch;
        this.chains = chains;
        this.receipts = receipts;
        this.catalog = catalog;
        this.notices = notices;
        this.vault = vault;
        this.events = events;
        this.transactions = transactions;
        this.clock = clock;
        Set<String> purposes = new LinkedHashSet<>();
        catalog.activities().stream().filter(a -> a.legalBasis() == LegalBasis.CONSENT)
                .forEach(a -> purposes.addAll(a.purposes()));
        this.consentPurposes = List.copyOf(purposes);
        Map<String, List<String>> activities = new LinkedHashMap<>();
        catalog.activities().stream().filter(a -> a.legalBasis() == LegalBasis.CONSENT)
                .forEach(a -> a.purposes().forEach(p -> activities.computeIfAbsent(p, k -> new ArrayList<>())
                        .add(a.key())));
        this.activitiesOfPurpose = Map.copyOf(activities);
    }

    @Override
    public List<String> consentPurposes() {
        return consentPurposes;
    }

    @Override
    public List<ConsentRecord> record(List<ConsentRequest> requests) {
        for (ConsentRequest request : requests) {
            check(request);
        }
        return transactions.execute(status -> {
            List<ConsentRecord> recorded = new ArrayList<>();
            Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
            OffsetDateTime at = OffsetDateTime.ofInstant(now, ZoneOffset.UTC);
            String version = notices.currentVersion();
            List<ConsentRequest> each = perActivity(requests);
            // Each holder's chain is locked before it is read, holders in one order: no two decisions wait on each other.
            Map<String, String> lastHashOfHolder = new java.util.HashMap<>();
            each.stream().sorted(java.util.Comparator.comparingLong(
                            (ConsentRequest r) -> ConsentChains.lockOrder(r.subjectId(), r.visitorId()))
                            .thenComparing(ConsentService::holder))
                    .forEach(request -> lastHashOfHolder.computeIfAbsent(holder(request), h -> Optional.ofNullable(
                            chains.lockAndReadLatest(request.subjectId(), request.visitorId())).orElse(GENESIS)));
            List<Object[]> rows = new ArrayList<>();
            for (ConsentRequest request : each) {
                String holder = holder(request);
                String previous = lastHashOfHolder.get(holder);
                UUID id = UUID.randomUUID();
                String hash = hash(id, request, version, now, previous);
                rows.add(new Object[] {id, request.subjectId(), request.visitorId(), request.purpose(), request.granted(),
                    request.method(), request.source(), version, at, previous, hash, request.activity()});
                recorded.add(new ConsentRecord(id, request.subjectId(), request.visitorId(), request.purpose(),
                        request.granted(), request.method(), request.source(), version, now, previous, hash,
                        request.activity()));
                lastHashOfHolder.put(holder, hash);
            }
            // One statement for the decision's records (in this order: seq follows the chain), then their events.
            batch.batchUpdate("""
                    INSERT INTO consent_record (id, subject_id, visitor_id, purpose, granted, method, source,
                                                notice_version, recorded_at, prev_hash, hash, activity)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""", rows);
            for (ConsentRecord record : recorded) {
                events.publishEvent(record.granted()
                        ? new ConsentEvents.ConsentGiven(record.receiptId(), record.subjectId(), record.purpose(),
                                record.method(), record.activity())
                        : new ConsentEvents.ConsentWithdrawn(record.receiptId(), record.subjectId(), record.purpose(),
                                record.method(), now, record.activity()));
            }
            return recorded;
        });
    }

    /** Every invalid field of the decision at once; then 404 for a person who is not held. */
    private void check(ConsentRequest request) {
        if ((request.subjectId() == null) == (request.visitorId() == null)) {
            throw new IllegalArgumentException("a consent is held by a subject or a visitor");
        }
        if (request.visitorId() != null && !VISITOR.matcher(request.visitorId()).matches()) {
            throw new IllegalArgumentException("malformed visitor id");
        }
        Problems.Violations invalid = Problems.violations();
        invalid.require(request.purpose() != null && consentPurposes.contains(request.purpose()), "purpose",
                "'" + Problems.shown(request.purpose()) + "' is not a purpose the catalog bases on consent; consent"
                        + " purposes: " + String.join(", ", consentPurposes));
        invalid.require(request.granted() != null, "granted", "granted (true or false) is required");
        invalid.require(request.method() != null && METHOD.matcher(request.method()).matches(), "method",
                "a method such as web-form, double-opt-in or cookie-banner is required");
        invalid.require(request.source() == null || request.source().length() <= 100, "source", "at most 100 characters");
        List<String> activities = request.purpose() == null ? List.of()
                : activitiesOfPurpose.getOrDefault(request.purpose(), List.of());
        invalid.require(request.activity() == null || activities.isEmpty() || activities.contains(request.activity()),
                "activity", "'" + Problems.shown(request.activity()) + "' is not an activity that bases "
                        + request.purpose() + " on consent; such activities: " + String.join(", ", activities));
        invalid.throwIfAny();
        if (request.subjectId() != null && !vault.isLive(request.subjectId())) {
            throw ConsentRefusal.notFound(request.subjectId());
        }
    }

    /** A decision that names no activity is one record for each activity that bases its purpose on consent. */
    private List<ConsentRequest> perActivity(List<ConsentRequest> requests) {
        List<ConsentRequest> each = new ArrayList<>();
        for (ConsentRequest request : requests) {
            if (request.activity() != null) {
                each.add(request);
                continue;
            }
            for (String activity : activitiesOfPurpose.get(request.purpose())) {
                each.add(new ConsentRequest(request.subjectId(), request.visitorId(), request.purpose(),
                        request.granted(), request.method(), request.source(), activity));
            }
        }
        return each;
    }

    private static String holder(ConsentRequest request) {
        return request.subjectId() != null ? "s:" + request.subjectId() : "v:" + request.visitorId();
    }

    @Override
    public Map<String, Boolean> current(UUID subjectId) {
        return current(history(subjectId));
    }

    /** Per purpose: in force for at least one activity. */
    private Map<String, Boolean> current(List<ConsentRecord> history) {
        Map<String, Boolean> current = new LinkedHashMap<>();
        for (ConsentRecord record : history) {
            current.putIfAbsent(record.purpose(), false);
        }
        byActivity(history).values().forEach(purposes -> purposes.forEach((purpose, granted) -> {
            if (granted) {
                current.put(purpose, true);
            }
        }));
        // A purpose no activity of the catalog bases on consent any more: its latest decision.
        for (ConsentRecord record : history) {
            if (!activitiesOfPurpose.containsKey(record.purpose())) {
                current.put(record.purpose(), record.granted());
            }
        }
        return current;
    }

    @Override
    public Map<String, Map<String, Boolean>> byActivity(UUID subjectId) {
        return byActivity(history(subjectId));
    }

    /**
     * The latest decision per activity and purpose, in order of records. A record without an
     * activity (made before they were kept, and not to be told) decides for every activity of its purpose.
     */
    private Map<String, Map<String, Boolean>> byActivity(List<ConsentRecord> history) {
        Map<String, Map<String, Boolean>> byActivity = new LinkedHashMap<>();
        for (ConsentRecord record : history) {
            List<String> activities = record.activity() != null ? List.of(record.activity())
                    : activitiesOfPurpose.getOrDefault(record.purpose(), List.of());
            for (String activity : activities) {
                byActivity.computeIfAbsent(activity, key -> new LinkedHashMap<>()).put(record.purpose(), record.granted());
            }
        }
        return byActivity;
    }

    @Override
    public List<ConsentRecord> history(UUID subjectId) {
        return jdbc.sql("SELECT * FROM consent_record WHERE subject_id = :subject ORDER BY seq")
                .param("subject", subjectId).query(ConsentService::map).list();
    }

    @Override
    public Optional<ConsentRecord> byReceipt(UUID receiptId) {
        return jdbc.sql("SELECT * FROM consent_record WHERE id = :id").param("id", receiptId)
                .query(ConsentService::map).optional();
    }

    @Override
    public Optional<ConsentReceipt> receipt(UUID receiptId) {
        return byReceipt(receiptId).map(record -> {
            // Superseded only by a later decision on the same activity's purpose (or one for every activity).
            String sameActivity = record.activity() == null ? "" : " AND (activity = :activity OR activity IS NULL)";
            JdbcClient.StatementSpec latest = record.subjectId() != null
                    ? jdbc.sql("SELECT id FROM consent_record WHERE subject_id = :holder AND purpose = :purpose"
                            + sameActivity + " ORDER BY seq DESC LIMIT 1").param("holder", record.subjectId())
                    : jdbc.sql("SELECT id FROM consent_record WHERE visitor_id = :holder AND purpose = :purpose"
                            + sameActivity + " ORDER BY seq DESC LIMIT 1").param("holder", record.visitorId());
            if (record.activity() != null) {
                latest = latest.param("activity", record.activity());
            }
            UUID newest = latest.param("purpose", record.purpose()).query(UUID.class).single();
            return receipts.receipt(record, newest.equals(record.receiptId()));
        });
    }

    @Override
    public long sweepVisitorRecords(Instant supersededBy, Instant recordedBy, int limit, boolean dryRun) {
        // A choice is a visitor's records of one moment; a later record of the visitor is a newer choice.
        String ended = """
                FROM consent_record c
                WHERE c.subject_id IS NULL AND c.visitor_id IS NOT NULL AND c.recorded_at < :supersededBy
                  AND (c.recorded_at <= :recordedBy
                       OR EXISTS (SELECT 1 FROM consent_record n WHERE n.visitor_id = c.visitor_id
                                  AND n.recorded_at > c.recorded_at AND n.recorded_at <= :supersededBy))""";
        OffsetDateTime superseded = OffsetDateTime.ofInstant(supersededBy, ZoneOffset.UTC);
        // A record that ran out before the proof period began is also before the supersession cut-off.
        OffsetDateTime recorded = OffsetDateTime.ofInstant(recordedBy, ZoneOffset.UTC);
        if (dryRun) {
            return jdbc.sql("SELECT COUNT(*) " + ended).param("supersededBy", superseded)
                    .param("recordedBy", recorded).query(Long.class).single();
        }
        return jdbc.sql("DELETE FROM consent_record WHERE id IN (SELECT c.id " + ended + " LIMIT :limit)")
                .param("supersededBy", superseded).param("recordedBy", recorded).param("limit", limit).update();
    }

    @Override
    public Map<UUID, Instant> latestRecorded(Collection<UUID> subjectIds) {
        Map<UUID, Instant> latest = new java.util.HashMap<>();
        if (subjectIds.isEmpty()) {
            return latest;
        }
        jdbc.sql("SELECT subject_id, MAX(recorded_at) AS at FROM consent_record WHERE subject_id = ANY(:subjects)"
                + " GROUP BY subject_id").param("subjects", subjectIds.toArray(UUID[]::new))
                .query((rs, n) -> latest.put(rs.getObject(1, UUID.class),
                        rs.getObject(2, OffsetDateTime.class).toInstant())).list();
        return latest;
    }

    /** SHA-256 over the length-prefixed fields of the record and the holder's previous hash. */
    static String hash(UUID id, ConsentRequest request, String noticeVersion, Instant at, String previous) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            for (String field : new String[] {id.toString(), String.valueOf(request.subjectId()),
                    String.valueOf(request.visitorId()), request.purpose(), Boolean.toString(request.granted()),
                    request.method(), String.valueOf(request.source()), noticeVersion, at.toString(), previous,
                    String.valueOf(request.activity())}) {
                byte[] bytes = field.getBytes(StandardCharsets.UTF_8);
                digest.update((bytes.length + ":").getBytes(StandardCharsets.US_ASCII));
                digest.update(bytes);
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from the JDK", e);
        }
    }

    private static ConsentRecord map(ResultSet rs, int row) throws SQLException {
        return new ConsentRecord(rs.getObject("id", UUID.class), rs.getObject("subject_id", UUID.class),
                rs.getString("visitor_id"), rs.getString("purpose"), rs.getBoolean("granted"), rs.getString("method"),
                rs.getString("source"), rs.getString("notice_version"),
                rs.getObject("recorded_at", OffsetDateTime.class).toInstant(), rs.getString("prev_hash"),
                rs.getString("hash"), rs.getString("activity"));
    }
}
