package no.personvern;

import java.util.concurrent.Executor;
import org.springframework.aop.interceptor.AsyncUncaughtExceptionHandler;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.AsyncConfigurer;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;

/**
 * Durable events (SPEC section 4): work that a committed change sets off survives a crash between
 * the commit and the work. Modules react to each other's events with {@code @ApplicationModuleListener};
 * Spring Modulith writes each such event, once per listener, into {@code event_publication} in the
 * publishing transaction and marks it completed when the listener has run (in a transaction of its
 * own, on these threads). {@link EventResubmission} runs again what a crash or a failure left
 * incomplete.
 */
@Configuration
class DurableEvents implements AsyncConfigurer {

    /**
     * The listeners' threads. On shutdown, waiting reactions are dropped rather than awaited: they
     * are in the registry and run again after the restart, which is exactly what a crash does too.
     */
    @Bean
    ThreadPoolTaskExecutor eventListenerExecutor() {
        ThreadPoolTaskExecutor executor = new ThreadPoolTaskExecutor();
        executor.setThreadNamePrefix("event-listener-");
        executor.setCorePoolSize(4);
        executor.setWaitForTasksToCompleteOnShutdown(false);
        return executor;
    }

    @Override
    public Executor getAsyncExecutor() {
        return eventListenerExecutor();
    }

    @Override
    public AsyncUncaughtExceptionHandler getAsyncUncaughtExceptionHandler() {
        // The message could quote a value; the registry keeps the publication incomplete for a retry.
        return (error, method, params) -> org.slf4j.LoggerFactory.getLogger(DurableEvents.class).warn(
                "Listener {}.{} failed ({}); its event is resubmitted later", method.getDeclaringClass().getSimpleName(),
                method.getName(), error.getClass().getSimpleName());
    }
}
