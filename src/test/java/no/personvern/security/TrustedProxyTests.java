package no.personvern.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.UnknownHostException;
import no.personvern.testing.DatabaseTest;
import no.personvern.testing.RawHttp;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Behind a reverse proxy every visitor arrives from the proxy's address: the public rate limit
 * then counts per client only if the forwarded client address is read — and only from a proxy
 * that is configured as trusted (here 127.0.0.2), since anyone else can write the header. The
 * test connects from 127.0.0.2 (the proxy) and 127.0.0.1 (a client talking directly).
 */
@DatabaseTest
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = {
    "personvern.public.rate-limit-per-minute=3", "personvern.trusted-proxies=127.0.0.2/32, 2001:db8:ffff::/48"})
class TrustedProxyTests {

    @LocalServerPort
    int port;

    @Test
    void aTrustedProxysForwardedClientIsLimitedOnItsOwn() throws Exception {
        RawHttp proxy = new RawHttp(port, InetAddress.getByName("127.0.0.2"));

        for (int i = 0; i < 3; i++) {
            assertThat(get(proxy, "X-Forwarded-For: 198.51.100.7")).isEqualTo(200);
        }
        assertThat(get(proxy, "X-Forwarded-For: 198.51.100.7")).isEqualTo(429);

        assertThat(get(proxy, "X-Forwarded-For: 198.51.100.8")).as("another visitor behind the same proxy").isEqualTo(200);
        assertThat(get(proxy, "X-Forwarded-For: 198.51.100.7, 198.51.100.9"))
                .as("the right-most address that is not a trusted proxy is the client").isEqualTo(200);
        assertThat(get(proxy, "X-Forwarded-For: 203.0.113.1, 198.51.100.7"))
                .as("what the client wrote to the left is not believed").isEqualTo(429);
    }

    @Test
    void forwardedHeadersFromAnUntrustedPeerAreIgnored() throws Exception {
        RawHttp direct = new RawHttp(port, InetAddress.getByName("127.0.0.1"));

        for (int i = 0; i < 3; i++) {
            assertThat(get(direct, "X-Forwarded-For: 192.0.2." + i)).isEqualTo(200);
        }

        assertThat(get(direct, "X-Forwarded-For: 192.0.2.77")).isEqualTo(429);
        assertThat(get(direct, "Forwarded: for=192.0.2.78")).isEqualTo(429);
    }

    @Test
    void ipv6ClientsOfOneSlash64ShareOneLimit() throws UnknownHostException {
        RawHttp proxy = new RawHttp(port, InetAddress.getByName("127.0.0.2"));

        assertThat(get(proxy, "X-Forwarded-For: 2001:db8:1:2::a")).isEqualTo(200);
        assertThat(get(proxy, "X-Forwarded-For: 2001:db8:1:2:ffff:ffff:ffff:fffe")).isEqualTo(200);
        assertThat(get(proxy, "X-Forwarded-For: [2001:db8:1:2::3]:4711")).isEqualTo(200);

        assertThat(get(proxy, "X-Forwarded-For: 2001:db8:1:2::b")).as("a fourth address of the same /64").isEqualTo(429);
        assertThat(get(proxy, "X-Forwarded-For: 2001:db8:1:3::a")).as("the next /64").isEqualTo(200);
        assertThat(get(proxy, "X-Forwarded-For: 2001:db8:1:5::a, 2001:db8:ffff::1"))
                .as("a trusted IPv6 proxy in the chain is skipped").isEqualTo(200);
    }

    private static int get(RawHttp from, String header) {
        return from.send("GET /api/v1/public/notice HTTP/1.1\r\n" + header, null).status();
    }
}
