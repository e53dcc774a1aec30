package no.personvern.retention.internal;

import java.time.ZoneId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.SchedulingConfigurer;
import org.springframework.scheduling.config.CronTask;
import org.springframework.scheduling.config.ScheduledTaskRegistrar;
import org.springframework.scheduling.support.CronTrigger;
import org.springframework.stereotype.Component;

/**
 * The daily sweep at {@code personvern.retention.cron}, Norwegian time ({@code -}: none). With
 * several instances, the one that gets the lock runs it and the others skip.
 */
@Component
class DailySweep implements SchedulingConfigurer {

    private static final Logger log = LoggerFactory.getLogger(DailySweep.class);
    private static final String DISABLED = "-";

    private final RetentionService runs;
    private final String cron;

    DailySweep(RetentionService runs, RetentionProperties properties) {
        this.runs = runs;
        this.cron = properties.cron();
    }

    @Override
    public void configureTasks(ScheduledTaskRegistrar registrar) {
        if (!DISABLED.equals(cron)) {
            registrar.addCronTask(new CronTask(this::run, new CronTrigger(cron, ZoneId.of("Europe/Oslo"))));
        }
    }

    void run() {
        runs.startIfFree(false, null).ifPresentOrElse(
                run -> log.info("Daily retention sweep {} started", run.id()),
                () -> log.info("Daily retention sweep skipped: another run holds the lock"));
    }
}
