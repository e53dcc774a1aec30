package no.personvern.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import no.personvern.testing.DatabaseTest;
import no.personvern.testing.Instances;
import no.personvern.testing.TestDatabases;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

/** The console's reading of the trail: newest first, by person, actor, action and time, a page at a time. */
@DatabaseTest
class AuditFilterTests {

    record Happened(String action, UUID subjectId, Map<String, Object> details) implements AuditEvent {
    }

    @Test
    void entriesAreReadNewestFirstByEveryFilterAndByTimeEvenFarFromTheHead() {
        Map<String, Object> database = TestDatabases.freshDatabase("audit-newest");
        try (ConfigurableApplicationContext context = Instances.start(database)) {
            AuditTrail trail = context.getBean(AuditTrail.class);
            JdbcClient jdbc = context.getBean(JdbcClient.class);
            UUID one = UUID.randomUUID();
            for (int i = 0; i < 40; i++) {
                context.publishEvent(new Happened(i % 4 == 0 ? "test.rare" : "test.common", i % 2 == 0 ? one : null,
                        Map.of("i", i)));
            }
            trail.length();
            long first = trail.newestFirst(AuditTrail.Filter.ALL, null, 1000).stream()
                    .filter(entry -> entry.action().startsWith("test.")).mapToLong(AuditEntry::seq).min().orElseThrow();
            // Spread the entries over 40 days, one a day, in sequence order (as the chainer orders them).
            Instant day0 = Instant.parse("2025-01-01T12:00:00Z");
            jdbc.sql("UPDATE audit_entry SET actor = 'staff:x' WHERE action = 'test.rare'").update();
            for (int i = 0; i < 40; i++) {
                jdbc.sql("UPDATE audit_entry SET at = :at WHERE seq = :seq")
                        .param("at", OffsetDateTime.ofInstant(day0.plus(i, ChronoUnit.DAYS), ZoneOffset.UTC))
                        .param("seq", first + i).update();
            }

            List<AuditEntry> all = trail.newestFirst(new AuditTrail.Filter(null, null, "test.common", null, null), null, 1000);
            assertThat(all).hasSize(30);
            assertThat(all).extracting(AuditEntry::seq).isSortedAccordingTo(java.util.Comparator.reverseOrder());

            List<AuditEntry> rare = trail.newestFirst(new AuditTrail.Filter(null, "staff:x", null, null, null), null, 3);
            assertThat(rare).extracting(AuditEntry::seq).containsExactly(first + 36, first + 32, first + 28);
            assertThat(trail.newestFirst(new AuditTrail.Filter(null, "staff:x", null, null, null), first + 28, 100))
                    .extracting(AuditEntry::seq).containsExactly(first + 24, first + 20, first + 16, first + 12,
                            first + 8, first + 4, first);

            List<AuditEntry> person = trail.newestFirst(new AuditTrail.Filter(trail.subjectRef(one), null, "test.rare",
                    null, null), null, 100);
            assertThat(person).hasSize(10).allSatisfy(entry -> assertThat(entry.subjectRef())
                    .isEqualTo(trail.subjectRef(one)));

            // Days 10 to 14 (the range ends before day 15), far from the head: exactly those five.
            List<AuditEntry> range = trail.newestFirst(new AuditTrail.Filter(null, null, null,
                    day0.plus(10, ChronoUnit.DAYS).minusSeconds(1), day0.plus(15, ChronoUnit.DAYS).minusSeconds(1)),
                    null, 100);
            assertThat(range).extracting(AuditEntry::seq).containsExactly(first + 14, first + 13, first + 12,
                    first + 11, first + 10);
            assertThat(trail.newestFirst(new AuditTrail.Filter(null, "staff:x", null,
                    day0.plus(10, ChronoUnit.DAYS).minusSeconds(1), day0.plus(15, ChronoUnit.DAYS).minusSeconds(1)),
                    null, 100)).extracting(AuditEntry::seq).containsExactly(first + 12);
            assertThat(trail.newestFirst(new AuditTrail.Filter(null, null, null, day0.plus(100, ChronoUnit.DAYS),
                    null), null, 100)).isEmpty();
        }
    }
}
