package no.personvern.subjects.internal;

import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import javax.crypto.SecretKey;
import javax.sql.DataSource;
import no.personvern.PeriodicJob;
import no.personvern.PersonvernProperties;
import org.flywaydb.core.Flyway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The master key and the key store. {@code PERSONVERN_MASTER_KEY} (base64 of 32 bytes) is
 * required on PostgreSQL; in embedded mode one is generated into the data directory with a
 * warning. {@code personvern.keystore.url} puts the key store in a database of its own.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(SubjectsProperties.class)
class KeyStoreConfiguration {

    private static final Logger log = LoggerFactory.getLogger(KeyStoreConfiguration.class);

    @Bean
    MasterKeys masterKeys(SubjectsProperties settings, @Value("${spring.datasource.url:}") String databaseUrl,
            PersonvernProperties site) {
        String configured = settings.masterKey();
        String previous = settings.masterKeyPrevious();
        SecretKey current = configured.isBlank() ? embeddedMasterKey(databaseUrl, site.dataDir()) : decode(configured,
                "PERSONVERN_MASTER_KEY");
        List<SecretKey> older = new ArrayList<>();
        for (String value : previous.split(",")) {
            if (!value.isBlank()) {
                older.add(decode(value.strip(), "PERSONVERN_MASTER_KEY_PREVIOUS"));
            }
        }
        return new MasterKeys(current, older);
    }

    @Bean
    KeyStore keyStore(DataSource dataSource, MasterKeys masterKeys, Clock clock, SubjectsProperties settings) {
        String url = settings.keystore().url();
        DataSource keys = dataSource;
        AutoCloseable resources = () -> { };
        if (!url.isBlank()) {
            HikariDataSource separate = new HikariDataSource();
            separate.setJdbcUrl(url);
            separate.setUsername(settings.keystore().username());
            separate.setPassword(settings.keystore().password());
            separate.setMaximumPoolSize(4);
            separate.setPoolName("keystore");
            keys = separate;
            resources = separate;
        }
        Flyway.configure().dataSource(keys).locations("classpath:db/keystore").table("keystore_schema_history")
                .baselineOnMigrate(true).baselineVersion("0").load().migrate();
        // A key store of its own on an H2 file is not in the main database's transactions, so the
        // commits-to-file guarantee (EmbeddedDatabaseDurability) does not reach it: each key written
        // or destroyed is written to its file at once, lest a kill -9 lose a key whose data survives,
        // or keep one an erasure destroyed.
        JdbcTemplate keyStore = new JdbcTemplate(keys);
        Runnable durable = !url.isBlank() && url.startsWith("jdbc:h2:") && !url.startsWith("jdbc:h2:mem:")
                ? () -> keyStore.execute("CHECKPOINT") : () -> { };
        return new KeyStore(keyStore, masterKeys, clock, resources, durable, url.isBlank());
    }

    /** The data keys of living people, kept unwrapped for a while (see {@link DataKeyCache}). */
    @Bean
    DataKeyCache dataKeyCache(KeyStore keys, JdbcClient jdbc, SubjectsProperties settings) {
        return new DataKeyCache(keys, jdbc, settings.keyCache());
    }

    /** Keeps the key cache in step with erasures on every instance. */
    @Bean
    PeriodicJob dataKeyCachePoll(DataKeyCache cache) {
        return PeriodicJob.atFixedRate("pv-key-cache", cache.pollInterval(), Duration.ofSeconds(1), cache::poll);
    }

    private static SecretKey embeddedMasterKey(String databaseUrl, Path dataDir) {
        if (!databaseUrl.startsWith("jdbc:h2:")) {
            throw new IllegalStateException("PERSONVERN_MASTER_KEY is required with a server database: "
                    + "set it to the base64 of 32 random bytes (e.g. `openssl rand -base64 32`) and keep it "
                    + "apart from the database and its backups");
        }
        Path file = dataDir.resolve("keys").resolve("master.key");
        try {
            if (Files.exists(file)) {
                return decode(Files.readString(file).strip(), file.toString());
            }
            SecretKey key = Crypto.newKey();
            Files.createDirectories(file.getParent());
            // Written whole to a file of its own, then renamed into place: a crash mid-write leaves no
            // half-written key that the next start would refuse.
            Path written = Files.createTempFile(file.getParent(), "master.key.", ".new");
            try {
                try {
                    Files.setPosixFilePermissions(written, PosixFilePermissions.fromString("rw-------"));
                } catch (UnsupportedOperationException notPosix) {
                    log.debug("cannot restrict permissions of {}", written);
                }
                Files.writeString(written, Base64.getEncoder().encodeToString(key.getEncoded()) + "\n");
                try (java.nio.channels.FileChannel channel = java.nio.channels.FileChannel.open(written,
                        java.nio.file.StandardOpenOption.WRITE)) {
                    channel.force(true);
                }
                Files.move(written, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(written);
            }
            log.warn("""

                    ==========================================================================
                    No PERSONVERN_MASTER_KEY was set: a master key was generated into
                    {}
                    It encrypts every data key. Fine for trying Personvern out; in production
                    set PERSONVERN_MASTER_KEY and keep the key away from the data and its backups.
                    ==========================================================================""",
                    file.toAbsolutePath());
            return key;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or write the master key at " + file, e);
        }
    }

    private static SecretKey decode(String base64, String source) {
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(source + " is not valid base64");
        }
        if (bytes.length != Crypto.KEY_BYTES) {
            throw new IllegalStateException(source + " must be the base64 of 32 bytes, not " + bytes.length);
        }
        return Crypto.aesKey(bytes);
    }
}
