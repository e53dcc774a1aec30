package no.personvern.security.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import no.personvern.security.ApiToken;
import no.personvern.security.IssuedToken;
import no.personvern.security.Scope;
import no.personvern.security.TokenEvents;
import no.personvern.security.Tokens;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

@Service
class TokenService implements Tokens {

    private static final String PREFIX = "pvt_";

    private final TokenRepository repository;
    private final Clock clock;
    private final ApplicationEventPublisher events;
    private final TokenCache cache;
    private final SecureRandom random = new SecureRandom();

    TokenService(TokenRepository repository, Clock clock, ApplicationEventPublisher events, TokenCache cache) {
        this.repository = repository;
        this.cache = cache;
        this.clock = clock;
        this.events = events;
    }

    @Override
    @Transactional
    public IssuedToken issue(String name, Set<Scope> scopes, String system) {
        String secret = newSecret();
        ApiToken token = new ApiToken(UUID.randomUUID(), name, Set.copyOf(scopes), system, clock.instant());
        repository.insert(token, hash(secret), false);
        events.publishEvent(new TokenEvents.TokenIssued(token.id(), token.scopes().stream().map(Scope::value).sorted().toList(),
                system));
        return new IssuedToken(token.id(), secret);
    }

    @Override
    public Optional<ApiToken> authenticate(String presented) {
        if (presented == null || presented.isEmpty() || presented.length() > 512) {
            return Optional.empty();
        }
        return cache.token(hash(presented), this::findActive);
    }

    private Optional<ApiToken> findActive(String hash) {
        byte[] expected = hash.getBytes(StandardCharsets.US_ASCII);
        return repository.findActiveByLookup(hash.substring(0, 16)).stream()
                .filter(stored -> MessageDigest.isEqual(expected, stored.hash().getBytes(StandardCharsets.US_ASCII)))
                .map(TokenRepository.StoredToken::token)
                .findFirst();
    }

    @Override
    @Transactional
    public boolean revoke(UUID id) {
        boolean revoked = repository.revoke(id, clock.instant());
        if (revoked) {
            cache.changed();
            events.publishEvent(new TokenEvents.TokenRevoked(id));
        }
        return revoked;
    }

    /** Makes the configured admin token the bootstrap token, replacing an older one. */
    @Transactional
    public void ensureBootstrapToken(String configured) {
        String hash = hash(configured);
        if (repository.revokeOtherBootstrapTokens(hash, clock.instant()) > 0) {
            cache.changed();
        }
        if (findActive(hash).isEmpty()) {
            repository.insert(new ApiToken(UUID.randomUUID(), "bootstrap admin", Set.of(Scope.ADMIN), null,
                    clock.instant()), hash, true);
        }
    }

    /** Generates a bootstrap admin token when no admin token exists yet; empty when one does. */
    @Transactional
    public Optional<String> generateBootstrapTokenIfNone() {
        if (repository.anyActiveAdmin()) {
            return Optional.empty();
        }
        String secret = newSecret();
        repository.insert(new ApiToken(UUID.randomUUID(), "bootstrap admin", Set.of(Scope.ADMIN), null,
                clock.instant()), hash(secret), true);
        return Optional.of(secret);
    }

    private String newSecret() {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    static String hash(String token) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(digest.digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from the JDK", e);
        }
    }
}
