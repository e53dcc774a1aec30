package no.personvern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import no.personvern.testing.Api;
import no.personvern.testing.AppProcess;
import no.personvern.testing.DatabaseTest;
import no.personvern.testing.SlowProxy;
import no.personvern.testing.Smtp;
import org.junit.jupiter.api.Test;

/**
 * SPEC 4, durable events and the mail outbox, in a real process: work that a committed change sets
 * off is done after a {@code kill -9} that came between the commit and the work, once the process is
 * started again on the same data (H2 file database or PostgreSQL).
 */
@DatabaseTest
class CrashBetweenCommitAndWorkIT {

    @Test
    void aRequestWhoseLastSystemWasDoneWhenTheProcessDiedIsCarriedOutAfterTheRestart() throws Exception {
        List<String> win = new CopyOnWriteArrayList<>();
        HttpServer systems = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        systems.createContext("/go", exchange -> answer(exchange, 200, "{\"status\":\"done\"}"));
        systems.createContext("/win", exchange -> {
            win.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            answer(exchange, 202, "{\"status\":\"accepted\"}");
        });
        systems.start();
        String base = "http://127.0.0.1:" + systems.getAddress().getPort();
        try (AppProcess app = AppProcess.onFreshDatabase("CrashBetweenCommitAndWorkIT-fulfilment")
                .property("personvern.catalog", Path.of("src/test/resources/catalogs/connected.yaml").toAbsolutePath())
                .property("TEST_GO_URL", base + "/go").property("TEST_WIN_URL", base + "/win")
                .property("personvern.connectors.poll-interval", "PT0.1S")
                // The fulfilment waits this long after the last "done" committed: the process dies meanwhile.
                .property("personvern.events.listener-delay", "PT10M")
                .start()) {
            Api api = app.api();
            api.post("/api/v1/subjects", Api.ADMIN_TOKEN, "{\"system\":\"go\",\"activity\":\"service-delivery\","
                    + "\"identities\":{\"email\":\"krasj@example.no\"},\"data\":{\"user.name\":\"Kari Krasj\"}}");
            String id = api.post("/api/v1/requests", Api.ADMIN_TOKEN, "{\"type\":\"access\",\"email\":"
                    + "\"krasj@example.no\",\"channel\":\"customer-center\",\"verifiedBy\":\"agent 1\"}")
                    .json().get("id").asString();
            await().atMost(Duration.ofSeconds(30)).until(() -> win.size() == 1 && api.get("/api/v1/requests/" + id,
                    Api.ADMIN_TOKEN).body().contains("\"system\":\"go\",\"status\":\"done\""));

            assertThat(api.post("/api/v1/requests/" + id + "/systems/win/callback", Api.ADMIN_TOKEN,
                    "{\"status\":\"done\"}").status()).as("the last system's answer is committed").isEqualTo(200);
            await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(10))
                    .until(() -> status(api, id).equals("in_progress"));
            assertThat(status(api, id)).as("the fulfilment is still waiting").isEqualTo("in_progress");

            app.kill();
            app.property("personvern.events.listener-delay", "PT0S").start();

            Api restarted = app.api();
            await().atMost(Duration.ofSeconds(60)).until(() -> status(restarted, id).equals("completed"));
            assertThat(restarted.get("/api/v1/requests/" + id, Api.ADMIN_TOKEN).json().get("outcome").asString())
                    .contains("access package delivered");
            assertThat(win).as("the system is not asked again").hasSize(1);
        } finally {
            systems.stop(0);
        }
    }

    @Test
    void mailsQueuedWhenTheProcessDiedAreEveryOneDeliveredAfterTheRestart() throws Exception {
        int mails = 30;
        GreenMail smtp = new GreenMail(new ServerSetup(Smtp.PORT, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        smtp.start();
        try (SlowProxy slow = new SlowProxy(Smtp.PORT, Duration.ofMillis(250));
                AppProcess app = AppProcess.onFreshDatabase("CrashBetweenCommitAndWorkIT-mail")
                        .property("spring.mail.host", "127.0.0.1").property("spring.mail.port", slow.port())
                        .property("personvern.mail.from", "personvern@example.no")
                        .property("personvern.mail.lease", "PT3S")
                        .property("personvern.mail.retry.initial-delay", "PT0.5S")
                        .start()) {
            Api api = app.api();
            List<String> addresses = IntStream.range(0, mails).mapToObj(i -> "kvittering-" + i + "@example.no").toList();
            for (String address : addresses) {
                assertThat(api.post("/api/v1/requests", Api.ADMIN_TOKEN, "{\"type\":\"rectification\",\"email\":\""
                        + address + "\",\"channel\":\"customer-center\",\"verifiedBy\":\"agent 2\"}").status())
                        .as("filed, its receipt queued").isEqualTo(201);
            }
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20))
                    .until(() -> smtp.getReceivedMessages().length >= 5);

            app.kill();
            int beforeTheCrash = smtp.getReceivedMessages().length;
            assertThat(beforeTheCrash).as("killed in the middle of the batch").isLessThan(mails);
            app.start();

            await().atMost(Duration.ofSeconds(60)).until(() -> recipients(smtp).containsAll(addresses));
            // A lease's length: whatever else would be sent again is sent by now, and nothing may be sent a second time.
            await().during(Duration.ofSeconds(4)).atMost(Duration.ofSeconds(15))
                    .until(() -> perMessageId(smtp).values().stream().filter(n -> n > 1).count() <= 1);
            Map<String, Long> perMessageId = perMessageId(smtp);
            assertThat(perMessageId).as("every receipt, none lost").hasSize(mails);
            assertThat(perMessageId.values().stream().filter(n -> n > 1).count())
                    .as("sent twice: at most the one the server had taken when the process died").isLessThanOrEqualTo(1);
        } finally {
            smtp.stop();
        }
    }

    private static Map<String, Long> perMessageId(GreenMail smtp) {
        return Arrays.stream(smtp.getReceivedMessages())
                .collect(Collectors.groupingBy(CrashBetweenCommitAndWorkIT::messageId, Collectors.counting()));
    }

    private static Set<String> recipients(GreenMail smtp) {
        Set<String> to = new HashSet<>();
        for (MimeMessage message : smtp.getReceivedMessages()) {
            try {
                to.add(message.getAllRecipients()[0].toString());
            } catch (MessagingException e) {
                throw new IllegalStateException(e);
            }
        }
        return to;
    }

    private static String messageId(MimeMessage message) {
        try {
            return message.getMessageID();
        } catch (MessagingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String status(Api api, String id) {
        return api.get("/api/v1/requests/" + id, Api.ADMIN_TOKEN).json().get("status").asString();
    }

    private static void answer(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }
}
