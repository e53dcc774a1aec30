package no.personvern.requests;

import static no.personvern.testing.TestDatabases.arguments;
import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import no.personvern.Personvern;
import no.personvern.testing.Api;
import no.personvern.testing.DatabaseTest;
import no.personvern.testing.Json;
import no.personvern.testing.TestDatabases;
import no.personvern.testing.Tokens;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

/**
 * Requests reach the connected systems over real HTTP: one that fails twice before answering, one
 * that answers 202 and calls back; signed, retried with backoff, resumed after a restart.
 */
@DatabaseTest
class ConnectedSystemsTests {

    record Received(String body, String signature, String idempotencyKey, int answer) {
    }

    HttpServer server;
    final List<Received> go = new CopyOnWriteArrayList<>();
    final List<Received> win = new CopyOnWriteArrayList<>();
    final AtomicInteger goFailuresLeft = new AtomicInteger(2);

    @BeforeEach
    void startSystems() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/go", exchange -> {
            int answer = goFailuresLeft.getAndDecrement() > 0 ? 503 : 200;
            go.add(received(exchange, answer));
            answer(exchange, answer, answer == 200 ? "{\"status\":\"done\"}" : "{\"error\":\"busy\"}");
        });
        server.createContext("/win", exchange -> {
            win.add(received(exchange, 202));
            answer(exchange, 202, Json.object("status", "accepted"));
        });
        server.start();
    }

    @AfterEach
    void stopSystems() {
        server.stop(0);
    }

    @Test
    void anErasureReachesEverySystemSignedRetriedAndCalledBackBeforeTheVaultForgets() throws Exception {
        Map<String, Object> database = TestDatabases.freshDatabase("connected-erasure");
        try (ConfigurableApplicationContext app = start(database)) {
            Api api = new Api(port(app));
            String subject = person(api, "koblet@example.no");
            // Someone else's address, added through the person's external id but never vouched for.
            api.post("/api/v1/subjects", Api.ADMIN_TOKEN, "{\"system\":\"go\",\"activity\":\"service-delivery\","
                    + "\"identities\":{\"email\":\"fremmed@example.no\",\"externalIds\":{\"go\":\"go-42\"}}}");

            JsonNode request = api.post("/api/v1/requests", Api.ADMIN_TOKEN, """
                    {"type":"erasure","email":"koblet@example.no","channel":"customer-center","verifiedBy":"agent 1"}""")
                    .json();
            String id = request.get("id").asString();
            assertThat(request.get("status").asString()).isEqualTo("in_progress");

            // The system records its answer before Personvern has read it: wait for Personvern's side too.
            await(() -> go.stream().anyMatch(r -> r.answer() == 200) && !win.isEmpty() && system(api.get(
                    "/api/v1/requests/" + id, Api.ADMIN_TOKEN).json(), "go").get("status").asString().equals("done"));
            assertThat(go).hasSize(3);
            assertThat(api.get("/api/v1/subjects/" + subject, Api.ADMIN_TOKEN).status()).as("still held while waiting")
                    .isEqualTo(200);
            JsonNode waiting = api.get("/api/v1/requests/" + id, Api.ADMIN_TOKEN).json();
            assertThat(system(waiting, "go").get("status").asString()).isEqualTo("done");
            assertThat(system(waiting, "go").get("attempts").asInt()).isEqualTo(3);
            assertThat(system(waiting, "win").get("status").asString()).isEqualTo("waiting");

            for (Received received : go) {
                assertThat(received.signature()).isEqualTo("sha256=" + hmac("go-secret", received.body()));
                assertThat(received.idempotencyKey()).isEqualTo(id);
                assertThat(received.body()).contains("\"requestId\":\"" + id + "\"", "\"type\":\"erasure\"",
                        "koblet@example.no", "\"processorActivities\":[\"customer-ledgers\"]");
                assertThat(received.body()).as("systems act only on verified identities")
                        .doesNotContain("fremmed@example.no");
            }
            assertThat(win.get(0).signature()).isEqualTo("sha256=" + hmac("win-secret", win.get(0).body()));

            String winToken = new Tokens(api).issueForSystem("win", "requests:callback");
            assertThat(api.post("/api/v1/requests/" + id + "/systems/go/callback", winToken,
                    Json.object("status", "done")).status()).as("a system answers only for itself").isEqualTo(403);
            Api.Response called = api.post("/api/v1/requests/" + id + "/systems/win/callback", winToken,
                    Json.object("status", "done"));
            assertThat(called.status()).isEqualTo(200);

            await(() -> api.get("/api/v1/requests/" + id, Api.ADMIN_TOKEN).json().get("status").asString()
                    .equals("completed"));
            assertThat(api.get("/api/v1/subjects/" + subject, Api.ADMIN_TOKEN).status()).isEqualTo(410);
            Awaitility.await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(10))
                    .until(() -> go.size() == 3);
            assertThat(go).as("nothing is sent again once done").hasSize(3);
            assertThat(api.get("/api/v1/audit/verify", Api.ADMIN_TOKEN).json().get("valid").asBoolean()).isTrue();
        }
    }

    @Test
    void aRestrictionIsInForceTheMomentItIsTakenInBeforeAnyConnectedSystemAnswers() throws Exception {
        Map<String, Object> database = TestDatabases.freshDatabase("connected-restriction");
        try (ConfigurableApplicationContext app = start(database)) {
            Api api = new Api(port(app));
            String subject = person(api, "sperres@example.no");

            JsonNode request = api.post("/api/v1/requests", Api.ADMIN_TOKEN, """
                    {"type":"restriction","email":"sperres@example.no","channel":"phone","verifiedBy":"agent 2"}""")
                    .json();
            String id = request.get("id").asString();

            assertThat(request.get("status").asString()).isEqualTo("in_progress");
            assertThat(system(request, "win").get("status").asString()).as("no system has answered done")
                    .isNotEqualTo("done");
            assertThat(api.get("/api/v1/subjects/" + subject, Api.ADMIN_TOKEN).json().get("data"))
                    .as("restricted at once, locally").isEmpty();
            assertThat(api.get("/api/v1/subjects?email=sperres@example.no", Api.ADMIN_TOKEN).json().get("items"))
                    .isEmpty();

            await(() -> !win.isEmpty() && go.stream().anyMatch(r -> r.answer() == 200));
            assertThat(win.get(0).body()).as("the systems still receive it").contains("\"type\":\"restriction\"");
            assertThat(api.post("/api/v1/requests/" + id + "/systems/win/callback", Api.ADMIN_TOKEN,
                    Json.object("status", "done")).status()).isEqualTo(200);
            await(() -> api.get("/api/v1/requests/" + id, Api.ADMIN_TOKEN).json().get("status").asString()
                    .equals("completed"));
            assertThat(api.get("/api/v1/subjects/" + subject, Api.ADMIN_TOKEN).json().get("data")).isEmpty();
        }
    }

    @Test
    void anErasureRejectedWhileASystemStillWorksIsNotCarriedOutWhenTheSystemAnswersDone() throws Exception {
        Map<String, Object> database = TestDatabases.freshDatabase("connected-rejected");
        try (ConfigurableApplicationContext app = start(database)) {
            Api api = new Api(port(app));
            String subject = person(api, "angret@example.no");
            String id = api.post("/api/v1/requests", Api.ADMIN_TOKEN, """
                    {"type":"erasure","email":"angret@example.no","channel":"support","verifiedBy":"agent 1"}""")
                    .json().get("id").asString();
            await(() -> !win.isEmpty() && go.stream().anyMatch(r -> r.answer() == 200));

            Api.Response rejected = api.post("/api/v1/requests/" + id + "/reject", Api.ADMIN_TOKEN,
                    "{\"reason\":\"Manifestly unfounded (Art. 12(5)).\"}");
            assertThat(rejected.status()).as(rejected.body()).isEqualTo(200);
            assertThat(api.post("/api/v1/requests/" + id + "/systems/win/callback", Api.ADMIN_TOKEN,
                    "{\"status\":\"done\"}").status()).isEqualTo(200);
            // The answer is handled after its commit: time for a fulfilment that must not come.
            Awaitility.await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(10))
                    .until(() -> api.get("/api/v1/subjects/" + subject, Api.ADMIN_TOKEN).status() == 200
                            && api.get("/api/v1/requests/" + id, Api.ADMIN_TOKEN).json().get("status").asString()
                                    .equals("rejected"));

            JsonNode after = api.get("/api/v1/requests/" + id, Api.ADMIN_TOKEN).json();
            assertThat(after.get("status").asString()).as("the decision stands").isEqualTo("rejected");
            assertThat(api.get("/api/v1/subjects/" + subject, Api.ADMIN_TOKEN).status())
                    .as("a rejected erasure erases nothing").isEqualTo(200);
        }
    }

    @Test
    void nothingReachesTheSystemsWhileALegalHoldKeepsTheDataAndTheErasureGoesOutWhenItEnds() throws Exception {
        Map<String, Object> database = TestDatabases.freshDatabase("connected-legal-hold");
        goFailuresLeft.set(0);
        try (ConfigurableApplicationContext app = start(database)) {
            Api api = new Api(port(app));
            String subject = person(api, "holdt@example.no");
            String hold = api.post("/api/v1/legal-holds", Api.ADMIN_TOKEN, "{\"subjectId\":\"" + subject
                    + "\",\"reason\":\"Tvist\"}").json().get("id").asString();

            JsonNode deferred = api.post("/api/v1/requests", Api.ADMIN_TOKEN, """
                    {"type":"erasure","email":"holdt@example.no","channel":"customer-center","verifiedBy":"agent 1"}""")
                    .json();

            assertThat(deferred.get("status").asString()).isEqualTo("completed");
            assertThat(deferred.get("outcome").asString()).contains("17 nr. 3 bokstav e");
            assertThat(go).as("a system told to erase would destroy what the hold keeps").isEmpty();
            assertThat(win).isEmpty();

            api.delete("/api/v1/legal-holds/" + hold, Api.ADMIN_TOKEN);
            assertThat(api.post("/api/v1/retention/runs", Api.ADMIN_TOKEN, Json.object("dryRun", false)).status())
                    .isEqualTo(202);
            await(() -> go.size() == 1 && win.size() == 1);
            assertThat(go.get(0).body()).contains("\"type\":\"erasure\"", "holdt@example.no");
        }
    }

    @Test
    void aFanOutInterruptedByARestartResumesWithoutDuplicates() throws Exception {
        Map<String, Object> database = TestDatabases.freshDatabase("connected-restart");
        goFailuresLeft.set(1_000);
        String id;
        try (ConfigurableApplicationContext first = start(database)) {
            Api api = new Api(port(first));
            person(api, "omstart@example.no");
            id = api.post("/api/v1/requests", Api.ADMIN_TOKEN, """
                    {"type":"access","email":"omstart@example.no","channel":"customer-center","verifiedBy":"agent 2"}""")
                    .json().get("id").asString();
            await(() -> go.size() >= 2);
        }
        goFailuresLeft.set(0);
        int before = go.size();
        try (ConfigurableApplicationContext second = start(database)) {
            Api api = new Api(port(second));
            await(() -> go.stream().anyMatch(r -> r.answer() == 200));
            api.post("/api/v1/requests/" + id + "/systems/win/callback", Api.ADMIN_TOKEN,
                    Json.object("status", "done"));
            await(() -> api.get("/api/v1/requests/" + id, Api.ADMIN_TOKEN).json().get("status").asString()
                    .equals("completed"));
            Awaitility.await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(10))
                    .until(() -> go.size() == before + 1);
            assertThat(go.stream().filter(r -> r.answer() == 200).count()).isEqualTo(1);
            assertThat(go.size()).isEqualTo(before + 1);
            assertThat(win).as("the 202 was not sent again after the restart").hasSize(1);
            assertThat(api.get("/api/v1/requests/" + id, Api.ADMIN_TOKEN).json().get("outcome").asString())
                    .contains("access package delivered");
        }
    }

    private ConfigurableApplicationContext start(Map<String, Object> database) {
        Map<String, Object> properties = new HashMap<>(database);
        properties.put("server.port", "0");
        properties.put("personvern.catalog", "classpath:catalogs/connected.yaml");
        properties.put("TEST_GO_URL", "http://127.0.0.1:" + server.getAddress().getPort() + "/go");
        properties.put("TEST_WIN_URL", "http://127.0.0.1:" + server.getAddress().getPort() + "/win");
        properties.put("personvern.connectors.retry.initial-delay", "PT0.2S");
        properties.put("personvern.connectors.retry.max-delay", "PT0.5S");
        properties.put("personvern.connectors.poll-interval", "PT0.1S");
        return new SpringApplicationBuilder(Personvern.class).run(arguments(properties));
    }

    private static String person(Api api, String email) {
        return api.post("/api/v1/subjects", Api.ADMIN_TOKEN, "{\"system\":\"go\",\"activity\":\"service-delivery\","
                + "\"identities\":{\"email\":\"" + email + "\",\"externalIds\":{\"go\":\"go-42\"}},"
                + "\"data\":{\"user.name\":\"Kari Koblet\"}}").json().get("id").asString();
    }

    private static JsonNode system(JsonNode request, String key) {
        for (JsonNode system : request.get("systems")) {
            if (system.get("system").asString().equals(key)) {
                return system;
            }
        }
        throw new AssertionError("no system " + key + " in " + request);
    }

    private static void await(BooleanSupplier condition) {
        Awaitility.await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50))
                .until(condition::getAsBoolean);
    }

    private static int port(ConfigurableApplicationContext context) {
        return Integer.parseInt(context.getEnvironment().getProperty("local.server.port"));
    }

    private static Received received(HttpExchange exchange, int answer) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        return new Received(body, exchange.getRequestHeaders().getFirst("X-Personvern-Signature"),
                exchange.getRequestHeaders().getFirst("Idempotency-Key"), answer);
    }

    private static void answer(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    private static String hmac(String secret, String body) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
    }
}
