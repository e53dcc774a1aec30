package no.personvern.retention.internal;

import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/** One run as it goes: its lease, and what it deleted (or, dry, would delete) and kept, counted so far. */
final class Run {

    final UUID id;
    final boolean dryRun;
    final Instant asOf;
    final SweepLock.Lease lease;
    final Map<String, Long> deleted = new TreeMap<>();
    final Map<String, Long> kept = new TreeMap<>();
    private int batches;

    Run(UUID id, boolean dryRun, Instant asOf, SweepLock.Lease lease) {
        this.id = id;
        this.dryRun = dryRun;
        this.asOf = asOf;
        this.lease = lease;
    }

    void count(Map<String, Long> deletedNow, Map<String, Long> keptNow) {
        deletedNow.forEach((key, n) -> deleted.merge(key, n, Long::sum));
        keptNow.forEach((key, n) -> kept.merge(key, n, Long::sum));
    }

    /** Whether a batch went before this one. */
    boolean nextBatch() {
        return batches++ > 0;
    }

    /** The counts as they stand, to roll back to if a batch fails. */
    Counts counts() {
        return new Counts(Map.copyOf(deleted), Map.copyOf(kept));
    }

    void restore(Counts counts) {
        deleted.clear();
        deleted.putAll(counts.deleted());
        kept.clear();
        kept.putAll(counts.kept());
    }

    /** What changed since {@code before}: one batch's counts. */
    Counts since(Counts before) {
        return new Counts(delta(before.deleted(), deleted), delta(before.kept(), kept));
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

    record Counts(Map<String, Long> deleted, Map<String, Long> kept) {
        boolean isEmpty() {
            return deleted.isEmpty() && kept.isEmpty();
        }
    }
}
