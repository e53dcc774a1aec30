package no.personvern.subjects.internal;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.UUID;
import net.javacrumbs.shedlock.core.ClockProvider;
import net.javacrumbs.shedlock.core.LockConfiguration;
import net.javacrumbs.shedlock.core.SimpleLock;
import net.javacrumbs.shedlock.provider.jdbctemplate.JdbcTemplateLockProvider;
import no.personvern.PeriodicJob;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The blob store's background work, each on a thread of its own: the queue of files of deleted
 * documents worked every {@code personvern.documents.deletion-interval} ({@code pv-blob-deletions}
 * wakes {@link BlobDeletions}), and the orphan check every {@code personvern.documents.orphan-check-interval}
 * ({@code pv-orphan-check}), by one instance at a time under the ShedLock lease {@code blob-orphan-check}.
 */
@Configuration(proxyBeanMethods = false)
class DocumentJobs {

    private static final Logger log = LoggerFactory.getLogger(DocumentJobs.class);
    static final String LOCK = "blob-orphan-check";

    @Bean
    PeriodicJob blobDeletionJob(BlobDeletions deletions, SubjectsProperties settings) {
        return PeriodicJob.withFixedDelay("pv-blob-deletions", settings.documents().deletionInterval(),
                Duration.ofSeconds(5), deletions::wake);
    }

    @Bean
    PeriodicJob orphanCheckJob(OrphanCheck orphans, SubjectsProperties settings, JdbcTemplate jdbc) {
        Duration interval = settings.documents().orphanCheckInterval();
        JdbcTemplateLockProvider locks = new JdbcTemplateLockProvider(JdbcTemplateLockProvider.Configuration.builder()
                .withJdbcTemplate(jdbc)
                .withLockedByValue(ManagementFactory.getRuntimeMXBean().getName() + "/" + UUID.randomUUID())
                .usingDbTime().build());
        return PeriodicJob.withFixedDelay("pv-orphan-check", interval, Duration.ofSeconds(5), () -> {
            // Held at least half an interval: the other instances' checks in that time find it taken.
            LockConfiguration lock = new LockConfiguration(ClockProvider.now(), LOCK, interval.plusHours(1),
                    interval.dividedBy(2));
            locks.lock(lock).ifPresent((SimpleLock held) -> {
                try {
                    int deleted = orphans.check();
                    if (deleted > 0) {
                        log.info("Orphan check: {} files without a document row deleted", deleted);
                    }
                } catch (RuntimeException e) {
                    log.warn("Orphan check failed: {}", e.getClass().getName());
                } finally {
                    held.unlock();
                }
            });
        });
    }
}
