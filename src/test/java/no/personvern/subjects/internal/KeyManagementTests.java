package no.personvern.subjects.internal;

import static no.personvern.subjects.internal.VaultContexts.KEY_1;
import static no.personvern.subjects.internal.VaultContexts.KEY_2;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import no.personvern.subjects.Identities;
import no.personvern.subjects.SecretKeys;
import no.personvern.subjects.SubjectWrite;
import no.personvern.subjects.Vault;
import no.personvern.testing.Api;
import no.personvern.testing.DatabaseTest;
import no.personvern.testing.TestDatabases;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

/** The master key: rotation without touching data, generation in embedded mode, a separate key store. */
@DatabaseTest
class KeyManagementTests {

    @Test
    void rotationRewrapsEveryDataKeyWithoutTouchingTheDataOrTheDerivedSecrets() {
        Map<String, Object> database = TestDatabases.freshDatabase("key-rotation");
        UUID id;
        List<byte[]> ciphertextsBefore;
        byte[] derivedBefore;
        try (ConfigurableApplicationContext first = VaultContexts.start(database, Map.of("personvern.master-key", KEY_1))) {
            id = first.getBean(Vault.class).write(new SubjectWrite("go", "service-delivery",
                    new Identities("rotate@example.no", null, null), Map.of("user.name", "Rolf Rotasjon"))).id();
            ciphertextsBefore = ciphertexts(first);
            derivedBefore = first.getBean(SecretKeys.class).derive("test-link-signing v1");
            assertThat(first.getBean(SecretKeys.class).derive("another purpose")).isNotEqualTo(derivedBefore);
        }
        String oldId = MasterKeys.fingerprint(Crypto.aesKey(java.util.Base64.getDecoder().decode(KEY_1)));
        String newId = MasterKeys.fingerprint(Crypto.aesKey(java.util.Base64.getDecoder().decode(KEY_2)));

        try (ConfigurableApplicationContext second = VaultContexts.start(database,
                Map.of("personvern.master-key", KEY_2, "personvern.master-key-previous", KEY_1))) {
            KeyStore keys = second.getBean(KeyStore.class);
            assertThat(keys.countWrappedBy(oldId)).isEqualTo(2);
            assertThat(second.getBean(Reads.class).read(id).data().get(0).value()).isEqualTo("Rolf Rotasjon");

            Api api = new Api(VaultContexts.port(second));
            assertThat(api.post("/api/v1/keys/rotation", "not-admin", "").status()).isEqualTo(401);
            Api.Response rotated = api.post("/api/v1/keys/rotation", Api.ADMIN_TOKEN, "");

            assertThat(rotated.status()).isEqualTo(200);
            assertThat(rotated.json().get("rewrapped").asInt()).isEqualTo(2);
            assertThat(keys.countWrappedBy(oldId)).isZero();
            assertThat(keys.countWrappedBy(newId)).isEqualTo(2);
            assertThat(ciphertexts(second)).usingRecursiveFieldByFieldElementComparator().isEqualTo(ciphertextsBefore);
        }
        try (ConfigurableApplicationContext third = VaultContexts.start(database, Map.of("personvern.master-key", KEY_2))) {
            assertThat(third.getBean(Reads.class).read(id).data().get(0).value()).isEqualTo("Rolf Rotasjon");
            assertThat(third.getBean(SecretKeys.class).derive("test-link-signing v1"))
                    .as("keys derived for links and cookies outlive a rotation").isEqualTo(derivedBefore);
        }
    }

    @Test
    void withoutItsMasterKeyTheVaultCannotBeRead() {
        Map<String, Object> database = TestDatabases.freshDatabase("key-missing");
        UUID id;
        try (ConfigurableApplicationContext first = VaultContexts.start(database, Map.of("personvern.master-key", KEY_1))) {
            id = first.getBean(Vault.class).write(new SubjectWrite("go", "service-delivery",
                    new Identities("lost@example.no", null, null), Map.of("user.name", "Lise Lost"))).id();
        }
        // The keys other modules derive from the key store are loaded at start-up: a wrong master key stops the start.
        assertThatThrownBy(() -> {
            try (ConfigurableApplicationContext other = VaultContexts.start(database,
                    Map.of("personvern.master-key", KEY_2))) {
                other.getBean(Reads.class).read(id);
            }
        }).hasStackTraceContaining("neither PERSONVERN_MASTER_KEY nor in PERSONVERN_MASTER_KEY_PREVIOUS");
    }

    @Test
    void inEmbeddedModeAMasterKeyIsGeneratedIntoTheDataDirectoryOnce() throws Exception {
        assumeThat(TestDatabases.current()).isEqualTo(TestDatabases.Kind.H2);
        Map<String, Object> database = TestDatabases.freshDatabase("key-generated");
        Path keyFile = Path.of((String) database.get("personvern.data-dir"), "keys", "master.key");
        UUID id;
        try (ConfigurableApplicationContext first = VaultContexts.start(database, Map.of("personvern.master-key", ""))) {
            id = first.getBean(Vault.class).write(new SubjectWrite("go", "service-delivery",
                    new Identities("gen@example.no", null, null), Map.of("user.name", "Gina Generert"))).id();
        }
        String generated = Files.readString(keyFile).strip();
        assertThat(java.util.Base64.getDecoder().decode(generated)).hasSize(32);
        try (ConfigurableApplicationContext second = VaultContexts.start(database, Map.of("personvern.master-key", ""))) {
            assertThat(second.getBean(Reads.class).read(id).data().get(0).value()).isEqualTo("Gina Generert");
        }
        assertThat(Files.readString(keyFile).strip()).isEqualTo(generated);
    }

    @Test
    void onPostgresqlTheMasterKeyIsRequired() {
        assumeThat(TestDatabases.current()).isEqualTo(TestDatabases.Kind.POSTGRES);
        Map<String, Object> database = TestDatabases.freshDatabase("key-required");
        assertThatThrownBy(() -> VaultContexts.start(database, Map.of("personvern.master-key", "")).close())
                .rootCause().hasMessageContaining("PERSONVERN_MASTER_KEY is required");
    }

    @Test
    void theKeyStoreCanLiveInADatabaseOfItsOwnSoDataBackupsHoldNoKeys() {
        Map<String, Object> database = TestDatabases.freshDatabase("key-separate");
        String keystoreUrl = "jdbc:h2:mem:keystore_" + System.nanoTime() + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DB_CLOSE_DELAY=-1";
        try (ConfigurableApplicationContext context = VaultContexts.start(database, Map.of(
                "personvern.master-key", KEY_1, "personvern.keystore.url", keystoreUrl,
                "personvern.keystore.username", "sa"))) {
            Vault vault = context.getBean(Vault.class);
            UUID id = vault.write(new SubjectWrite("go", "service-delivery", new Identities("apart@example.no", null, null),
                    Map.of("user.name", "Arne Apart"))).id();
            assertThat(context.getBean(Reads.class).read(id).data().get(0).value()).isEqualTo("Arne Apart");

            JdbcClient main = context.getBean(JdbcClient.class);
            Long keyTables = main.sql("SELECT COUNT(*) FROM information_schema.tables WHERE LOWER(table_name) = 'data_key'"
                    + " AND table_schema = CURRENT_SCHEMA").query(Long.class).single();
            assertThat(keyTables).as("no key table in the main database").isZero();
            JdbcClient keystore = JdbcClient.create(new org.springframework.jdbc.datasource.DriverManagerDataSource(
                    keystoreUrl, "sa", ""));
            assertThat(keystore.sql("SELECT COUNT(*) FROM data_key").query(Long.class).single()).isEqualTo(2);

            vault.eraseSubject(id, List.of());
            assertThat(keystore.sql("SELECT COUNT(*) FROM data_key WHERE owner_id = :id").param("id", id)
                    .query(Long.class).single()).isZero();
        }
    }

    private static List<byte[]> ciphertexts(ConfigurableApplicationContext context) {
        return context.getBean(JdbcClient.class)
                .sql("SELECT ciphertext FROM subject_value UNION ALL SELECT ciphertext FROM subject_identity")
                .query((rs, row) -> rs.getBytes(1)).list().stream().sorted(java.util.Arrays::compare).toList();
    }
}
