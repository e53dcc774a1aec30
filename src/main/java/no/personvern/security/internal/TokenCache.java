package no.personvern.security.internal;

import java.time.Duration;
import java.util.Optional;
import java.util.function.Function;
import no.personvern.GenerationCache;
import no.personvern.security.ApiToken;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Authenticated tokens, kept in memory by the SHA-256 of the token (never the token) for
 * {@code personvern.token-cache.ttl}, so that a request costs no query to know its caller. What it
 * trades: a token revoked on another instance may still be accepted here for up to
 * {@code personvern.token-cache.bound} (1 s), never longer: a revocation bumps the tokens'
 * generation in its transaction, and every instance reads it four times per bound (see
 * {@link GenerationCache}); if it cannot be read, no cached token is used after the bound. The
 * generation read also counts the tokens and the revoked ones, so that a token revoked or deleted
 * by hand in SQL is refused within the bound too. Only tokens the database accepted are kept, never
 * an unknown one.
 */
class TokenCache {

    private static final Logger log = LoggerFactory.getLogger(TokenCache.class);

    private final GenerationCache<String, ApiToken> cache;
    private final TokenRepository repository;
    private final Duration pollInterval;
    private volatile boolean failing;

    TokenCache(TokenRepository repository, SecurityProperties.TokenCache settings) {
        this.repository = repository;
        this.cache = new GenerationCache<>(settings.maxSize(), settings.ttl(), settings.bound());
        this.pollInterval = settings.bound().dividedBy(4);
    }

    /**
     * The token whose hash is {@code hash}: kept, or as {@code lookup} finds it in the database.
     * (The map compares hashes, not tokens, so the time a comparison takes tells nothing of a token.)
     */
    Optional<ApiToken> token(String hash, Function<String, Optional<ApiToken>> lookup) {
        return cache.get(hash, lookup, token -> true);
    }

    /** Makes a change to stored tokens reach every instance: call it inside the change's transaction. */
    void changed() {
        repository.bumpGeneration();
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
            cache.poll(repository::generation);
            if (failing) {
                log.info("the token generation can be read again: cached tokens are used again");
                failing = false;
            }
        } catch (RuntimeException e) {
            if (!failing) {
                log.warn("cannot read the token generation ({}): cached tokens are not used until it can", e.toString());
                failing = true;
            }
        }
    }

    Duration pollInterval() {
        return pollInterval;
    }

    boolean holds(String hash) {
        return cache.holds(hash);
    }
}
