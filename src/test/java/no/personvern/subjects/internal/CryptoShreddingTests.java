package no.personvern.subjects.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import javax.crypto.SecretKey;
import no.personvern.Refusal;
import no.personvern.audit.AuditTrail;
import no.personvern.catalog.DocumentKind;
import no.personvern.subjects.DocumentInfo;
import no.personvern.subjects.ErasureReport;
import no.personvern.subjects.Hold;
import no.personvern.subjects.Identities;
import no.personvern.subjects.SubjectWrite;
import no.personvern.subjects.Vault;
import no.personvern.subjects.VaultRefusal;
import no.personvern.testing.DatabaseTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Erasure destroys the person's key: a copy of their rows taken before is unreadable after. */
@DatabaseTest
@SpringBootTest
class CryptoShreddingTests {

    @Autowired
    Vault vault;

    @Autowired
    Reads reads;

    @Autowired
    KeyStore keys;

    @Autowired
    BlobStore blobs;

    @Autowired
    AuditTrail audit;

    @Autowired
    JdbcClient jdbc;

    @Test
    void aCopyOfTheRowsTakenBeforeErasureCannotBeDecryptedWithAnythingThatRemains() throws Exception {
        UUID id = vault.write(new SubjectWrite("go", "service-delivery",
                new Identities("shred.me@example.no", "91234010", Map.of("go", "u-1")),
                Map.of("user.name", "Sigrid Shredder", "user.contact.address", "Gata 9, 8006 Bodø"))).id();
        DocumentInfo document = vault.storeDocument(id, DocumentKind.VOUCHER, "go-mobile", null, "image/png",
                new ByteArrayInputStream("kvittering 123".getBytes(StandardCharsets.UTF_8)));
        List<byte[]> copies = new ArrayList<>();
        copies.addAll(jdbc.sql("SELECT ciphertext FROM subject_value WHERE subject_id = :id").param("id", id)
                .query((rs, row) -> rs.getBytes(1)).list());
        copies.addAll(jdbc.sql("SELECT ciphertext FROM subject_identity WHERE subject_id = :id").param("id", id)
                .query((rs, row) -> rs.getBytes(1)).list());
        byte[] blobCopy = Files.readAllBytes(blobs.path(document.id()));
        assertThat(copies).hasSize(5);

        ErasureReport report = vault.eraseSubject(id, List.of());

        assertThat(report.kept()).isEmpty();
        assertThat(report.erasedCategories()).contains("user.name", "user.contact.address", "identities");
        assertThat(report.documentsErased()).isEqualTo(1);
        // The file follows the commit (the deletion queue); unreadable already, its key destroyed.
        await().atMost(java.time.Duration.ofSeconds(30)).until(() -> !Files.exists(blobs.path(document.id())));
        for (SecretKey remaining : everyRemainingKey()) {
            for (byte[] copy : copies) {
                assertThatThrownBy(() -> Crypto.open(remaining, copy, new byte[0])).isInstanceOf(IllegalStateException.class);
                for (byte[] aad : likelyAads(id)) {
                    assertThatThrownBy(() -> Crypto.open(remaining, copy, aad)).isInstanceOf(IllegalStateException.class);
                }
            }
            assertThatThrownBy(() -> SegmentedCipher.decrypt(remaining, document.id(), new ByteArrayInputStream(blobCopy),
                    java.io.OutputStream.nullOutputStream())).isInstanceOf(java.io.IOException.class);
        }
        vault.purgeErased();
        assertThat(jdbc.sql("SELECT COUNT(*) FROM subject_value WHERE subject_id = :id").param("id", id)
                .query(Long.class).single()).isZero();
        assertThat(jdbc.sql("SELECT COUNT(*) FROM data_key WHERE owner_id = :id").param("id", id)
                .query(Long.class).single()).isZero();
        assertThatThrownBy(() -> reads.read(id)).isInstanceOfSatisfying(VaultRefusal.class,
                problem -> assertThat(problem.kind()).isEqualTo(Refusal.Kind.GONE));
        assertThat(vault.find("email", "shred.me@example.no")).isEmpty();
    }

    @Test
    void erasureKeepsBookkeepingRecordsRestrictedUnderAHoldKeyAndShredsTheRest() {
        UUID id = vault.write(new SubjectWrite("go", "own-bookkeeping", new Identities("invoice@example.no", null, null),
                Map.of("user.name", "Ivar Invoice", "user.contact.address", "Fakturaveien 3, 8006 Bodø",
                        "user.contact.email", "invoice@example.no"))).id();
        Instant until = Instant.parse("2031-12-31T23:59:59Z");

        ErasureReport report = vault.eraseSubject(id, List.of(new Hold(new Hold.Reason.Retention("bookkeeping", null), until,
                Set.of("user.name", "user.contact.address"))));

        assertThat(report.kept()).extracting(ErasureReport.Kept::category)
                .containsExactlyInAnyOrder("user.name", "user.contact.address");
        assertThat(report.kept()).allSatisfy(kept -> {
            assertThat(kept.reason()).isEqualTo("retention-exception:bookkeeping");
            assertThat(kept.heldBy()).isEqualTo(new Hold.Reason.Retention("bookkeeping", null));
            assertThat(kept.until()).isEqualTo(until);
        });
        assertThat(report.erasedCategories()).contains("user.contact.email", "identities")
                .doesNotContain("user.name", "user.contact.address");

        vault.purgeErased();
        List<Map<String, Object>> held = jdbc.sql("""
                SELECT category, key_id, ciphertext, held_by FROM subject_value WHERE subject_id = :id ORDER BY category""")
                .param("id", id).query().listOfRows();
        assertThat(held).hasSize(2).allSatisfy(row -> assertThat(row.get("held_by")).isEqualTo("retention-exception:bookkeeping"));
        UUID holdKey = (UUID) held.get(0).get("key_id");
        assertThat(keys.ownedBy(id, KeyStore.HOLD)).containsExactly(holdKey);
        assertThat(keys.ownedBy(id, KeyStore.SUBJECT)).isEmpty();
        byte[] address = Crypto.open(keys.get(holdKey), (byte[]) held.get(0).get("ciphertext"),
                ("value|" + id + "|user.contact.address|go|own-bookkeeping").getBytes(StandardCharsets.UTF_8));
        assertThat(new String(address, StandardCharsets.UTF_8)).isEqualTo("Fakturaveien 3, 8006 Bodø");
        assertThatThrownBy(() -> reads.read(id)).isInstanceOf(VaultRefusal.class);

        assertThat(audit.verify().valid()).isTrue();
        String trail = jdbc.sql("SELECT * FROM audit_entry").query().listOfRows().toString();
        assertThat(trail).contains("subject.erased", "retention-exception:bookkeeping")
                .doesNotContain("Ivar", "Fakturaveien", "invoice@example.no");
    }

    private List<SecretKey> everyRemainingKey() {
        return jdbc.sql("SELECT id FROM data_key").query(UUID.class).list().stream().map(keys::get).toList();
    }

    private static List<byte[]> likelyAads(UUID id) {
        List<byte[]> aads = new ArrayList<>();
        for (String aad : new String[] {"value|" + id + "|user.name|go|service-delivery",
                "value|" + id + "|user.contact.address|go|service-delivery", "identity|" + id + "|email|",
                "identity|" + id + "|phone|", "identity|" + id + "|external|go"}) {
            aads.add(aad.getBytes(StandardCharsets.UTF_8));
        }
        return aads;
    }
}
