package no.personvern.subjects.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import javax.crypto.SecretKey;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Data keys, stored only wrapped by the master key, in the key store (the main database or one of
 * its own). Destroying a key is crypto-shredding: every copy of what it encrypted, backups
 * included, becomes unreadable.
 */
class KeyStore implements AutoCloseable {

    static final String SUBJECT = "subject";
    static final String HOLD = "hold";
    static final String INDEX_ROOT = "index-root";
    static final String SECRET = "secret";

    /** The one index-root key has a fixed id, so that instances starting together agree on it. */
    private static final UUID INDEX_ROOT_ID = new UUID(0, 1);
    private static final int REWRAP_BATCH = 500;

    private final JdbcClient jdbc;
    private final JdbcTemplate batch;
    private final MasterKeys masterKeys;
    private final Clock clock;
    private final AutoCloseable resources;
    private final Runnable durable;
    private final boolean inMainDatabase;

    KeyStore(JdbcTemplate batch, MasterKeys masterKeys, Clock clock, AutoCloseable resources) {
        this(batch, masterKeys, clock, resources, () -> { });
    }

    /** {@code durable} makes what was just written survive a crash, where the database needs telling. */
    KeyStore(JdbcTemplate batch, MasterKeys masterKeys, Clock clock, AutoCloseable resources, Runnable durable) {
        this(batch, masterKeys, clock, resources, durable, false);
    }

    KeyStore(JdbcTemplate batch, MasterKeys masterKeys, Clock clock, AutoCloseable resources, Runnable durable,
            boolean inMainDatabase) {
        this.inMainDatabase = inMainDatabase;
        this.durable = durable;
        this.jdbc = JdbcClient.create(batch);
        this.batch = batch;
        this.masterKeys = masterKeys;
        this.clock = clock;
        this.resources = resources;
    }

    /** Closes the key store's own connection pool, when it has one. */
    @Override
    public void close() throws Exception {
        resources.close();
    }

    record DataKey(UUID id, SecretKey key) {
    }

    /** A new subject key, wrapped by the master key, for {@link #store} to keep. */
    record NewKey(DataKey key, UUID owner, byte[] wrapped, String masterKeyId, OffsetDateTime createdAt) {
    }

    /**
     * A new subject key not stored yet: only where the key store is the main database, whose
     * writer then stores it with the rows it encrypts, in the same transaction ({@link #inMainDatabase}).
     */
    NewKey newSubjectKey(UUID owner) {
        UUID id = UUID.randomUUID();
        SecretKey key = Crypto.newKey();
        return new NewKey(new DataKey(id, key), owner, Crypto.seal(masterKeys.current(), key.getEncoded(), aad(id)),
                masterKeys.currentId(), OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC));
    }

    /** Whether the keys live in the main database, in its transactions (no key store of their own). */
    boolean inMainDatabase() {
        return inMainDatabase;
    }

    DataKey create(UUID owner, String purpose, String label) {
        return insert(UUID.randomUUID(), owner, purpose, label);
    }

    /** One new subject key for each owner, written in one batch. */
    List<DataKey> createSubjectKeys(List<UUID> owners) {
        List<DataKey> created = new ArrayList<>(owners.size());
        List<Object[]> rows = new ArrayList<>(owners.size());
        OffsetDateTime now = OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC);
        for (UUID owner : owners) {
            UUID id = UUID.randomUUID();
            SecretKey key = Crypto.newKey();
            created.add(new DataKey(id, key));
            rows.add(new Object[] {id, owner, SUBJECT, Crypto.seal(masterKeys.current(), key.getEncoded(), aad(id)),
                masterKeys.currentId(), now});
        }
        batch.batchUpdate("INSERT INTO data_key (id, owner_id, purpose, wrapped, master_key_id, created_at)"
                + " VALUES (?, ?, ?, ?, ?, ?)", rows);
        durable.run();
        return created;
    }

    private DataKey insert(UUID id, UUID owner, String purpose, String label) {
        SecretKey key = Crypto.newKey();
        jdbc.sql("""
                INSERT INTO data_key (id, owner_id, purpose, label, wrapped, master_key_id, created_at)
                VALUES (:id, :owner, :purpose, :label, :wrapped, :master, :at)
                """)
                .param("id", id).param("owner", owner).param("purpose", purpose).param("label", label)
                .param("wrapped", Crypto.seal(masterKeys.current(), key.getEncoded(), aad(id)))
                .param("master", masterKeys.currentId())
                .param("at", OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC))
                .update();
        durable.run();
        return new DataKey(id, key);
    }

    Optional<SecretKey> find(UUID id) {
        return jdbc.sql("SELECT id, wrapped, master_key_id FROM data_key WHERE id = :id").param("id", id)
                .query(this::unwrap).optional();
    }

    /** A data key with what it is for ({@link #SUBJECT}, {@link #HOLD}, …). */
    record Unwrapped(SecretKey key, String purpose) {
    }

    Optional<Unwrapped> findWithPurpose(UUID id) {
        return jdbc.sql("SELECT id, wrapped, master_key_id, purpose FROM data_key WHERE id = :id").param("id", id)
                .query((rs, row) -> new Unwrapped(unwrap(rs, row), rs.getString("purpose"))).optional();
    }

    SecretKey get(UUID id) {
        return find(id).orElseThrow(() -> new KeyDestroyedException(id));
    }

    List<UUID> ownedBy(UUID owner, String purpose) {
        return jdbc.sql("SELECT id FROM data_key WHERE owner_id = :owner AND purpose = :purpose")
                .param("owner", owner).param("purpose", purpose).query(UUID.class).list();
    }

    void destroy(UUID id) {
        jdbc.sql("DELETE FROM data_key WHERE id = :id").param("id", id).update();
        durable.run();
    }

    /** The secret from which the blind-index and other derived keys come (HKDF), made once. */
    SecretKey indexRoot() {
        return find(INDEX_ROOT_ID).orElseGet(() -> {
            try {
                return insert(INDEX_ROOT_ID, null, INDEX_ROOT, "blind index root").key();
            } catch (DuplicateKeyException concurrentlyCreated) {
                return get(INDEX_ROOT_ID);
            }
        });
    }

    /** A secret an earlier version kept in plain text, now wrapped here (see {@link #adoptSecret}). */
    Optional<byte[]> adoptedSecret(String purpose) {
        return find(secretId(purpose)).map(SecretKey::getEncoded);
    }

    /**
     * Keeps {@code secret} wrapped by the master key under an id fixed by {@code purpose}, so that
     * instances adopting it together agree, and a rotation re-wraps it with every other key.
     */
    void adoptSecret(String purpose, byte[] secret) {
        UUID id = secretId(purpose);
        Crypto.aesKey(secret);
        Optional<SecretKey> existing = find(id);
        if (existing.isEmpty()) {
            try {
                jdbc.sql("""
                        INSERT INTO data_key (id, owner_id, purpose, label, wrapped, master_key_id, created_at)
                        VALUES (:id, NULL, :purpose, :label, :wrapped, :master, :at)
                        """)
                        .param("id", id).param("purpose", SECRET).param("label", purpose)
                        .param("wrapped", Crypto.seal(masterKeys.current(), secret, aad(id)))
                        .param("master", masterKeys.currentId())
                        .param("at", OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC))
                        .update();
                durable.run();
                return;
            } catch (DuplicateKeyException adoptedByAnotherInstance) {
                existing = find(id);
            }
        }
        if (!MessageDigest.isEqual(existing.orElseThrow().getEncoded(), secret)) {
            throw new IllegalStateException("another secret was adopted for '" + purpose + "' before");
        }
    }

    private static UUID secretId(String purpose) {
        return UUID.nameUUIDFromBytes(("personvern adopted secret " + purpose).getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Re-wraps every data key not wrapped by the current master key, in batches; the data
     * encrypted under the data keys is not touched. Returns how many keys were re-wrapped.
     */
    int rewrapAll() {
        int total = 0;
        while (true) {
            List<Wrapped> batch = jdbc.sql("""
                    SELECT id, wrapped, master_key_id FROM data_key WHERE master_key_id <> :current
                    ORDER BY id LIMIT :limit""")
                    .param("current", masterKeys.currentId()).param("limit", REWRAP_BATCH)
                    .query((rs, row) -> new Wrapped(rs.getObject("id", UUID.class), rs.getBytes("wrapped"),
                            rs.getString("master_key_id")))
                    .list();
            for (Wrapped wrapped : batch) {
                byte[] key = Crypto.open(masterKeys.byId(wrapped.masterKeyId), wrapped.bytes, aad(wrapped.id));
                jdbc.sql("UPDATE data_key SET wrapped = :wrapped, master_key_id = :master WHERE id = :id")
                        .param("wrapped", Crypto.seal(masterKeys.current(), key, aad(wrapped.id)))
                        .param("master", masterKeys.currentId()).param("id", wrapped.id)
                        .update();
            }
            durable.run();
            total += batch.size();
            if (batch.size() < REWRAP_BATCH) {
                return total;
            }
        }
    }

    String currentMasterKeyId() {
        return masterKeys.currentId();
    }

    long countWrappedBy(String masterKeyId) {
        return jdbc.sql("SELECT COUNT(*) FROM data_key WHERE master_key_id = :id").param("id", masterKeyId)
                .query(Long.class).single();
    }

    private record Wrapped(UUID id, byte[] bytes, String masterKeyId) {
    }

    private SecretKey unwrap(ResultSet rs, int row) throws SQLException {
        UUID id = rs.getObject("id", UUID.class);
        byte[] key = Crypto.open(masterKeys.byId(rs.getString("master_key_id")), rs.getBytes("wrapped"), aad(id));
        return Crypto.aesKey(key);
    }

    private static byte[] aad(UUID id) {
        return ("personvern data key " + id).getBytes(StandardCharsets.US_ASCII);
    }

    /** The data key is gone: what it encrypted has been shredded. */
    static final class KeyDestroyedException extends IllegalStateException {
        KeyDestroyedException(UUID id) {
            super("data key " + id + " has been destroyed");
        }
    }
}
