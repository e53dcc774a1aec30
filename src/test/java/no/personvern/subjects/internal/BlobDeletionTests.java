package no.personvern.subjects.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import no.personvern.catalog.DocumentKind;
import no.personvern.subjects.DocumentInfo;
import no.personvern.subjects.Expiry;
import no.personvern.subjects.Identities;
import no.personvern.subjects.SubjectWrite;
import no.personvern.subjects.Vault;
import no.personvern.testing.DatabaseTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The files of deleted documents go after the commit, through the queue written in the deleting
 * transaction; the orphan check deletes old files that nothing refers to, and nothing else.
 */
@DatabaseTest
@SpringBootTest
class BlobDeletionTests {

    @Autowired
    Vault vault;

    @Autowired
    Expiry expiry;

    @Autowired
    BlobStore blobs;

    @Autowired
    BlobDeletions deletions;

    @Autowired
    OrphanCheck orphans;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    TransactionTemplate transactions;

    @Autowired
    Clock clock;

    @Test
    void aSweepQueuesTheFilesInItsTransactionAndTheWorkerDeletesThemAfterTheCommit() {
        UUID person = person();
        List<DocumentInfo> documents = List.of(document(person), document(person), document(person));

        transactions.executeWithoutResult(status -> {
            assertThat(expiry.delete(items(person, documents))).isEqualTo(3);
            assertThat(queued(documents)).as("queued in the deleting transaction").isEqualTo(3);
            assertThat(documents).as("nothing unlinked before the commit")
                    .allSatisfy(document -> assertThat(blobs.path(document.id())).exists());
        });

        await().atMost(Duration.ofSeconds(30)).until(() -> queued(documents) == 0);
        assertThat(documents).allSatisfy(document -> assertThat(blobs.path(document.id())).doesNotExist());
    }

    @Test
    void aDeletionRolledBackQueuesNothingAndKeepsItsFiles() throws Exception {
        UUID person = person();
        List<DocumentInfo> documents = List.of(document(person), document(person));

        transactions.executeWithoutResult(status -> {
            expiry.delete(items(person, documents));
            status.setRollbackOnly();
        });
        deletions.drain();

        assertThat(queued(documents)).isZero();
        assertThat(jdbc.sql("SELECT COUNT(*) FROM subject_document WHERE subject_id = :id").param("id", person)
                .query(Long.class).single()).isEqualTo(2);
        assertThat(documents).allSatisfy(document -> assertThat(blobs.path(document.id())).exists());
    }

    @Test
    void anErasureQueuesThePersonsFilesAndTheWorkerDeletesThem() {
        UUID person = person();
        List<DocumentInfo> documents = List.of(document(person), document(person));

        vault.eraseSubject(person, List.of());

        await().atMost(Duration.ofSeconds(30)).until(() -> queued(documents) == 0);
        assertThat(documents).allSatisfy(document -> assertThat(blobs.path(document.id())).doesNotExist());
    }

    @Test
    void theOrphanCheckDeletesOldFilesWithoutARowAndKeepsYoungOnesRowsAndHeldPackages() throws Exception {
        UUID person = person();
        DocumentInfo stored = document(person);
        Instant old = clock.instant().minus(Duration.ofHours(25));
        Path withRow = aged(blobs.path(stored.id()), old);
        Path orphan = aged(file(UUID.randomUUID(), ".bin"), old);
        Path orphanedUpload = aged(file(UUID.randomUUID(), ".part"), old);
        Path young = aged(file(UUID.randomUUID(), ".bin"), clock.instant().minus(Duration.ofMinutes(50)));
        UUID packageId = UUID.randomUUID();
        Path heldPackage = aged(file(packageId, ".bin"), old);
        Path notOurs = aged(blobs.root().resolve("README.txt"), old);
        jdbc.sql("""
                INSERT INTO data_request (id, type, status, channel, subject_id, lang, received_at, due_at, package_id)
                VALUES (:id, 'access', 'closed', 'api', :subject, 'nb', :at, :at, :package)""")
                .param("id", UUID.randomUUID()).param("subject", person)
                .param("at", OffsetDateTime.now(ZoneOffset.UTC)).param("package", packageId).update();

        assertThat(orphans.check()).isEqualTo(2);

        assertThat(orphan).as("an old file with no row").doesNotExist();
        assertThat(orphanedUpload).as("an old upload never committed").doesNotExist();
        assertThat(withRow).as("a document's file").exists();
        assertThat(young).as("a file younger than the age: an upload may be in progress").exists();
        assertThat(heldPackage).as("an access package waiting to be downloaded").exists();
        assertThat(notOurs).as("a file not named as the blob store names its files").exists();
    }

    private UUID person() {
        return vault.write(new SubjectWrite("go", "service-delivery",
                new Identities("blob-" + UUID.randomUUID() + "@example.no", null, Map.of()),
                Map.of("user.name", "Blob Bruker"))).id();
    }

    private DocumentInfo document(UUID person) {
        return vault.storeDocument(person, DocumentKind.VOUCHER, "go-mobile", null, "image/png",
                new ByteArrayInputStream("kvittering".getBytes(StandardCharsets.UTF_8)));
    }

    private static List<Expiry.Item> items(UUID person, List<DocumentInfo> documents) {
        return documents.stream().map(document -> new Expiry.Item(document.id(), person, document.category(),
                document.activity(), document.uploadedAt(), true)).toList();
    }

    private long queued(List<DocumentInfo> documents) {
        return jdbc.sql("SELECT COUNT(*) FROM blob_deletion WHERE document_id = ANY(:ids)")
                .param("ids", documents.stream().map(DocumentInfo::id).toArray(UUID[]::new)).query(Long.class).single();
    }

    private Path file(UUID id, String suffix) throws IOException {
        Path path = blobs.path(id).resolveSibling(id + suffix);
        Files.createDirectories(path.getParent());
        Files.write(path, new byte[] {1, 2, 3});
        return path;
    }

    private static Path aged(Path file, Instant modified) throws IOException {
        if (!Files.exists(file)) {
            Files.createDirectories(file.getParent());
            Files.write(file, new byte[] {1});
        }
        Files.setLastModifiedTime(file, FileTime.from(modified));
        return file;
    }
}
