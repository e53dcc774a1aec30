package no.personvern.retention.internal;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;

@Configuration
@EnableConfigurationProperties(RetentionProperties.class)
class RetentionConfiguration {

    /**
     * The thread a run started on demand or by the schedule sweeps on: one, as one run at a time goes
     * anyway. On shutdown a sweep is interrupted rather than awaited; its lease lapses and the next
     * run marks it abandoned.
     */
    @Bean
    ThreadPoolTaskExecutor retentionSweepExecutor() {
        ThreadPoolTaskExecutor executor = new ThreadPoolTaskExecutor();
        executor.setThreadNamePrefix("retention-sweep-");
        executor.setCorePoolSize(1);
        executor.setMaxPoolSize(1);
        executor.setDaemon(true);
        executor.setWaitForTasksToCompleteOnShutdown(false);
        return executor;
    }
}
