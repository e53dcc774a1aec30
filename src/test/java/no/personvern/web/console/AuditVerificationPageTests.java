package no.personvern.web.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import no.personvern.audit.AuditEntry;
import no.personvern.audit.AuditTrail;
import no.personvern.audit.AuditVerification;
import no.personvern.audit.VerificationRun;
import no.personvern.security.Staff;
import no.personvern.testing.ConsoleSession;
import no.personvern.testing.ConsoleSession.Page;
import no.personvern.testing.DatabaseTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;

/**
 * The console's chain verification runs in the background: the button answers at once while the
 * verification (held here at a gate, as a long chain would take minutes) runs; a second press joins
 * the running one; the page says since when it runs and polls; then it shows the recorded result.
 */
@DatabaseTest
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = {ConsoleSession.FIRST_DPO,
    ConsoleSession.FIRST_DPO_PASSWORD})
class AuditVerificationPageTests {

    @TestConfiguration
    static class Gated {
        @Bean
        @Primary
        GatedTrail gatedTrail(@Qualifier("auditLog") AuditTrail real) {
            return new GatedTrail(real);
        }
    }

    /** The trail, with {@link #verify()} waiting at a gate the test opens. */
    static final class GatedTrail implements AuditTrail {

        private final AuditTrail real;
        volatile CountDownLatch gate = new CountDownLatch(0);
        final AtomicInteger verifications = new AtomicInteger();

        GatedTrail(AuditTrail real) {
            this.real = real;
        }

        @Override
        public AuditVerification verify() {
            verifications.incrementAndGet();
            try {
                gate.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
            }
            return real.verify();
        }

        @Override
        public List<AuditEntry> entries(UUID subjectId, Instant from, Instant to, long afterSeq, int limit) {
            return real.entries(subjectId, from, to, afterSeq, limit);
        }

        @Override
        public List<AuditEntry> newestFirst(Filter filter, Long beforeSeq, int limit) {
            return real.newestFirst(filter, beforeSeq, limit);
        }

        @Override
        public Optional<VerificationRun> lastVerification() {
            return real.lastVerification();
        }

        @Override
        public long length() {
            return real.length();
        }

        @Override
        public String subjectRef(UUID subjectId) {
            return real.subjectRef(subjectId);
        }
    }

    @LocalServerPort
    int port;

    @Autowired
    GatedTrail trail;

    @Autowired
    Staff staff;

    @Test
    void theButtonAnswersAtOnceThePagePollsWhileItRunsAndThenShowsTheRecordedResult() {
        trail.gate = new CountDownLatch(1);
        int before = trail.verifications.get();
        ConsoleSession dpo = ConsoleSession.dpo(port);
        long start = System.nanoTime();
        Page running = dpo.post("/admin/audit", "/admin/audit/verify", Map.of());
        assertThat(Duration.ofNanos(System.nanoTime() - start)).as("not the whole verification").isLessThan(
                AuditPageController.PATIENCE.plusSeconds(5));
        assertThat(running.status()).isEqualTo(200);
        assertThat(running.body()).contains("Kjeden kontrolleres (startet ")
                .contains("hx-get=\"/admin/audit/verification\"").contains("hx-trigger=\"every 2s\"")
                .contains("href=\"/admin/audit\"").doesNotContain("Kjeden er hel");

        Page again = dpo.post("/admin/audit", "/admin/audit/verify", Map.of());
        assertThat(again.body()).contains("Kjeden kontrolleres");
        assertThat(dpo.get("/admin/audit").body()).contains("Kjeden kontrolleres");
        Page polled = dpo.get("/admin/audit/verification");
        assertThat(polled.status()).isEqualTo(200);
        assertThat(polled.body()).contains("Kjeden kontrolleres").contains("hx-trigger").doesNotContain("<html");
        assertThat(trail.verifications.get() - before).as("one run at a time").isEqualTo(1);

        trail.gate.countDown();
        Page done = await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> dpo.get("/admin/audit/verification"), page -> page.body().contains("Kjeden er hel"));
        assertThat(done.body()).as("the poll stops").doesNotContain("hx-trigger").doesNotContain("Kjeden kontrolleres");
        assertThat(dpo.get("/admin/audit").body()).contains("Sist kontrollert").doesNotContain("Kjeden kontrolleres");
        String dpoId = staff.list().stream().filter(m -> m.username().equals(ConsoleSession.DPO)).findFirst()
                .orElseThrow().id().toString();
        assertThat(trail.lastVerification().orElseThrow().actor()).isEqualTo("staff:" + dpoId);
        assertThat(trail.verifications.get() - before).isEqualTo(1);
    }
}
