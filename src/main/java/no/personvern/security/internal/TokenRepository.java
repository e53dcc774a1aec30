package no.personvern.security.internal;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import no.personvern.security.ApiToken;
import no.personvern.security.Scope;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

@Repository
class TokenRepository {

    /** A stored token row with its hash, which never leaves this module. */
    record StoredToken(ApiToken token, String hash) {
    }

    private final JdbcClient jdbc;

    TokenRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    void insert(ApiToken token, String hash, boolean bootstrap) {
        jdbc.sql("""
                INSERT INTO api_token (id, name, lookup, token_hash, scopes, system_key, bootstrap, created_at)
                VALUES (:id, :name, :lookup, :hash, :scopes, :system, :bootstrap, :createdAt)
                """)
                .param("id", token.id())
                .param("name", token.name())
                .param("lookup", hash.substring(0, 16))
                .param("hash", hash)
                .param("scopes", token.scopes().stream().sorted().map(Scope::value).collect(Collectors.joining(" ")))
                .param("system", token.system())
                .param("bootstrap", bootstrap)
                .param("createdAt", OffsetDateTime.ofInstant(token.createdAt(), ZoneOffset.UTC))
                .update();
    }

    List<StoredToken> findActiveByLookup(String lookup) {
        return jdbc.sql("""
                SELECT id, name, token_hash, scopes, system_key, created_at
                FROM api_token WHERE lookup = :lookup AND revoked_at IS NULL
                """)
                .param("lookup", lookup)
                .query(TokenRepository::map)
                .list();
    }

    boolean anyActiveAdmin() {
        return jdbc.sql("SELECT COUNT(*) FROM api_token WHERE revoked_at IS NULL AND system_key IS NULL"
                + " AND scopes LIKE '%admin%'")
                .query(Long.class).single() > 0;
    }

    boolean revoke(UUID id, Instant at) {
        return jdbc.sql("UPDATE api_token SET revoked_at = :at WHERE id = :id AND revoked_at IS NULL")
                .param("at", OffsetDateTime.ofInstant(at, ZoneOffset.UTC))
                .param("id", id)
                .update() == 1;
    }

    /** Revokes every bootstrap token whose hash is not {@code keep}: the configured one replaces them. */
    int revokeOtherBootstrapTokens(String keep, Instant at) {
        return jdbc.sql("UPDATE api_token SET revoked_at = :at WHERE bootstrap = TRUE AND revoked_at IS NULL AND token_hash <> :keep")
                .param("at", OffsetDateTime.ofInstant(at, ZoneOffset.UTC))
                .param("keep", keep)
                .update();
    }

    /** Tokens were revoked (or changed): the caches of every instance must drop what they hold. */
    void bumpGeneration() {
        jdbc.sql("UPDATE api_token_generation SET generation = generation + 1 WHERE id = 1").update();
    }

    /** What tokens are: a change to them changes it (see {@link TokenCache}). */
    record Generation(long bumped, long tokens, long revoked) {
    }

    Generation generation() {
        return jdbc.sql("""
                SELECT g.generation, (SELECT COUNT(*) FROM api_token) AS tokens,
                       (SELECT COUNT(revoked_at) FROM api_token) AS revoked
                FROM api_token_generation g WHERE g.id = 1""")
                .query((rs, row) -> new Generation(rs.getLong(1), rs.getLong(2), rs.getLong(3))).single();
    }

    private static StoredToken map(ResultSet rs, int row) throws SQLException {
        Set<Scope> scopes = EnumSet.noneOf(Scope.class);
        Arrays.stream(rs.getString("scopes").split(" "))
                .forEach(value -> Scope.fromValue(value).ifPresent(scopes::add));
        ApiToken token = new ApiToken(rs.getObject("id", UUID.class), rs.getString("name"), Set.copyOf(scopes),
                rs.getString("system_key"), rs.getObject("created_at", OffsetDateTime.class).toInstant());
        return new StoredToken(token, rs.getString("token_hash"));
    }
}
