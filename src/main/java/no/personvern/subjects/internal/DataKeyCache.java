package no.personvern.subjects.internal;

import java.time.Duration;
import java.util.UUID;
import javax.crypto.SecretKey;
import no.personvern.GenerationCache;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * People's data keys, unwrapped, kept in memory for {@code personvern.key-cache.ttl}, so that a
 * read does not ask the key store and unwrap the key each time. Only a living person's own key
 * ({@link KeyStore#SUBJECT}) is kept: never a hold key (what is kept of an erased person), the
 * index root or an adopted secret; and a key is only kept as the key store gave it, so never one
 * already destroyed. It caches the key and nothing else: whether the person is live, restricted
 * (Art. 18) or held, and which values a reader may see, is read from the database on every read
 * as before.
 *
 * <p>What it trades: after an erasure on another instance, this one may still hold the person's
 * key for up to {@code personvern.key-cache.bound} (1 s), never longer. The erasure bumps a
 * generation in the main database in its transaction ({@code data_key_shredding}), every instance
 * reads it four times per bound, and a key cached under an older generation is never used again;
 * if the generation cannot be read, no cached key is used after the bound (see
 * {@link GenerationCache}). Reads of a living person check the person's row in the same
 * transaction, so an erased person is 410 at once whatever is cached: the bound matters only to
 * what is read of the person without that check (their restricted values, kept under their key).
 *
 * <p>A heap dump of an instance holds up to {@code max-size} unwrapped keys; it holds the master
 * key as well, which unwraps every key in the key store, so the cache adds nothing an attacker with
 * the heap does not have already: a heap dump is as secret as the master key.
 */
class DataKeyCache {

    private static final Logger log = LoggerFactory.getLogger(DataKeyCache.class);

    private final GenerationCache<UUID, KeyStore.Unwrapped> cache;
    private final KeyStore keys;
    private final JdbcClient jdbc;
    private final Duration pollInterval;
    private volatile boolean failing;

    DataKeyCache(KeyStore keys, JdbcClient jdbc, SubjectsProperties.KeyCache settings) {
        this.keys = keys;
        this.jdbc = jdbc;
        this.cache = new GenerationCache<>(settings.maxSize(), settings.ttl(), settings.bound());
        this.pollInterval = settings.bound().dividedBy(4);
    }

    /** The key {@code keyId}; {@link KeyStore.KeyDestroyedException} if it is gone. */
    SecretKey key(UUID keyId) {
        return cache.get(keyId, keys::findWithPurpose, key -> KeyStore.SUBJECT.equals(key.purpose()))
                .map(KeyStore.Unwrapped::key).orElseThrow(() -> new KeyStore.KeyDestroyedException(keyId));
    }

    /**
     * Crypto-shredding, in the erasure's transaction: destroys the key and makes every instance drop
     * what it keeps of it within the bound, this one as soon as the transaction commits.
     */
    void destroy(UUID keyId) {
        jdbc.sql("UPDATE data_key_shredding SET generation = generation + 1 WHERE id = 1").update();
        keys.destroy(keyId);
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    cache.invalidate();
                }
            });
        } else {
            cache.invalidate();
        }
    }

    /** Reads the generation; run every quarter of the bound. */
    void poll() {
        try {
            cache.poll(() -> jdbc.sql("SELECT generation FROM data_key_shredding WHERE id = 1").query(Long.class)
                    .single());
            if (failing) {
                log.info("the data keys' generation can be read again: cached keys are used again");
                failing = false;
            }
        } catch (RuntimeException e) {
            if (!failing) {
                log.warn("cannot read the data keys' generation ({}): cached keys are not used until it can",
                        e.toString());
                failing = true;
            }
        }
    }

    Duration pollInterval() {
        return pollInterval;
    }

    boolean holds(UUID keyId) {
        return cache.holds(keyId);
    }
}
