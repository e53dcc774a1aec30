package no.personvern.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import no.personvern.testing.Api;
import no.personvern.testing.Instances;
import no.personvern.testing.DatabaseTest;
import no.personvern.testing.TestDatabases;
import org.junit.jupiter.api.Test;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/** The trail is hash-chained: any change to a stored entry is found, and writers never fork it. */
@DatabaseTest
class AuditTrailTests {

    record Happened(String action, UUID subjectId, Map<String, Object> details) implements AuditEvent {
    }

    @Test
    void alteringOrDeletingAnEntryBreaksTheChainAtThatEntry() {
        Map<String, Object> database = TestDatabases.freshDatabase("audit-tamper");
        try (ConfigurableApplicationContext context = Instances.start(database)) {
            ApplicationEventPublisher events = context;
            UUID subject = UUID.randomUUID();
            for (int i = 0; i < 5; i++) {
                events.publishEvent(new Happened("subject.read", subject, Map.of("n", i)));
            }
            Api api = Instances.api(context);
            JsonNode verified = api.get("/api/v1/audit/verify", Api.ADMIN_TOKEN).json();
            assertThat(verified.get("valid").asBoolean()).isTrue();
            assertThat(verified.get("entries").asLong()).isEqualTo(5);
            assertThat(verified.has("firstBrokenSeq")).isFalse();

            JdbcClient jdbc = context.getBean(JdbcClient.class);
            jdbc.sql("UPDATE audit_entry SET details = '{\"n\":99}' WHERE seq = 3").update();
            JsonNode tampered = api.get("/api/v1/audit/verify", Api.ADMIN_TOKEN).json();
            assertThat(tampered.get("valid").asBoolean()).isFalse();
            assertThat(tampered.get("firstBrokenSeq").asLong()).isEqualTo(3);

            jdbc.sql("UPDATE audit_entry SET details = '{\"n\":2}' WHERE seq = 3").update();
            assertThat(api.get("/api/v1/audit/verify", Api.ADMIN_TOKEN).json().get("valid").asBoolean()).isTrue();

            jdbc.sql("DELETE FROM audit_entry WHERE seq = 5").update();
            JsonNode truncated = api.get("/api/v1/audit/verify", Api.ADMIN_TOKEN).json();
            assertThat(truncated.get("valid").asBoolean()).isFalse();
            assertThat(truncated.get("firstBrokenSeq").asLong()).isEqualTo(5);

            jdbc.sql("DELETE FROM audit_entry WHERE seq = 2").update();
            assertThat(api.get("/api/v1/audit/verify", Api.ADMIN_TOKEN).json().get("firstBrokenSeq").asLong()).isEqualTo(2);

            // Each verification is recorded, with its caller, for the console's dashboard.
            var last = context.getBean(no.personvern.audit.AuditTrail.class).lastVerification().orElseThrow();
            assertThat(last.result().valid()).isFalse();
            assertThat(last.result().firstBrokenSeq()).isEqualTo(2);
            assertThat(last.actor()).startsWith("token:");
            assertThat(jdbc.sql("SELECT COUNT(*) FROM audit_verification").query(Long.class).single()).isEqualTo(5);
            assertThat(context.getBean(no.personvern.audit.AuditTrail.class).length()).isEqualTo(5);
        }
    }

    @Test
    void twoInstancesWritingAtOnceKeepOneUnbrokenStrictlyOrderedChain() throws Exception {
        Map<String, Object> database = TestDatabases.freshDatabase("audit-concurrent");
        // Both instances open the same database: on H2 the named in-memory database of this JVM.
        try (ConfigurableApplicationContext first = Instances.start(database);
                ConfigurableApplicationContext second = Instances.start(database)) {
            ExecutorService writers = Executors.newFixedThreadPool(8);
            List<Future<?>> done = new ArrayList<>();
            for (int w = 0; w < 8; w++) {
                ApplicationEventPublisher instance = w % 2 == 0 ? first : second;
                int writer = w;
                done.add(writers.submit(() -> {
                    for (int i = 0; i < 25; i++) {
                        instance.publishEvent(new Happened("subject.read", UUID.randomUUID(), Map.of("writer", writer, "i", i)));
                    }
                }));
            }
            for (Future<?> future : done) {
                future.get(2, TimeUnit.MINUTES);
            }
            writers.shutdown();

            AuditVerification verification = second.getBean(AuditTrail.class).verify();
            assertThat(verification.valid()).isTrue();
            assertThat(verification.entries()).isEqualTo(200);
            List<Long> seqs = first.getBean(JdbcClient.class).sql("SELECT seq FROM audit_entry ORDER BY seq")
                    .query(Long.class).list();
            assertThat(seqs).hasSize(200).first().isEqualTo(1L);
            assertThat(seqs.get(199)).isEqualTo(200L);
        }
    }

    @Test
    void entriesAreFilteredBySubjectAndPaged() {
        Map<String, Object> database = TestDatabases.freshDatabase("audit-filter");
        try (ConfigurableApplicationContext context = Instances.start(database)) {
            UUID one = UUID.randomUUID();
            UUID other = UUID.randomUUID();
            for (int i = 0; i < 3; i++) {
                context.publishEvent(new Happened("subject.read", one, Map.of()));
                context.publishEvent(new Happened("subject.read", other, Map.of()));
            }
            Api api = Instances.api(context);
            JsonNode page = api.get("/api/v1/audit?subjectId=" + one + "&limit=2", Api.ADMIN_TOKEN).json();
            assertThat(page.get("items")).hasSize(2);
            String ref = context.getBean(AuditTrail.class).subjectRef(one);
            assertThat(page.get("items")).allSatisfy(entry -> assertThat(entry.get("subjectRef").asString()).isEqualTo(ref));
            long next = page.get("next").asLong();
            JsonNode rest = api.get("/api/v1/audit?subjectId=" + one + "&after=" + next, Api.ADMIN_TOKEN).json();
            assertThat(rest.get("items")).hasSize(1);
            assertThat(rest.has("next")).isFalse();
            assertThat(api.get("/api/v1/audit?subjectId=nope", Api.ADMIN_TOKEN).status()).isEqualTo(400);
            assertThat(api.get("/api/v1/audit", null).status()).isEqualTo(401);
        }
    }
}
