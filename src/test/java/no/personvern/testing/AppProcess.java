package no.personvern.testing;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The packaged application (the Spring Boot jar that {@code ./mvnw package} builds) running as a real
 * operating-system process, for tests that need what only a process has: a crash. It runs on a data
 * directory and a database of the current {@link TestDatabases} kind — the embedded H2 file database
 * that the default configuration puts in the data directory, or a fresh PostgreSQL schema — with the
 * admin token {@link Api#ADMIN_TOKEN}, a master key of its own and a free port. It can be killed
 * with {@code SIGKILL} and started again on the same data. Its output goes to {@link #log()}; a
 * process left running when the test JVM ends is killed with it.
 *
 * <pre>{@code
 * try (AppProcess app = AppProcess.onFreshDatabase("MyIT").property("some.property", 1).start()) {
 *     app.api().post(...);
 *     app.kill();
 *     app.start();   // same data directory, database, token and master key
 * }
 * }</pre>
 */
public final class AppProcess implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofMinutes(3);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final String name;
    private final Path dataDir;
    private final Map<String, String> properties = new LinkedHashMap<>();
    private List<String> jvmOptions = List.of("-Xmx512m", "-XX:TieredStopAtLevel=1");
    private final String masterKey;
    private final Path log;
    private Process process;
    private int port;
    private int starts;

    private AppProcess(String name, TestDatabases.Kind kind, Map<String, Object> database) {
        this.name = name;
        database.forEach((key, value) -> properties.put(key, String.valueOf(value)));
        this.dataDir = Path.of(properties.get("personvern.data-dir"));
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        this.masterKey = Base64.getEncoder().encodeToString(key);
        this.log = Path.of("target", "app-process", name + "-" + kind.name().toLowerCase(Locale.ROOT) + ".log")
                .toAbsolutePath();
    }

    /**
     * A process (not yet started) on a new, empty database of the current kind. On H2 it keeps the
     * application's own default datasource URL: the file database under its data directory.
     */
    public static AppProcess onFreshDatabase(String name) {
        return onFreshDatabase(name, TestDatabases.current());
    }

    /** As {@link #onFreshDatabase(String)}, on a database of the given kind. */
    public static AppProcess onFreshDatabase(String name, TestDatabases.Kind kind) {
        Map<String, Object> database = TestDatabases.freshDatabase("process_" + name, kind);
        if (kind == TestDatabases.Kind.H2) {
            database.keySet().removeIf(key -> key.startsWith("spring.datasource."));
        }
        return new AppProcess(name, kind, database);
    }

    /** A property passed on the command line (it overrides application.properties); before {@link #start()}. */
    public AppProcess property(String key, Object value) {
        properties.put(key, String.valueOf(value));
        return this;
    }

    /** Options for the process's JVM, instead of the default small heap and quick start-up (C1 only). */
    public AppProcess jvmOptions(String... options) {
        jvmOptions = List.of(options);
        return this;
    }

    /** Starts the process on its data and waits until {@code /actuator/health} answers UP. */
    public AppProcess start() {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException(name + " is already running");
        }
        port = freePort();
        starts++;
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.addAll(List.of("-jar", jar().toString(), "--server.port=" + port));
        properties.forEach((key, value) -> command.add("--" + key + "=" + value));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        Map<String, String> environment = builder.environment();
        environment.keySet().removeIf(key -> key.startsWith("SPRING_") || key.startsWith("PERSONVERN_"));
        environment.put("PERSONVERN_ADMIN_TOKEN", Api.ADMIN_TOKEN);
        environment.put("PERSONVERN_MASTER_KEY", masterKey);
        try {
            Files.createDirectories(log.getParent());
            Files.writeString(log, "%n==== start %d of %s at %s on port %d ====%n".formatted(starts, name, Instant.now(), port),
                    StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + name, e);
        }
        Process started = process;
        Runtime.getRuntime().addShutdownHook(new Thread(started::destroyForcibly));
        try {
            await("start of " + name + " (log: " + log + ")").atMost(START_TIMEOUT).pollInterval(Duration.ofMillis(250))
                    .failFast(name + " exited during start-up; see " + log, () -> !started.isAlive())
                    .until(this::healthy);
        } catch (RuntimeException | AssertionError e) {
            started.destroyForcibly();
            throw e;
        }
        return this;
    }

    /** Kills the process with SIGKILL: no shutdown hook, no graceful shutdown, no flush. */
    public void kill() {
        process.destroyForcibly();
        int exit = waitForExit();
        if (exit != 128 + 9) {
            throw new IllegalStateException(name + " did not die of SIGKILL (exit code " + exit + "); see " + log);
        }
    }

    /** Stops the process gracefully (SIGTERM), as a service manager would. */
    public void stop() {
        if (process != null && process.isAlive()) {
            process.destroy();
            waitForExit();
        }
    }

    @Override
    public void close() {
        stop();
    }

    public int port() {
        return port;
    }

    /** An HTTP client for the running process. */
    public Api api() {
        return new Api(port);
    }

    public boolean isAlive() {
        return process != null && process.isAlive();
    }

    public Path dataDir() {
        return dataDir;
    }

    /** The file that collects the output of every start. */
    public Path log() {
        return log;
    }

    private boolean healthy() {
        try {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + port + "/actuator/health")).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 && response.body().contains("\"UP\"");
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private int waitForExit() {
        try {
            if (!process.waitFor(1, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                process.waitFor();
            }
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The jar the package phase built: the failsafe configuration names it; else the one in target/. */
    private static Path jar() {
        String configured = System.getProperty("personvern.test.jar");
        if (configured != null) {
            return Path.of(configured).toAbsolutePath();
        }
        try (var jars = Files.list(Path.of("target"))) {
            return jars.filter(p -> p.getFileName().toString().matches("personvern-.*\\.jar")).findFirst()
                    .map(Path::toAbsolutePath)
                    .orElseThrow(() -> new IllegalStateException("no application jar in target/: run ./mvnw package first"));
        } catch (IOException e) {
            throw new UncheckedIOException("no application jar in target/: run ./mvnw package first", e);
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port", e);
        }
    }
}
