package no.personvern.testing;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetup;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * A real SMTP server (GreenMail) for tests, on a port free when the test JVM started, so that
 * several builds on one machine do not fight over a fixed port.
 */
public final class Smtp {

    public static final int PORT = freePort();

    private Smtp() {
    }

    /** A GreenMail server on {@link #PORT}, started and emptied around each test. */
    public static GreenMailExtension server() {
        return new GreenMailExtension(new ServerSetup(PORT, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
    }

    /** Points Personvern's mail at the server. */
    public static void properties(DynamicPropertyRegistry registry) {
        registry.add("spring.mail.host", () -> "127.0.0.1");
        registry.add("spring.mail.port", () -> PORT);
    }

    /**
     * Waits until the outbox has handed every queued mail to the server: mail is sent after the
     * commit by a worker, so a test reads the mailbox once nothing is pending any more. (The
     * server is restarted around each test: a class whose clock stands still retries at once,
     * {@code personvern.mail.retry.initial-delay=PT0S}, so a mail of the previous test that met
     * the restart does not wait for a clock that never moves.)
     */
    public static void awaitOutboxSent(JdbcClient jdbc) {
        Awaitility.await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(25)).until(() -> jdbc
                .sql("SELECT COUNT(*) FROM mail_outbox WHERE status = 'pending'").query(Long.class).single() == 0);
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port for the test SMTP server", e);
        }
    }
}
