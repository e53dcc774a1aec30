package no.personvern.requests;

import static no.personvern.testing.TestDatabases.arguments;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import no.personvern.Personvern;
import no.personvern.testing.Api;
import no.personvern.testing.DatabaseTest;
import no.personvern.testing.TestDatabases;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * A connected system that accepts the connection and then says nothing holds up only the webhook
 * dispatch: the audit chain and the pixel flush run on threads of their own.
 */
@DatabaseTest
class SlowConnectorTests {

    HttpServer server;
    final CountDownLatch release = new CountDownLatch(1);
    final AtomicInteger hanging = new AtomicInteger();

    @BeforeEach
    void startSilentSystem() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/", exchange -> {
            hanging.incrementAndGet();
            try {
                release.await(120, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            hanging.decrementAndGet();
            exchange.sendResponseHeaders(503, -1);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stopSilentSystem() {
        release.countDown();
        server.stop(0);
    }

    @Test
    void aSystemThatDoesNotAnswerDelaysNeitherTheAuditChainNorThePixelFlush() {
        Map<String, Object> properties = new HashMap<>(TestDatabases.freshDatabase("slow-connector"));
        String url = "http://127.0.0.1:" + server.getAddress().getPort();
        properties.put("server.port", "0");
        properties.put("personvern.catalog", "classpath:catalogs/connected.yaml");
        properties.put("TEST_GO_URL", url + "/go");
        properties.put("TEST_WIN_URL", url + "/win");
        properties.put("personvern.connectors.poll-interval", "PT0.1S");
        properties.put("personvern.connectors.timeout", "PT5M");
        properties.put("personvern.tracking.flush-interval", "PT0.2S");
        try (ConfigurableApplicationContext app = new SpringApplicationBuilder(Personvern.class).run(arguments(properties))) {
            try {
                whileTheSystemIsSilent(app);
            } finally {
                release.countDown();
            }
        }
    }

    private void whileTheSystemIsSilent(ConfigurableApplicationContext app) {
        Api api = new Api(Integer.parseInt(app.getEnvironment().getProperty("local.server.port")));
        JdbcClient jdbc = app.getBean(JdbcClient.class);
        api.post("/api/v1/subjects", Api.ADMIN_TOKEN, """
                {"system":"go","activity":"service-delivery","identities":{"email":"treg@example.no"},
                 "data":{"user.name":"Tone Treg"}}""");
        api.post("/api/v1/requests", Api.ADMIN_TOKEN, """
                {"type":"access","email":"treg@example.no","channel":"phone","verifiedBy":"agent 3"}""");
        await().atMost(Duration.ofSeconds(30)).until(() -> hanging.get() > 0);

        String written = api.post("/api/v1/subjects", Api.ADMIN_TOKEN, """
                {"system":"go","activity":"service-delivery","identities":{"email":"imens@example.no"},
                 "data":{"user.name":"Ivar Imens"}}""").json().get("id").asString();
        String cookie = api.send("POST", "/api/v1/public/cookie-consent", null,
                Map.of("Content-Type", "application/json"), "{\"choices\":{\"statistics\":true,\"marketing\":false}}")
                .raw().headers().allValues("Set-Cookie").get(0).split(";")[0];
        api.get("/t.gif?e=pageview&p=/mens-systemet-tier", null, Map.of("Cookie", cookie));

        await().atMost(Duration.ofSeconds(20)).until(() -> jdbc.sql("SELECT COUNT(*) FROM audit_pending")
                .query(Long.class).single() == 0);
        await().atMost(Duration.ofSeconds(20)).until(() -> jdbc.sql(
                "SELECT COUNT(*) FROM page_hit WHERE path = '/mens-systemet-tier'").query(Long.class).single() == 1);
        assertThat(jdbc.sql("SELECT COUNT(*) FROM audit_entry WHERE action = 'subject.created'").query(Long.class)
                .single()).as("both writes are in the chain").isGreaterThanOrEqualTo(2);
        assertThat(hanging.get()).as("the system is still silent").isPositive();
        assertThat(written).isNotBlank();
    }
}
