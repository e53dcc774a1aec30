package no.personvern.subjects.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import no.personvern.catalog.DocumentKind;
import no.personvern.subjects.Identities;
import no.personvern.subjects.SubjectWrite;
import no.personvern.subjects.Vault;
import no.personvern.testing.DatabaseTest;
import no.personvern.testing.TestDatabases;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * No plaintext name, e-mail, phone or document byte anywhere at rest: the database files (H2) or
 * every table (PostgreSQL), and every file of the data directory.
 */
@DatabaseTest
class EncryptionAtRestTests {

    private static final String NAME = "Thorvald Klartekstsen";
    private static final String EMAIL = "thorvald.klartekst@example.no";
    private static final String PHONE = "+4798765432";
    private static final String ADDRESS = "Hemmeligveien 42, 8006 Bodø";
    private static final String DOCUMENT = "KVITTERING-FRA-HEMMELIG-BUTIKK-".repeat(3000);

    @Test
    void noPersonalDataIsStoredInPlaintext() throws IOException {
        Map<String, Object> database = new HashMap<>(TestDatabases.freshDatabase("encryption-at-rest"));
        Path dataDir = Path.of((String) database.get("personvern.data-dir"));
        if (TestDatabases.current() == TestDatabases.Kind.H2) {
            database.put("spring.datasource.url", "jdbc:h2:file:" + dataDir.resolve("db/personvern").toAbsolutePath()
                    + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH");
        }
        String tableDump;
        try (ConfigurableApplicationContext context = VaultContexts.start(database, Map.of())) {
            Vault vault = context.getBean(Vault.class);
            var id = vault.write(new SubjectWrite("go", "service-delivery",
                    new Identities(EMAIL, "98765432", Map.of("go", "thorvald-77")),
                    Map.of("user.name", NAME, "user.contact.address", ADDRESS, "user.contact.email", EMAIL,
                            "user.contact.phone_number", PHONE))).id();
            vault.write(new SubjectWrite("newsletter", "newsletter", new Identities(EMAIL, null, null),
                    Map.of("user.name", NAME)));
            vault.storeDocument(id, DocumentKind.VOUCHER, "go-mobile", null, "image/jpeg",
                    new ByteArrayInputStream(DOCUMENT.getBytes(StandardCharsets.UTF_8)));
            context.getBean(SubjectWriter.class).rectify(id, Map.of("user.name", NAME + " II"));
            context.getBean(Reads.class).read(id);
            tableDump = dumpEveryTable(context.getBean(JdbcClient.class));
        }
        List<String> secrets = List.of(NAME, EMAIL, PHONE, "98765432", ADDRESS, "Hemmeligveien", "thorvald-77",
                "KVITTERING-FRA-HEMMELIG");

        assertThat(tableDump).contains("subject_value");
        for (String secret : secrets) {
            assertThat(tableDump).as("tables").doesNotContain(secret).doesNotContainIgnoringCase(hex(secret));
        }
        List<Path> files = files(dataDir);
        assertThat(files).as("the data directory holds the blobs").isNotEmpty();
        if (TestDatabases.current() == TestDatabases.Kind.H2) {
            assertThat(files).anySatisfy(file -> assertThat(file.toString()).endsWith(".mv.db"));
        }
        for (Path file : files) {
            byte[] content = Files.readAllBytes(file);
            for (String secret : secrets) {
                assertThat(indexOf(content, secret.getBytes(StandardCharsets.UTF_8))).as(file + " holds " + secret)
                        .isEqualTo(-1);
                assertThat(indexOf(content, secret.getBytes(StandardCharsets.UTF_16BE))).as(file + " holds " + secret)
                        .isEqualTo(-1);
            }
        }
    }

    /** Every row of every table of the schema, as text (binary columns as hex). */
    private static String dumpEveryTable(JdbcClient jdbc) {
        List<String> tables = jdbc.sql("SELECT table_name FROM information_schema.tables WHERE table_schema = CURRENT_SCHEMA"
                + " AND table_type IN ('BASE TABLE', 'TABLE')").query(String.class).list();
        StringBuilder dump = new StringBuilder();
        for (String table : tables) {
            dump.append(table).append('\n');
            for (Map<String, Object> row : jdbc.sql("SELECT * FROM " + table).query().listOfRows()) {
                row.forEach((column, value) -> dump.append(column).append('=')
                        .append(value instanceof byte[] bytes ? HexFormat.of().formatHex(bytes) : String.valueOf(value))
                        .append(' '));
                dump.append('\n');
            }
        }
        return dump.toString();
    }

    private static List<Path> files(Path directory) throws IOException {
        try (Stream<Path> paths = Files.walk(directory)) {
            return new ArrayList<>(paths.filter(Files::isRegularFile).toList());
        }
    }

    private static String hex(String text) {
        return HexFormat.of().formatHex(text.getBytes(StandardCharsets.UTF_8));
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
