package no.personvern.subjects.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.UUID;
import no.personvern.catalog.DocumentKind;
import no.personvern.subjects.Identities;
import no.personvern.subjects.SubjectWrite;
import no.personvern.subjects.Vault;
import no.personvern.testing.DatabaseTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Documents stored before their category was kept get it from the catalog, as an upload would. */
@DatabaseTest
@SpringBootTest
class DocumentCategoriesTests {

    @Autowired
    Vault vault;

    @Autowired
    DocumentCategories categories;

    @Autowired
    JdbcClient jdbc;

    @Test
    void documentsStoredBeforeCategoriesWereKeptAreResolvedOnceFromTheCatalog() {
        UUID subject = vault.write(new SubjectWrite("go-mobile", "service-delivery",
                new Identities("gammel.opplasting@example.no", null, null), Map.of())).id();
        UUID voucher = vault.storeDocument(subject, DocumentKind.VOUCHER, "go-mobile", null, "image/png",
                new ByteArrayInputStream(new byte[] {1})).id();
        UUID travel = vault.storeDocument(subject, DocumentKind.TRAVEL, "go-mobile", null, "image/png",
                new ByteArrayInputStream(new byte[] {2})).id();
        UUID orphan = UUID.randomUUID();
        jdbc.sql("""
                INSERT INTO subject_document (id, subject_id, kind, system_key, activity_key, content_type, size_bytes,
                                              key_id, uploaded_at)
                VALUES (:id, :subject, 'image', 'go-mobile', 'activity-no-longer-in-the-catalog', 'image/png', 1,
                        :key, :at)""")
                .param("id", orphan).param("subject", subject).param("key", UUID.randomUUID())
                .param("at", OffsetDateTime.now()).update();
        jdbc.sql("UPDATE subject_document SET category = NULL WHERE subject_id = :subject").param("subject", subject)
                .update();

        categories.afterPropertiesSet();

        assertThat(category(voucher)).isEqualTo("user.content.receipt");
        assertThat(category(travel)).isEqualTo("user.content.travel_record");
        assertThat(category(orphan)).as("nothing in the catalog resolves it").isNull();
        jdbc.sql("UPDATE subject_document SET category = 'user.content.image' WHERE id = :id").param("id", voucher)
                .update();
        categories.afterPropertiesSet();
        assertThat(category(voucher)).as("a stored category is never resolved again").isEqualTo("user.content.image");
    }

    private String category(UUID document) {
        return jdbc.sql("SELECT category FROM subject_document WHERE id = :id").param("id", document)
                .query(String.class).list().get(0);
    }
}
