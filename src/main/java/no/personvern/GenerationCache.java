package no.personvern;

import java.time.Duration;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * A bounded cache of what the database says, which every instance keeps in step with it: every
 * change that must reach every instance (a token revoked, a data key destroyed) bumps a generation
 * in the database in the change's own transaction, each instance reads the generation several
 * times per {@code bound} ({@link #poll}), and an entry is used only while the generation it was
 * loaded under is the one this instance read last, by a read started less than {@code bound} ago.
 *
 * <p>So a change committed at T is in force on every instance by T + bound: a read started after T
 * sees its generation, and an entry of an older generation is never used again. If the reads fail
 * (the database is unreachable), no entry is used once the last good read is {@code bound} old: the
 * cache fails closed, every look-up goes to the database. An entry is loaded from the database and
 * stamped with the generation read before it was loaded, so it can never hold what the database
 * refused then; it also lasts no longer than {@code ttl}, and there are never more than
 * {@code maxSize}.
 */
public final class GenerationCache<K, V> {

    private final int maxSize;
    private final long ttl;
    private final long bound;
    private final LongSupplier ticker;
    private final Map<K, Entry<V>> entries = new ConcurrentHashMap<>();
    private final AtomicReference<Horizon> horizon = new AtomicReference<>();

    /** {@code ticker}: nanoseconds of a monotonic clock ({@link System#nanoTime} but in tests). */
    public GenerationCache(int maxSize, Duration ttl, Duration bound, LongSupplier ticker) {
        if (bound.isZero() || bound.isNegative()) {
            throw new IllegalArgumentException("the bound of a cache must be positive");
        }
        this.maxSize = Math.max(0, maxSize);
        this.ttl = ttl.isNegative() ? 0 : ttl.toNanos();
        this.bound = bound.toNanos();
        this.ticker = ticker;
    }

    public GenerationCache(int maxSize, Duration ttl, Duration bound) {
        this(maxSize, ttl, bound, System::nanoTime);
    }

    private record Entry<V>(V value, Object generation, long loadedAt) {
    }

    /** What this instance knows: the generation read by a read started at {@code readAt}. */
    private record Horizon(Object generation, long readAt) {
    }

    /**
     * The value for {@code key}: cached, or from {@code loader}, which asks the database; kept if
     * {@code cacheable} says so. An absent value is never kept.
     */
    public Optional<V> get(K key, Function<? super K, Optional<V>> loader, Predicate<? super V> cacheable) {
        long now = ticker.getAsLong();
        Horizon known = fresh(now);
        if (known != null) {
            Entry<V> entry = entries.get(key);
            if (entry != null) {
                if (entry.generation == known.generation && now - entry.loadedAt < ttl) {
                    return Optional.of(entry.value);
                }
                entries.remove(key, entry);
            }
        }
        Optional<V> loaded = loader.apply(key);
        if (known != null && ttl > 0 && loaded.isPresent() && cacheable.test(loaded.get())) {
            if (entries.size() >= maxSize) {
                evict();
            }
            if (maxSize > 0) {
                entries.put(key, new Entry<>(loaded.get(), known.generation, now));
            }
        }
        return loaded;
    }

    /** Whether a look-up of {@code key} now would be answered from the cache, without the database. */
    public boolean holds(K key) {
        long now = ticker.getAsLong();
        Horizon known = fresh(now);
        Entry<V> entry = entries.get(key);
        return known != null && entry != null && entry.generation == known.generation && now - entry.loadedAt < ttl;
    }

    /**
     * Reads the generation from {@code source} (which must see every change committed before it is
     * called) and keeps what it read; an exception from the source is passed on and changes nothing.
     */
    public void poll(Supplier<?> source) {
        long started = ticker.getAsLong();
        Object read = source.get();
        Horizon before = horizon.getAndUpdate(current -> after(current, read, started));
        if (before == null || !before.generation.equals(read)) {
            entries.clear(); // loaded under another generation: never used again, so freed now
        }
    }

    /**
     * What is known after a read of {@code read} started at {@code started}: nothing new if what is
     * known was learnt later; the same generation object while it is unchanged, as entries are
     * compared with it by identity.
     */
    private static Horizon after(Horizon current, Object read, long started) {
        if (current != null && current.readAt - started >= 0) {
            return current;
        }
        return new Horizon(current != null && current.generation.equals(read) ? current.generation : read, started);
    }

    /**
     * Forgets every entry at once, on this instance: called after this instance committed a change,
     * which the next {@link #poll} brings to the others. An entry loaded from now on was loaded after
     * the change, so it is stamped with a generation of its own until that poll.
     */
    public void invalidate() {
        long now = ticker.getAsLong();
        horizon.updateAndGet(current -> current != null && current.readAt - now > 0 ? current
                : new Horizon(new Object(), now));
        entries.clear();
    }

    public int size() {
        return entries.size();
    }

    private Horizon fresh(long now) {
        Horizon known = horizon.get();
        return known != null && now - known.readAt < bound ? known : null;
    }

    /** Drops about a tenth of the entries; keys are hashes or random ids, so the choice is arbitrary. */
    private void evict() {
        int drop = Math.max(1, maxSize / 10);
        Iterator<K> keys = entries.keySet().iterator();
        while (drop-- > 0 && keys.hasNext()) {
            keys.next();
            keys.remove();
        }
    }
}
