package no.personvern.testing;

import static no.personvern.testing.TestDatabases.arguments;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import no.personvern.Personvern;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;

/**
 * Whole Personvern instances in the test JVM, each on a free port: several on one database stand
 * for a cluster; closing one without warning its listeners stands for a crash.
 */
public final class Instances {

    private Instances() {
    }

    /** An instance on {@code database} (see {@link TestDatabases}), with {@code extra} properties on top. */
    public static ConfigurableApplicationContext start(Map<String, ?> database, Map<String, String> extra) {
        Map<String, Object> properties = new HashMap<>(database);
        properties.put("server.port", "0");
        properties.putAll(extra);
        return new SpringApplicationBuilder(Personvern.class).run(arguments(properties));
    }

    public static ConfigurableApplicationContext start(Map<String, ?> database) {
        return start(database, Map.of());
    }

    public static int port(ConfigurableApplicationContext app) {
        return Integer.parseInt(app.getEnvironment().getProperty("local.server.port"));
    }

    public static Api api(ConfigurableApplicationContext app) {
        return new Api(port(app));
    }

    /**
     * Keeps every listener thread busy, so that reactions queue up behind them; {@link #crash} then
     * drops them unrun (and interrupts these), as a crash would.
     */
    public static void occupyListeners(ConfigurableApplicationContext app) {
        ThreadPoolTaskExecutor executor = app.getBean("eventListenerExecutor", ThreadPoolTaskExecutor.class);
        CountDownLatch release = new CountDownLatch(1);
        for (int i = 0; i < executor.getCorePoolSize(); i++) {
            executor.execute(() -> {
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> executor.getActiveCount() == executor.getCorePoolSize());
    }

    /**
     * Ends an instance whose listeners are occupied ({@link #occupyListeners}) as a crash would: the
     * listener pool stops at once, the reactions queued in it are dropped unrun and the occupying
     * threads interrupted, then the context is closed. (A plain close would first wait the whole
     * shutdown-phase timeout, 30 s, for listeners that never finish, and then drop the same reactions.)
     */
    public static void crash(ConfigurableApplicationContext app) {
        ThreadPoolTaskExecutor executor = app.getBean("eventListenerExecutor", ThreadPoolTaskExecutor.class);
        // STOP first, so that no queued reaction is taken up by a freed thread; then the queue is drained.
        executor.getThreadPoolExecutor().shutdownNow();
        app.close();
    }
}
