package no.personvern.retention.internal;

import jakarta.annotation.PreDestroy;
import java.lang.management.ManagementFactory;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import no.personvern.Problems;
import no.personvern.catalog.Activity;
import no.personvern.catalog.Catalog;
import no.personvern.catalog.RetentionException;
import no.personvern.catalog.RetentionRule;
import no.personvern.consent.ConsentEvents;
import no.personvern.consent.Consents;
import no.personvern.consent.SubscriptionEnded;
import no.personvern.consent.Subscriptions;
import no.personvern.retention.RetentionEvents;
import no.personvern.retention.RetentionParticipant;
import no.personvern.retention.RetentionRun;
import no.personvern.retention.RetentionRuns;
import no.personvern.subjects.Expiry;
import no.personvern.subjects.Hold;
import no.personvern.subjects.Vault;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.modulith.events.ApplicationModuleListener;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * Sweeps: the catalog's retention rules applied in bounded batches, each its own transaction,
 * under a lease on {@code retention_lock} so that one run at a time goes across every instance.
 */
@Service
class RetentionService implements RetentionRuns {

    private static final Logger log = LoggerFactory.getLogger(RetentionService.class);
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String CONTRACT_END = "contract-end";
    private static final String WITHDRAWAL = "withdrawal";
    static final String LEGAL_HOLD = "legal-hold";

    private final JdbcClient jdbc;
    private final Catalog catalog;
    private final Expiry expiry;
    private final Vault vault;
    private final LegalHoldService holds;
    private final Subscriptions subscriptions;
    private final List<RetentionParticipant> participants;
    private final Consents consents;
    private final ApplicationEventPublisher events;
    private final TransactionTemplate transactions;
    private final Clock clock;
    private final int batchSize;
    private final Duration lease;
    /** A rest between batches that leaves the database to the writers; zero by default. */
    private final Duration batchPause;
    private final String instance = ManagementFactory.getRuntimeMXBean().getName() + "/" + UUID.randomUUID();
    private final ExecutorService worker = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "retention-sweep");
        thread.setDaemon(true);
        return thread;
    });

    RetentionService(JdbcClient jdbc, Catalog catalog, Expiry expiry, Vault vault, LegalHoldService holds,
            Subscriptions subscriptions, Consents consents, List<RetentionParticipant> participants,
            ApplicationEventPublisher events,
            TransactionTemplate transactions, Clock clock,
            @Value("${personvern.retention.batch-size:5000}") int batchSize,
            @Value("${personvern.retention.lease:PT2M}") Duration lease,
            @Value("${personvern.retention.batch-pause:PT0S}") Duration batchPause) {
        this.batchPause = batchPause;
        this.jdbc = jdbc;
        this.catalog = catalog;
        this.expiry = expiry;
        this.vault = vault;
        this.holds = holds;
        this.subscriptions = subscriptions;
        this.participants = participants;
        this.consents = consents;
        this.events = events;
        this.transactions = transactions;
        this.clock = clock;
        this.batchSize = batchSize;
        this.lease = lease;
    }

    // ---- runs ------------------------------------------------------------------------------

    @Override
    public RetentionRun start(boolean dryRun, Instant asOf) {
        Sweep sweep = begin(dryRun, asOf);
        worker.execute(() -> sweep(sweep));
        return get(sweep.id);
    }

    @Override
    public RetentionRun run(boolean dryRun, Instant asOf) {
        Sweep sweep = begin(dryRun, asOf);
        sweep(sweep);
        return get(sweep.id);
    }

    /** The daily sweep; with several instances, the one that gets the lock runs it and the others skip. */
    @Scheduled(cron = "${personvern.retention.cron:0 30 3 * * *}", zone = "Europe/Oslo")
    void daily() {
        try {
            RetentionRun run = start(false, null);
            log.info("Daily retention sweep {} started", run.id());
        } catch (org.springframework.web.ErrorResponseException e) {
            log.info("Daily retention sweep skipped: another run holds the lock");
        }
    }

    @Override
    public RetentionRun get(UUID runId) {
        return jdbc.sql("SELECT * FROM retention_run WHERE id = :id").param("id", runId).query(RetentionService::run)
                .optional().orElseThrow(() -> Problems.exception(HttpStatus.NOT_FOUND, "Not found",
                        "No retention run " + runId + ".", null));
    }

    @Override
    public List<RetentionRun> recent(int limit) {
        return jdbc.sql("SELECT * FROM retention_run ORDER BY started_at DESC, id LIMIT :limit")
                .param("limit", limit).query(RetentionService::run).list();
    }

    private Sweep begin(boolean dryRun, Instant requestedAsOf) {
        Instant asked = clock.instant();
        Instant asOf = requestedAsOf == null ? asked : requestedAsOf;
        if (!dryRun && asOf.isAfter(asked)) {
            throw Problems.invalid("asOf", "a future asOf is allowed only for a dry run (\"what would go by then?\")");
        }
        UUID id = UUID.randomUUID();
        return transactions.execute(status -> {
            UUID previous = jdbc.sql("SELECT run_id FROM retention_lock WHERE id = 1 FOR UPDATE").query(UUID.class)
                    .optional().orElse(null);
            // The time once the lock row is ours: a run that held it until a moment ago has finished by now.
            Instant now = clock.instant();
            int locked = jdbc.sql("""
                    UPDATE retention_lock SET run_id = :run, holder = :holder, locked_until = :until
                    WHERE id = 1 AND (run_id IS NULL OR locked_until < :now)""")
                    .param("run", id).param("holder", instance).param("until", time(now.plus(lease)))
                    .param("now", time(now)).update();
            if (locked == 0) {
                throw Problems.exception(HttpStatus.CONFLICT, "A retention run is going",
                        "Retention run " + previous + " is going; one run at a time. Try again when it has finished.",
                        null);
            }
            if (previous != null) {
                jdbc.sql("UPDATE retention_run SET status = 'abandoned', finished_at = :at WHERE id = :id"
                        + " AND status = 'running'").param("at", time(now)).param("id", previous).update();
            }
            jdbc.sql("""
                    INSERT INTO retention_run (id, status, dry_run, as_of, started_by, started_at, deleted, kept)
                    VALUES (:id, 'running', :dry, :asOf, :by, :at, '{}', '{}')""")
                    .param("id", id).param("dry", dryRun).param("asOf", time(asOf)).param("by", actor() + " @ " + instance)
                    .param("at", time(now)).update();
            return new Sweep(id, dryRun, asOf);
        });
    }

    private void sweep(Sweep sweep) {
        String error = null;
        try {
            new Sweeper(sweep).run();
        } catch (LostLock e) {
            error = "lost the lock: another instance took over after the lease lapsed";
        } catch (RuntimeException e) {
            // The exception's message could quote a value from a failed statement: the class and where
            // it was thrown are enough to find it, and nothing about a person reaches the log.
            StackTraceElement where = e.getStackTrace().length == 0 ? null : e.getStackTrace()[0];
            log.error("Retention run {} failed: {} at {}", sweep.id, e.getClass().getName(), where);
            error = "failed: " + e.getClass().getSimpleName();
        }
        String outcome = error;
        transactions.executeWithoutResult(status -> {
            jdbc.sql("""
                    UPDATE retention_run SET status = :status, finished_at = :at, deleted = :deleted, kept = :kept,
                                             error = :error
                    WHERE id = :id""")
                    .param("status", outcome == null ? "completed" : "failed").param("at", time(clock.instant()))
                    .param("deleted", JSON.writeValueAsString(sweep.deleted))
                    .param("kept", JSON.writeValueAsString(sweep.kept)).param("error", outcome).param("id", sweep.id)
                    .update();
            jdbc.sql("UPDATE retention_lock SET run_id = NULL, holder = NULL, locked_until = NULL"
                    + " WHERE id = 1 AND run_id = :run").param("run", sweep.id).update();
        });
    }

    @PreDestroy
    void stop() {
        worker.shutdownNow();
    }

    // ---- what starts the clocks -------------------------------------------------------------

    @Override
    public void contractEnded(UUID subjectId, Instant endedAt) {
        Instant now = clock.instant();
        Instant at = endedAt == null ? now : endedAt;
        if (at.isAfter(now)) {
            throw Problems.invalid("endedAt", "must not lie in the future: tell Personvern when the agreement has ended");
        }
        if (!vault.isLive(subjectId)) {
            throw Problems.exception(HttpStatus.NOT_FOUND, "Not found", "No person " + subjectId + " is held.", null);
        }
        transactions.executeWithoutResult(status -> {
            addTrigger(subjectId, CONTRACT_END, null, at);
            events.publishEvent(new RetentionEvents.ContractEnded(subjectId, at.toString()));
        });
    }

    /**
     * S17: an unsubscribe starts the clock of the activity behind the list ("until withdrawal").
     * Durable, and from the time of the unsubscribe, however late after a crash it is handled.
     */
    @ApplicationModuleListener
    void on(SubscriptionEnded ended) {
        catalog.list(ended.list()).flatMap(list -> catalog.activity(list.activity()))
                .filter(RetentionService::untilWithdrawal)
                .ifPresent(activity -> addTrigger(ended.subjectId(), WITHDRAWAL, activity.key(), ended.endedAt()));
    }

    /**
     * A withdrawn consent starts the clock of the consent-based activities that pursue the purpose.
     * A visitor's banner choice holds no person and is not stored as a publication at all.
     */
    @ApplicationModuleListener(condition = "#withdrawn.subjectId() != null")
    void on(ConsentEvents.ConsentWithdrawn withdrawn) {
        catalog.activities().stream().filter(RetentionService::untilWithdrawal)
                .filter(activity -> activity.purposes().contains(withdrawn.purpose()))
                .forEach(activity -> addTrigger(withdrawn.subjectId(), WITHDRAWAL, activity.key(),
                        withdrawn.recordedAt()));
    }

    private static boolean untilWithdrawal(Activity activity) {
        return activity.retention().trigger() == RetentionRule.Trigger.WITHDRAWAL;
    }

    private void addTrigger(UUID subjectId, String kind, String activity, Instant at) {
        boolean pending = jdbc.sql("SELECT COUNT(*) FROM retention_trigger WHERE subject_id = :subject AND kind = :kind"
                + " AND " + (activity == null ? "activity_key IS NULL" : "activity_key = :activity")
                + " AND swept_at IS NULL").param("subject", subjectId).param("kind", kind)
                .params(activity == null ? Map.of() : Map.of("activity", activity)).query(Long.class).single() > 0;
        if (!pending) {
            jdbc.sql("""
                    INSERT INTO retention_trigger (id, subject_id, kind, activity_key, occurred_at)
                    VALUES (:id, :subject, :kind, :activity, :at)""")
                    .param("id", UUID.randomUUID()).param("subject", subjectId).param("kind", kind)
                    .param("activity", activity).param("at", time(at)).update();
        }
    }

    // ---- the sweep -------------------------------------------------------------------------

    private static final class Sweep {
        final UUID id;
        final boolean dryRun;
        final Instant asOf;
        final Map<String, Long> deleted = new TreeMap<>();
        final Map<String, Long> kept = new TreeMap<>();

        Sweep(UUID id, boolean dryRun, Instant asOf) {
            this.id = id;
            this.dryRun = dryRun;
            this.asOf = asOf;
        }
    }

    private static final class LostLock extends RuntimeException {
        LostLock() {
            super(null, null, false, false);
        }
    }

    private record Trigger(UUID id, UUID subjectId, Instant at) {
    }

    /** One run's walk through the rules. */
    private final class Sweeper {

        private final Sweep sweep;
        /** Walking values whose hold (an erasure's retention exception, say) has ended: nothing keeps them now. */
        private boolean holdsEnded;
        private int batches;

        Sweeper(Sweep sweep) {
            this.sweep = sweep;
        }

        void run() {
            for (Activity activity : catalog.activities()) {
                RetentionRule rule = activity.retention();
                Instant cutoff = rule.after().subtractFrom(sweep.asOf);
                switch (rule.trigger()) {
                    case COLLECTION -> {
                        page(cursor -> expiry.valuesCollectedBefore(activity.key(), cutoff, cursor, batchSize));
                        page(cursor -> expiry.documentsUploadedBefore(activity.key(), cutoff, cursor, batchSize));
                    }
                    case CONTRACT_END -> triggered(CONTRACT_END, null, activity, cutoff, false);
                    case WITHDRAWAL -> triggered(WITHDRAWAL, activity.key(), activity, cutoff, true);
                    case NEXT_VISIT -> {
                        // Replaced on the next visit as it is written: nothing waits for a sweep.
                    }
                    case PROOF -> {
                        // Personvern's own records kept as proof (Art. 5(2)): not swept.
                    }
                }
            }
            holdsEnded = true;
            contractEndsSwept();
            page(cursor -> expiry.holdsEndedBefore(sweep.asOf, cursor, batchSize));
            deferredErasures();
            for (RetentionParticipant participant : participants) {
                batch(() -> count(participant.sweep(sweep.asOf, sweep.dryRun), Map.of()));
            }
        }

        /** Walks pages of candidates by keyset; each page is one transaction. */
        private void page(java.util.function.Function<Expiry.Cursor, List<Expiry.Item>> next) {
            Expiry.Cursor cursor = Expiry.Cursor.START;
            List<Expiry.Item> items;
            do {
                items = next.apply(cursor);
                if (items.isEmpty()) {
                    return;
                }
                cursor = Expiry.Cursor.after(items.get(items.size() - 1));
                List<Expiry.Item> page = items;
                batch(() -> settle(page));
            } while (items.size() == batchSize);
        }

        /** People whose contract ended or who withdrew at or before {@code cutoff}, a page at a time. */
        private void triggered(String kind, String activityKey, Activity activity, Instant cutoff, boolean last) {
            Instant at = Instant.EPOCH;
            UUID after = new UUID(0, 0);
            List<Trigger> triggers;
            do {
                triggers = jdbc.sql("SELECT id, subject_id, occurred_at FROM retention_trigger WHERE kind = :kind"
                        + (activityKey == null ? "" : " AND activity_key = :activity")
                        + " AND swept_at IS NULL AND occurred_at <= :cutoff"
                        + " AND (occurred_at, id) > (:at, :after)"
                        + " ORDER BY occurred_at, id LIMIT :limit")
                        .param("kind", kind).params(activityKey == null ? Map.of() : Map.of("activity", activityKey))
                        .param("cutoff", time(cutoff)).param("at", time(at)).param("after", after)
                        .param("limit", batchSize)
                        .query((rs, n) -> new Trigger(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class),
                                rs.getObject(3, OffsetDateTime.class).toInstant())).list();
                if (triggers.isEmpty()) {
                    return;
                }
                at = triggers.get(triggers.size() - 1).at();
                after = triggers.get(triggers.size() - 1).id();
                List<Trigger> page = triggers;
                batch(() -> {
                    Set<UUID> subjects = new LinkedHashSet<>();
                    for (Trigger trigger : page) {
                        if (kind.equals(WITHDRAWAL) && consentedAgain(trigger.subjectId(), activity)) {
                            if (!sweep.dryRun) {
                                jdbc.sql("DELETE FROM retention_trigger WHERE id = :id").param("id", trigger.id()).update();
                            }
                        } else {
                            subjects.add(trigger.subjectId());
                        }
                    }
                    Set<UUID> held = holds.held(subjects, sweep.asOf);
                    settle(expiry.itemsOf(subjects, List.of(activity.key())), subjects);
                    if (!sweep.dryRun) {
                        List<UUID> done = page.stream().filter(t -> subjects.contains(t.subjectId())
                                && !held.contains(t.subjectId())).map(Trigger::id).toList();
                        if (last && !done.isEmpty()) {
                            jdbc.sql("UPDATE retention_trigger SET swept_at = :at WHERE id = ANY(:ids)")
                                    .param("at", time(clock.instant())).param("ids", done.toArray(UUID[]::new))
                                    .update();
                        }
                    }
                });
            } while (triggers.size() == batchSize);
        }

        /**
         * A contract end is done with once every contract-bound activity's clock has run out for it
         * (the longest delay counts) and no legal hold stops the person's sweep.
         */
        private void contractEndsSwept() {
            Instant cutoff = catalog.activities().stream()
                    .filter(a -> a.retention().trigger() == RetentionRule.Trigger.CONTRACT_END)
                    .map(a -> a.retention().after().subtractFrom(sweep.asOf)).min(Instant::compareTo).orElse(null);
            if (cutoff == null || sweep.dryRun) {
                return;
            }
            batch(() -> jdbc.sql("""
                    UPDATE retention_trigger SET swept_at = :now
                    WHERE kind = 'contract-end' AND swept_at IS NULL AND occurred_at <= :cutoff
                      AND NOT EXISTS (SELECT 1 FROM legal_hold h WHERE h.subject_id = retention_trigger.subject_id
                                      AND h.released_at IS NULL AND (h.hold_until IS NULL OR h.hold_until > :asOf))""")
                    .param("now", time(clock.instant())).param("cutoff", time(cutoff)).param("asOf", time(sweep.asOf))
                    .update());
        }

        /** Signed up again, or consented again, after withdrawing: the clock stops. */
        private boolean consentedAgain(UUID subjectId, Activity activity) {
            if (subscriptions.activeLists(subjectId).stream().flatMap(list -> catalog.list(list).stream())
                    .anyMatch(list -> list.activity().equals(activity.key()))) {
                return true;
            }
            Map<String, Boolean> current = consents.current(subjectId);
            return activity.purposes().stream().anyMatch(purpose -> Boolean.TRUE.equals(current.get(purpose)));
        }

        private void settle(List<Expiry.Item> items) {
            settle(items, Set.of());
        }

        /**
         * Deletes what is due, keeps what a legal hold or a retention exception keeps, and erases the
         * people left with nothing (and {@code alsoCheck}, whose clocks ran out here).
         */
        private void settle(List<Expiry.Item> items, Set<UUID> alsoCheck) {
            Set<UUID> subjects = new LinkedHashSet<>(alsoCheck);
            items.forEach(item -> subjects.add(item.subjectId()));
            Set<UUID> held = holds.held(subjects, sweep.asOf);
            List<Expiry.Item> due = new ArrayList<>();
            Map<String, Map<Instant, List<Expiry.Item>>> keptByException = new TreeMap<>();
            Map<String, Long> deleted = new TreeMap<>();
            Map<String, Long> kept = new TreeMap<>();
            for (Expiry.Item item : items) {
                if (held.contains(item.subjectId())) {
                    kept.merge(LEGAL_HOLD, 1L, Long::sum);
                    continue;
                }
                RetentionException exception = item.category() == null || holdsEnded ? null : exceptionFor(item);
                String what = item.document() ? "documents" : "values";
                if (exception != null) {
                    keptByException.computeIfAbsent("retention-exception:" + exception.key() + " (" + exception.law()
                            + ")", r -> new TreeMap<>()).computeIfAbsent(exception.keptUntil(item.at()),
                                    until -> new ArrayList<>()).add(item);
                    kept.merge("retention-exception:" + exception.key(), 1L, Long::sum);
                    continue;
                }
                due.add(item);
                deleted.merge(what, 1L, Long::sum);
                deleted.merge(what + ":" + item.activity(), 1L, Long::sum);
            }
            if (!sweep.dryRun) {
                expiry.delete(due);
                if (holdsEnded) {
                    expiry.destroyUnusedHoldKeys(due.stream().map(Expiry.Item::subjectId).distinct().toList());
                }
                keptByException.forEach((reason, byEnd) -> byEnd.forEach((until, values) ->
                        expiry.keep(values, reason, until)));
                Set<UUID> emptied = new LinkedHashSet<>();
                due.forEach(item -> emptied.add(item.subjectId()));
                emptied.addAll(alsoCheck);
                emptied.removeAll(held);
                for (UUID subjectId : expiry.withoutData(emptied)) {
                    if (subscriptions.activeLists(subjectId).isEmpty()
                            && expiry.eraseIfEmpty(subjectId, Hold.requiredBy(catalog, clock.instant()))) {
                        deleted.merge("people", 1L, Long::sum);
                    }
                }
            }
            count(deleted, kept);
        }

        /** A retention exception keeps a value of its categories for its period after the end of its year. */
        private RetentionException exceptionFor(Expiry.Item item) {
            for (RetentionException exception : catalog.retentionExceptions()) {
                if (exception.covers(item.category(), item.activity())
                        && exception.keptUntil(item.at()).isAfter(sweep.asOf)) {
                    return exception;
                }
            }
            return null;
        }

        /**
         * People who asked for erasure while a legal hold kept their data, whose holds have now all
         * ended: the requests module erases them in full (connected systems, Art. 19, the person told).
         */
        private void deferredErasures() {
            if (sweep.dryRun) {
                long due = holds.countErasuresDue(sweep.asOf);
                if (due > 0) {
                    count(Map.of("erasures-resumed", due), Map.of());
                }
                return;
            }
            // Outside the batch transactions: the erasure runs in full (mails, connected systems) in the
            // requests module, after this commit, and must neither be rolled back with a batch nor take a
            // batch down with it. One page per run.
            for (UUID subjectId : holds.erasuresDue(sweep.asOf, batchSize)) {
                try {
                    boolean live = vault.isLive(subjectId);
                    // The erasure is handed on durably: the event and the mark that it was handed on commit together.
                    transactions.executeWithoutResult(status -> {
                        if (live) {
                            events.publishEvent(new RetentionEvents.DeferredErasureDue(subjectId));
                        }
                        holds.erased(subjectId, clock.instant());
                    });
                    if (live) {
                        count(Map.of("erasures-resumed", 1L), Map.of());
                    }
                } catch (RuntimeException e) {
                    log.warn("Retention run {}: a deferred erasure failed ({}); the next run tries again", sweep.id,
                            e.getClass().getSimpleName());
                    count(Map.of("erasures-failed", 1L), Map.of());
                }
            }
            batch(() -> { });
        }

        /** One transaction: the work, then the run's progress, then the lease renewed (or lost). */
        private void batch(Runnable work) {
            if (batches++ > 0 && !batchPause.isZero()) {
                try {
                    Thread.sleep(batchPause.toMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("retention run interrupted", e);
                }
            }
            transactions.executeWithoutResult(status -> {
                Instant now = clock.instant();
                int renewed = jdbc.sql("UPDATE retention_lock SET locked_until = :until WHERE id = 1 AND run_id = :run")
                        .param("until", time(now.plus(lease))).param("run", sweep.id).update();
                if (renewed == 0) {
                    throw new LostLock();
                }
                Map<String, Long> before = Map.copyOf(sweep.deleted);
                Map<String, Long> keptBefore = Map.copyOf(sweep.kept);
                try {
                    work.run();
                } catch (RuntimeException e) {
                    sweep.deleted.clear();
                    sweep.deleted.putAll(before);
                    sweep.kept.clear();
                    sweep.kept.putAll(keptBefore);
                    throw e;
                }
                jdbc.sql("UPDATE retention_run SET deleted = :deleted, kept = :kept WHERE id = :id")
                        .param("deleted", JSON.writeValueAsString(sweep.deleted))
                        .param("kept", JSON.writeValueAsString(sweep.kept)).param("id", sweep.id).update();
                if (!sweep.dryRun) {
                    Map<String, Long> deltaDeleted = delta(before, sweep.deleted);
                    Map<String, Long> deltaKept = delta(keptBefore, sweep.kept);
                    if (!deltaDeleted.isEmpty() || !deltaKept.isEmpty()) {
                        events.publishEvent(new RetentionEvents.RetentionSwept(sweep.id, deltaDeleted, deltaKept));
                    }
                }
            });
        }

        private void count(Map<String, Long> deleted, Map<String, Long> kept) {
            deleted.forEach((key, n) -> sweep.deleted.merge(key, n, Long::sum));
            kept.forEach((key, n) -> sweep.kept.merge(key, n, Long::sum));
        }
    }

    private static Map<String, Long> delta(Map<String, Long> before, Map<String, Long> after) {
        Map<String, Long> delta = new TreeMap<>();
        after.forEach((key, n) -> {
            long change = n - before.getOrDefault(key, 0L);
            if (change != 0) {
                delta.put(key, change);
            }
        });
        return delta;
    }

    private static RetentionRun run(ResultSet rs, int n) throws SQLException {
        TypeReference<TreeMap<String, Long>> counts = new TypeReference<>() { };
        return new RetentionRun(rs.getObject("id", UUID.class), rs.getString("status"), rs.getBoolean("dry_run"),
                instant(rs, "as_of"), instant(rs, "started_at"), instant(rs, "finished_at"),
                JSON.readValue(rs.getString("deleted"), counts), JSON.readValue(rs.getString("kept"), counts),
                rs.getString("error"));
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime time = rs.getObject(column, OffsetDateTime.class);
        return time == null ? null : time.toInstant();
    }

    private static OffsetDateTime time(Instant instant) {
        return LegalHoldService.time(instant);
    }

    private static String actor() {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        return authentication == null ? "scheduler" : authentication.getName();
    }
}
