package no.personvern.requests;

import static no.personvern.testing.TestDatabases.arguments;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import no.personvern.Personvern;
import no.personvern.testing.Api;
import no.personvern.testing.DatabaseTest;
import no.personvern.testing.Instances;
import no.personvern.testing.TestDatabases;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * SPEC section 4: work that a committed change sets off is not lost between the commit and the
 * work. The reactions that modules set off in each other (here: carrying out a request once every
 * connected system is done, and starting a retention clock on a withdrawal) are stored with the
 * change and run again after a failure, a crash or a restart, once across instances.
 */
@DatabaseTest
class DurableEventsTests {

    HttpServer server;
    final List<String> win = new CopyOnWriteArrayList<>();

    @BeforeEach
    void startSystems() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/go", exchange -> answer(exchange, 200, "{\"status\":\"done\"}"));
        server.createContext("/win", exchange -> {
            win.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            answer(exchange, 202, "{\"status\":\"accepted\"}");
        });
        server.start();
    }

    @AfterEach
    void stopSystems() {
        server.stop(0);
    }

    @Test
    void aFulfilmentThatFailsAfterTheLastSystemIsDoneIsRunAgainWithoutARestart() throws Exception {
        Map<String, Object> database = TestDatabases.freshDatabase("durable-failed-fulfilment");
        Path blobs = Path.of((String) database.get("personvern.data-dir"), "blobs");
        Files.createDirectories(blobs.getParent());
        Files.writeString(blobs, "not a directory: the package cannot be written");
        Map<String, Object> properties = connected(database);
        properties.put("personvern.events.resubmit-interval", "PT0.2S");
        properties.put("personvern.events.stale-after", "PT0.5S");
        try (ConfigurableApplicationContext app = new SpringApplicationBuilder(Personvern.class)
                .run(arguments(properties))) {
            Api api = new Api(port(app));
            String id = accessRequestWaitingForWin(api, "feilet@example.no");
            api.post("/api/v1/requests/" + id + "/systems/win/callback", Api.ADMIN_TOKEN, "{\"status\":\"done\"}");
            await().atMost(Duration.ofSeconds(20)).until(() -> attempts(app, "AllSystemsDone") >= 3);
            assertThat(status(api, id)).as("the package cannot be written yet").isEqualTo("in_progress");

            Files.delete(blobs);

            await().atMost(Duration.ofSeconds(20)).until(() -> status(api, id).equals("completed"));
            assertThat(api.get("/api/v1/requests/" + id, Api.ADMIN_TOKEN).json().get("outcome").asString())
                    .contains("access package delivered");
        }
    }

    /**
     * Nothing to fan out (the example catalog connects no system): the request is still carried out
     * from an event stored with the transaction that opened it, so a failure (or a crash) after the
     * answer never leaves it open or in progress for good.
     */
    @Test
    void aRequestWithNoSystemToWaitForWhoseFulfilmentFailsIsCarriedOutFromTheStoredEvent() throws Exception {
        Map<String, Object> database = TestDatabases.freshDatabase("durable-no-systems");
        Path blobs = Path.of((String) database.get("personvern.data-dir"), "blobs");
        Files.createDirectories(blobs.getParent());
        Files.writeString(blobs, "not a directory: the package cannot be written");
        Map<String, Object> properties = plain(database);
        properties.put("personvern.events.resubmit-interval", "PT0.2S");
        properties.put("personvern.events.stale-after", "PT0.5S");
        try (ConfigurableApplicationContext app = new SpringApplicationBuilder(Personvern.class)
                .run(arguments(properties))) {
            Api api = new Api(port(app));
            api.post("/api/v1/subjects", Api.ADMIN_TOKEN, "{\"system\":\"newsletter\",\"activity\":\"newsletter\","
                    + "\"identities\":{\"email\":\"ingen@example.no\"},\"data\":{}}");

            Api.Response filed = api.post("/api/v1/requests", Api.ADMIN_TOKEN, "{\"type\":\"access\",\"email\":"
                    + "\"ingen@example.no\",\"channel\":\"customer-center\",\"verifiedBy\":\"agent 1\"}");

            assertThat(filed.status()).as("filed; the package follows").isEqualTo(201);
            String id = filed.json().get("id").asString();
            await().atMost(Duration.ofSeconds(20)).until(() -> attempts(app, "AllSystemsDone") >= 2);
            assertThat(status(api, id)).as("the package cannot be written yet").isNotEqualTo("completed");

            Files.delete(blobs);

            await().atMost(Duration.ofSeconds(20)).until(() -> status(api, id).equals("completed"));
            assertThat(api.get("/api/v1/requests/" + id, Api.ADMIN_TOKEN).json().get("outcome").asString())
                    .contains("access package delivered");
            await().atMost(Duration.ofSeconds(10)).until(() -> incomplete(app).isEmpty());
        }
    }

    @Test
    void aFulfilmentLostToACrashBetweenTheCommitAndTheListenerIsCarriedOutAfterTheRestart() throws Exception {
        Map<String, Object> database = TestDatabases.freshDatabase("durable-crashed-fulfilment");
        String id;
        try (ConfigurableApplicationContext app = new SpringApplicationBuilder(Personvern.class)
                .run(arguments(connected(database)))) {
            Api api = new Api(port(app));
            id = accessRequestWaitingForWin(api, "krasj@example.no");
            Instances.occupyListeners(app);

            assertThat(api.post("/api/v1/requests/" + id + "/systems/win/callback", Api.ADMIN_TOKEN,
                    "{\"status\":\"done\"}").status()).isEqualTo(200);

            assertThat(incomplete(app)).as("committed with the last system's answer")
                    .singleElement().satisfies(type -> assertThat(type).endsWith("AllSystemsDone"));
            assertThat(status(api, id)).isEqualTo("in_progress");
            Instances.crash(app);
        }
        // The context is gone with the listener never run: the process "died" between commit and work.
        try (ConfigurableApplicationContext restarted = new SpringApplicationBuilder(Personvern.class)
                .run(arguments(connected(database)))) {
            Api api = new Api(port(restarted));
            await().atMost(Duration.ofSeconds(20)).until(() -> status(api, id).equals("completed"));
            assertThat(api.get("/api/v1/requests/" + id, Api.ADMIN_TOKEN).json().get("outcome").asString())
                    .contains("access package delivered");
            await().atMost(Duration.ofSeconds(10)).until(() -> incomplete(restarted).isEmpty());
            assertThat(win).as("the system is not asked again").hasSize(1);
        }
    }

    @Test
    void twoInstancesStartingAfterACrashRunEachLostReactionExactlyOnce() throws Exception {
        Map<String, Object> database = TestDatabases.freshDatabase("durable-two-instances");
        int people = 12;
        try (ConfigurableApplicationContext app = new SpringApplicationBuilder(Personvern.class)
                .run(arguments(plain(database)))) {
            Api api = new Api(port(app));
            List<String> subjects = new ArrayList<>();
            for (int i = 0; i < people; i++) {
                subjects.add(api.post("/api/v1/subjects", Api.ADMIN_TOKEN, "{\"system\":\"newsletter\",\"activity\":"
                        + "\"newsletter\",\"identities\":{\"email\":\"to-" + i + "-" + UUID.randomUUID()
                        + "@example.no\"},\"data\":{}}").json().get("id").asString());
            }
            Instances.occupyListeners(app);
            for (String subject : subjects) {
                assertThat(api.post("/api/v1/subjects/" + subject + "/consents", Api.ADMIN_TOKEN,
                        "{\"purpose\":\"marketing.communications.email\",\"granted\":false,\"method\":\"web-form\",\"activity\":\"newsletter\"}")
                        .status()).isEqualTo(201);
            }
            assertThat(incomplete(app)).hasSize(people).allMatch(type -> type.endsWith("ConsentWithdrawn"));
            Instances.crash(app);
        }
        // Both instances come up while a third holds the pass's lease; when it is let go they race for it.
        Map<String, Object> racing = plain(database);
        racing.put("personvern.events.resubmit-interval", "PT0.1S");
        lease(database, "another instance");
        try (ConfigurableApplicationContext a = new SpringApplicationBuilder(Personvern.class).run(arguments(racing));
                ConfigurableApplicationContext b = new SpringApplicationBuilder(Personvern.class)
                        .run(arguments(racing))) {
            assertThat(incomplete(a)).as("nothing ran while the lease was held").hasSize(people);
            lease(database, null);
            JdbcClient jdbc = a.getBean(JdbcClient.class);
            await().atMost(Duration.ofSeconds(20)).until(() -> incomplete(a).isEmpty());
            assertThat(jdbc.sql("SELECT completion_attempts FROM event_publication").query(Integer.class).list())
                    .as("the first attempt, lost, and one resubmission by one of the two").hasSize(people).containsOnly(2);
            assertThat(jdbc.sql("SELECT COUNT(DISTINCT subject_id) FROM retention_trigger WHERE kind = 'withdrawal'")
                    .query(Long.class).single()).as("every clock started").isEqualTo(people);
            assertThat(jdbc.sql("SELECT COUNT(*) FROM retention_trigger GROUP BY subject_id, activity_key"
                    + " HAVING COUNT(*) > 1").query(Long.class).list()).as("none twice").isEmpty();
        }
    }

    /**
     * Holds the resubmission lease as another instance would (until far ahead), or lets it lapse
     * (null). A lapsed lease keeps its row, as ShedLock's own do: ShedLock never deletes one.
     */
    private static void lease(Map<String, Object> database, String holder) throws Exception {
        try (java.sql.Connection connection = java.sql.DriverManager.getConnection(
                (String) database.get("spring.datasource.url"), (String) database.get("spring.datasource.username"),
                (String) database.get("spring.datasource.password"));
                java.sql.PreparedStatement delete = connection.prepareStatement(
                        "DELETE FROM shedlock WHERE name = 'event-resubmission'");
                java.sql.PreparedStatement insert = connection.prepareStatement("INSERT INTO shedlock"
                        + " (name, lock_until, locked_at, locked_by) VALUES ('event-resubmission', ?, ?, ?)")) {
            delete.executeUpdate();
            insert.setObject(1, java.time.LocalDateTime.of(holder == null ? 2000 : 2100, 1, 1, 0, 0));
            insert.setObject(2, java.time.LocalDateTime.of(2000, 1, 1, 0, 0));
            insert.setString(3, holder == null ? "lapsed" : holder);
            insert.executeUpdate();
        }
    }

    private String accessRequestWaitingForWin(Api api, String email) {
        api.post("/api/v1/subjects", Api.ADMIN_TOKEN, "{\"system\":\"go\",\"activity\":\"service-delivery\","
                + "\"identities\":{\"email\":\"" + email + "\"},\"data\":{\"user.name\":\"Kari Krasj\"}}");
        String id = api.post("/api/v1/requests", Api.ADMIN_TOKEN, "{\"type\":\"access\",\"email\":\"" + email
                + "\",\"channel\":\"customer-center\",\"verifiedBy\":\"agent 1\"}").json().get("id").asString();
        await().atMost(Duration.ofSeconds(20)).until(() -> win.size() == 1 && api.get("/api/v1/requests/" + id,
                Api.ADMIN_TOKEN).body().contains("\"system\":\"go\",\"status\":\"done\""));
        return id;
    }

    private static List<String> incomplete(ConfigurableApplicationContext app) {
        return app.getBean(JdbcClient.class).sql("SELECT event_type FROM event_publication WHERE completion_date IS NULL")
                .query(String.class).list();
    }

    private static int attempts(ConfigurableApplicationContext app, String event) {
        return app.getBean(JdbcClient.class).sql("SELECT COALESCE(MAX(completion_attempts), 0) FROM event_publication"
                + " WHERE event_type LIKE :type").param("type", "%" + event).query(Integer.class).single();
    }

    private static String status(Api api, String id) {
        return api.get("/api/v1/requests/" + id, Api.ADMIN_TOKEN).json().get("status").asString();
    }

    private Map<String, Object> connected(Map<String, Object> database) {
        Map<String, Object> properties = plain(database);
        properties.put("personvern.catalog", "classpath:catalogs/connected.yaml");
        properties.put("TEST_GO_URL", "http://127.0.0.1:" + server.getAddress().getPort() + "/go");
        properties.put("TEST_WIN_URL", "http://127.0.0.1:" + server.getAddress().getPort() + "/win");
        properties.put("personvern.connectors.poll-interval", "PT0.1S");
        return properties;
    }

    private static Map<String, Object> plain(Map<String, Object> database) {
        Map<String, Object> properties = new HashMap<>(database);
        properties.put("server.port", "0");
        return properties;
    }

    private static int port(ConfigurableApplicationContext context) {
        return Integer.parseInt(context.getEnvironment().getProperty("local.server.port"));
    }

    private static void answer(com.sun.net.httpserver.HttpExchange exchange, int status, String body)
            throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }
}
