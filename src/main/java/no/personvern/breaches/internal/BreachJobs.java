package no.personvern.breaches.internal;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.time.ZoneId;
import java.util.UUID;
import net.javacrumbs.shedlock.core.ClockProvider;
import net.javacrumbs.shedlock.core.LockConfiguration;
import net.javacrumbs.shedlock.provider.jdbctemplate.JdbcTemplateLockProvider;
import no.personvern.PeriodicJob;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.SchedulingConfigurer;
import org.springframework.scheduling.config.CronTask;
import org.springframework.scheduling.config.ScheduledTaskRegistrar;
import org.springframework.scheduling.support.CronTrigger;

/**
 * The register's background work: the mailing to affected people on a thread of its own
 * ({@code pv-breach-mailing}), and the daily check of breach clocks at
 * {@code personvern.breaches.deadline-check-cron} (Europe/Oslo; {@code -}: none), run by one instance
 * at a time under the ShedLock lease {@code breach-deadline-check} (the database's time); the
 * reminder table makes it once a day per breach whatever runs it.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(BreachesProperties.class)
class BreachJobs implements SchedulingConfigurer {

    private static final Logger log = LoggerFactory.getLogger(BreachJobs.class);
    static final String LOCK = "breach-deadline-check";

    private final BreachService breaches;
    private final BreachesProperties properties;
    private final JdbcTemplateLockProvider locks;

    BreachJobs(BreachService breaches, BreachesProperties properties, JdbcTemplate jdbc) {
        this.breaches = breaches;
        this.properties = properties;
        this.locks = new JdbcTemplateLockProvider(JdbcTemplateLockProvider.Configuration.builder().withJdbcTemplate(jdbc)
                .withLockedByValue(ManagementFactory.getRuntimeMXBean().getName() + "/" + UUID.randomUUID())
                .usingDbTime().build());
    }

    @Bean
    PeriodicJob breachMailingJob(BreachMailing mailing) {
        return PeriodicJob.withFixedDelay("pv-breach-mailing", properties.mailingInterval(), Duration.ofSeconds(5),
                mailing::run);
    }

    @Override
    public void configureTasks(ScheduledTaskRegistrar registrar) {
        if (!"-".equals(properties.deadlineCheckCron())) {
            registrar.addCronTask(new CronTask(this::checkDeadlines,
                    new CronTrigger(properties.deadlineCheckCron(), ZoneId.of("Europe/Oslo"))));
        }
    }

    /** The daily check, by whichever instance takes the lease; the others skip it. */
    void checkDeadlines() {
        // Held for at least a minute: an instance whose clock runs late does not run it again after the release.
        locks.lock(new LockConfiguration(ClockProvider.now(), LOCK, Duration.ofMinutes(10), Duration.ofMinutes(1)))
                .ifPresentOrElse(lock -> {
                    try {
                        log.info("Breach deadline check: {} breaches reminded of", breaches.remindOfDeadlines());
                    } finally {
                        lock.unlock();
                    }
                }, () -> log.info("Breach deadline check skipped: another instance runs it"));
    }
}
