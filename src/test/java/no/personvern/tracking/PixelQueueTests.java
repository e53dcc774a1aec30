package no.personvern.tracking;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import no.personvern.testing.Api;
import no.personvern.testing.DatabaseTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

/** The pixel buffer has a bound: past it hits are dropped and counted, never held without limit. */
@DatabaseTest
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = {
    "personvern.tracking.queue-capacity=3", "personvern.tracking.flush-interval=PT1H"})
class PixelQueueTests {

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    @Test
    void hitsBeyondTheBufferBoundAreDroppedAndCountedInTheMetrics() {
        Api api = new Api(port);
        String cookie = api.send("POST", "/api/v1/public/cookie-consent", null, Map.of("Content-Type", "application/json"),
                "{\"choices\":{\"statistics\":true,\"marketing\":false}}").raw().headers().allValues("Set-Cookie").get(0)
                .split(";")[0];

        for (int i = 0; i < 5; i++) {
            assertThat(api.get("/t.gif?e=pageview&p=/full", null, Map.of("Cookie", cookie)).status()).isEqualTo(200);
        }

        String metrics = api.get("/actuator/prometheus", Api.ADMIN_TOKEN).body();
        assertThat(metrics).contains("personvern_tracking_hits_dropped_total 2.0");
        assertThat(metrics).contains("personvern_tracking_hits_buffered 3.0");
        assertThat(api.get("/api/v1/stats/pageviews", Api.ADMIN_TOKEN).json().get("total").asLong()).isEqualTo(3);
        assertThat(jdbc.sql("SELECT COUNT(*) FROM page_hit WHERE path = '/full'").query(Long.class).single())
                .isEqualTo(3);
    }
}
