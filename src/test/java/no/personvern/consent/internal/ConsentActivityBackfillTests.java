package no.personvern.consent.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;
import no.personvern.testing.DatabaseTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Records made before consents were kept per activity (V30) get their activity where the example
 * catalog tells it, and only there. Shares the context of the consent API tests.
 */
@DatabaseTest
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
class ConsentActivityBackfillTests {

    @Autowired
    JdbcClient jdbc;

    @Autowired
    ConsentActivityBackfill backfill;

    @Test
    void oldRecordsGetTheActivityTheirListOrTheirOnlyConsentActivityTells() {
        UUID subject = UUID.randomUUID();
        UUID fromCourses = insert(subject, null, "marketing.communications.email", "courses");
        UUID fromNewsletter = insert(subject, null, "marketing.communications.email", "newsletter");
        UUID fromCrm = insert(subject, null, "marketing.communications.email", "crm form");
        UUID statistics = insert(null, "visitor-" + subject.toString().substring(0, 8), "analytics.reporting", null);

        assertThat(backfill.fillIn()).isGreaterThanOrEqualTo(3);

        assertThat(activity(fromCourses)).isEqualTo("course-invitations");
        assertThat(activity(fromNewsletter)).isEqualTo("newsletter");
        assertThat(activity(fromCrm)).as("two activities base the purpose on consent: cannot be told").isNull();
        assertThat(activity(statistics)).as("one activity bases the purpose on consent").isEqualTo("website-statistics");
        assertThat(backfill.fillIn()).as("idempotent: nothing left that can be told").isZero();
    }

    private UUID insert(UUID subject, String visitor, String purpose, String source) {
        UUID id = UUID.randomUUID();
        jdbc.sql("INSERT INTO consent_record (id, subject_id, visitor_id, purpose, granted, method, source,"
                + " notice_version, recorded_at, prev_hash, hash) VALUES (:id, :subject, :visitor, :purpose, TRUE,"
                + " 'double-opt-in', :source, 'v0', :at, :prev, :hash)")
                .param("id", id).param("subject", subject).param("visitor", visitor).param("purpose", purpose)
                .param("source", source).param("at", OffsetDateTime.now(ZoneOffset.UTC))
                .param("prev", "0".repeat(64)).param("hash", "1".repeat(64)).update();
        return id;
    }

    private String activity(UUID id) {
        return (String) jdbc.sql("SELECT activity FROM consent_record WHERE id = :id").param("id", id).query()
                .singleRow().values().iterator().next();
    }
}
