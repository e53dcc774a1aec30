package no.personvern;

import java.lang.management.ManagementFactory;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.UUID;
import net.javacrumbs.shedlock.core.ClockProvider;
import net.javacrumbs.shedlock.core.LockConfiguration;
import net.javacrumbs.shedlock.core.SimpleLock;
import net.javacrumbs.shedlock.provider.jdbctemplate.JdbcTemplateLockProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.modulith.events.CompletedEventPublications;
import org.springframework.modulith.events.IncompleteEventPublications;
import org.springframework.modulith.events.ResubmissionOptions;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Runs again the reactions that a crash or a failure left incomplete in {@code event_publication}:
 * at start-up every publication nobody has taken up again lately (this instance may have died
 * holding it), and then periodically those older than {@code personvern.events.stale-after}
 * (a listener failed, or another instance died while running it).
 *
 * <p>Exactly once across instances: a pass runs under the ShedLock lease {@value #LOCK} (table
 * {@code shedlock}, the database's time, released when the pass ends and lapsing after
 * {@code personvern.events.resubmit-lease} if its instance dies),
 * and each publication is claimed by Modulith's conditional update to {@code RESUBMITTED} before
 * its listener is invoked. A listener still running on a live instance past the staleness limit can
 * be run a second time, so every listener is idempotent (fulfilment claims the request, a retention
 * clock is started once, and so on).
 */
@Component
@EnableConfigurationProperties(EventProperties.class)
class EventResubmission {

    static final String LOCK = "event-resubmission";

    private static final Logger log = LoggerFactory.getLogger(EventResubmission.class);

    private final JdbcClient jdbc;
    private final IncompleteEventPublications incomplete;
    private final CompletedEventPublications completed;
    private final Clock clock;
    private final Duration staleAfter;
    private final Duration keepCompleted;
    private final Duration lease;
    private final int batchSize;
    private final JdbcTemplateLockProvider locks;
    /** Until the first pass after start-up has run, every unclaimed incomplete publication is due. */
    private volatile boolean startedUp;

    EventResubmission(JdbcClient jdbc, JdbcTemplate template, IncompleteEventPublications incomplete,
            CompletedEventPublications completed, Clock clock, EventProperties settings) {
        this.jdbc = jdbc;
        this.locks = new JdbcTemplateLockProvider(JdbcTemplateLockProvider.Configuration.builder()
                .withJdbcTemplate(template)
                .withLockedByValue(ManagementFactory.getRuntimeMXBean().getName() + "/" + UUID.randomUUID())
                .usingDbTime().build());
        this.incomplete = incomplete;
        this.completed = completed;
        this.clock = clock;
        this.staleAfter = settings.staleAfter();
        this.keepCompleted = settings.keepCompleted();
        this.lease = settings.resubmitLease();
        this.batchSize = settings.resubmitBatchSize();
    }

    @EventListener(ApplicationReadyEvent.class)
    void atStartUp() {
        resubmit();
    }

    @Scheduled(fixedDelayString = "${personvern.events.resubmit-interval:PT1M}",
            initialDelayString = "${personvern.events.resubmit-interval:PT1M}")
    void resubmit() {
        Optional<SimpleLock> lock = locks.lock(new LockConfiguration(ClockProvider.now(), LOCK, lease, Duration.ZERO));
        if (lock.isEmpty()) {
            return;
        }
        Instant now = clock.instant();
        try {
            // Never resubmitted (Modulith counts the first attempt) and published before the cut-off
            // (at start-up: all of them), or resubmitted so long ago that whoever took it up is taken
            // to have died.
            Instant publishedBefore = startedUp ? now.minus(staleAfter) : now.plusNanos(1000);
            int stale = jdbc.sql("""
                    UPDATE event_publication SET status = 'FAILED'
                    WHERE completion_date IS NULL AND (status IS NULL OR status <> 'FAILED')
                      AND ((COALESCE(completion_attempts, 1) <= 1 AND publication_date < :publishedBefore)
                           OR (completion_attempts > 1 AND last_resubmission_date < :resubmittedBefore))""")
                    .param("publishedBefore", time(publishedBefore))
                    .param("resubmittedBefore", time(now.minus(staleAfter))).update();
            if (stale > 0) {
                log.info("{} event publication(s) left incomplete are resubmitted", stale);
            }
            incomplete.resubmitIncompletePublications(ResubmissionOptions.defaults().withBatchSize(batchSize));
            completed.deletePublicationsOlderThan(keepCompleted);
            startedUp = true;
        } finally {
            lock.get().unlock();
        }
    }

    private static OffsetDateTime time(Instant instant) {
        return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }
}
