package no.personvern.tracking;

import static no.personvern.testing.TestDatabases.arguments;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import no.personvern.Personvern;
import no.personvern.testing.Api;
import no.personvern.testing.DatabaseTest;
import no.personvern.testing.TestDatabases;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Buffered pixel hits are not lost when the instance shuts down. */
@DatabaseTest
class PixelBufferTests {

    @Test
    void bufferedHitsAreFlushedOnShutdown() {
        Map<String, Object> properties = new HashMap<>(TestDatabases.freshDatabase("pixel-buffer"));
        properties.put("server.port", "0");
        // No timed flush during the test: only the flush on shutdown can write the hits.
        properties.put("personvern.tracking.flush-interval", "PT1H");
        try (ConfigurableApplicationContext first = new SpringApplicationBuilder(Personvern.class).run(arguments(properties))) {
            Api api = new Api(Integer.parseInt(first.getEnvironment().getProperty("local.server.port")));
            String cookie = api.send("POST", "/api/v1/public/cookie-consent", null, Map.of("Content-Type", "application/json"),
                    "{\"choices\":{\"statistics\":true,\"marketing\":false}}").raw().headers().allValues("Set-Cookie").get(0)
                    .split(";")[0];
            for (int i = 0; i < 5; i++) {
                api.get("/t.gif?e=pageview&p=/shutdown", null, Map.of("Cookie", cookie));
            }
        }
        try (ConfigurableApplicationContext second = new SpringApplicationBuilder(Personvern.class).run(arguments(properties))) {
            assertThat(second.getBean(JdbcClient.class).sql("SELECT COUNT(*) FROM page_hit WHERE path = '/shutdown'")
                    .query(Long.class).single()).isEqualTo(5);
        }
    }
}
