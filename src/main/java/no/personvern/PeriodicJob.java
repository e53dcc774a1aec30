package no.personvern;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ScheduledExecutorService;
import org.springframework.context.SmartLifecycle;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;

/**
 * A periodic job on a scheduler thread of its own, named after it, so that a slow job (a connected
 * system that does not answer) never delays another (the audit chain, the pixel flush). It starts
 * with the application and stops after the web server (a later phase), before the beans it uses are
 * destroyed: a run in progress may finish within {@code grace}, then it is interrupted.
 */
public final class PeriodicJob implements SmartLifecycle {

    /** After the web server's graceful shutdown (phases {@code DEFAULT_PHASE - 1024} and {@code - 2048}). */
    static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 4096;

    private final String name;
    private final Duration interval;
    private final boolean fixedRate;
    private final Duration grace;
    private final Runnable job;
    private ThreadPoolTaskScheduler scheduler;

    private PeriodicJob(String name, Duration interval, boolean fixedRate, Duration grace, Runnable job) {
        if (interval.isZero() || interval.isNegative()) {
            throw new IllegalArgumentException("the interval of " + name + " must be positive");
        }
        this.name = name;
        this.interval = interval;
        this.fixedRate = fixedRate;
        this.grace = grace;
        this.job = job;
    }

    /** Runs {@code job} {@code delay} after the end of each run. */
    public static PeriodicJob withFixedDelay(String name, Duration delay, Duration grace, Runnable job) {
        return new PeriodicJob(name, delay, false, grace, job);
    }

    /** Starts {@code job} every {@code period} (a run that overlasts it delays the next). */
    public static PeriodicJob atFixedRate(String name, Duration period, Duration grace, Runnable job) {
        return new PeriodicJob(name, period, true, grace, job);
    }

    @Override
    public synchronized void start() {
        if (scheduler != null) {
            return;
        }
        ThreadPoolTaskScheduler started = new ThreadPoolTaskScheduler();
        started.setPoolSize(1);
        started.setThreadNamePrefix(name + "-");
        started.setWaitForTasksToCompleteOnShutdown(true);
        started.setAwaitTerminationMillis(grace.toMillis());
        started.initialize();
        Instant first = Instant.now().plus(interval);
        if (fixedRate) {
            started.scheduleAtFixedRate(job, first, interval);
        } else {
            started.scheduleWithFixedDelay(job, first, interval);
        }
        scheduler = started;
    }

    @Override
    public synchronized void stop() {
        if (scheduler == null) {
            return;
        }
        ScheduledExecutorService executor = scheduler.getScheduledExecutor();
        scheduler.shutdown();
        if (!executor.isTerminated()) {
            executor.shutdownNow();
        }
        scheduler = null;
    }

    @Override
    public synchronized boolean isRunning() {
        return scheduler != null;
    }

    @Override
    public int getPhase() {
        return PHASE;
    }

    public String name() {
        return name;
    }
}
