package no.personvern.security.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;

class TrustedProxiesTests {

    private final TrustedProxies proxies = new TrustedProxies(List.of("10.0.0.0/8", " 2001:db8:ffff::/48", "192.0.2.5"),
            "X-Forwarded-For");

    @Test
    void withNoTrustedProxiesTheSocketPeerIsTheClient() {
        TrustedProxies none = new TrustedProxies(List.of(""), "X-Forwarded-For");

        assertThat(none.client(request("10.1.2.3", "X-Forwarded-For", "198.51.100.1")).getHostAddress())
                .isEqualTo("10.1.2.3");
    }

    @Test
    void theClientIsTheRightMostAddressThatIsNotATrustedProxy() {
        assertThat(client("10.1.2.3", "203.0.113.9, 198.51.100.1, 10.4.4.4, 192.0.2.5")).isEqualTo("198.51.100.1");
        assertThat(client("10.1.2.3", "198.51.100.1:5555")).isEqualTo("198.51.100.1");
        assertThat(client("10.1.2.3", "10.9.9.9, 10.8.8.8")).as("only proxies: the left-most").isEqualTo("10.9.9.9");
        assertThat(client("10.1.2.3", "")).isEqualTo("10.1.2.3");
    }

    @Test
    void anUnreadableHopEndsTheWalkAtTheLastProxy() {
        assertThat(client("10.1.2.3", "198.51.100.1, unknown")).isEqualTo("10.1.2.3");
        assertThat(client("10.1.2.3", "evil.example.com")).as("never a host name to look up").isEqualTo("10.1.2.3");
        assertThat(client("10.1.2.3", "1.2.3.999")).isEqualTo("10.1.2.3");
    }

    @Test
    void anUntrustedPeersHeaderIsIgnored() {
        assertThat(client("198.51.100.50", "203.0.113.9")).isEqualTo("198.51.100.50");
    }

    @Test
    void theForwardedHeaderIsReadWhenConfigured() {
        TrustedProxies rfc7239 = new TrustedProxies(List.of("10.0.0.0/8"), "Forwarded");
        MockHttpServletRequest request = request("10.1.2.3", "Forwarded",
                "for=203.0.113.9;proto=https, for=\"[2001:db8:cafe::17]:4711\";by=10.0.0.1");

        assertThat(rfc7239.key(rfc7239.client(request))).isEqualTo("2001:db8:cafe:0:0:0:0:0/64");
        assertThat(rfc7239.client(request("10.1.2.3", "X-Forwarded-For", "203.0.113.9")).getHostAddress())
                .as("the other header is not read").isEqualTo("10.1.2.3");
    }

    @Test
    void ipv4KeysAreTheAddressAndIpv6KeysTheSlash64() {
        assertThat(proxies.key("198.51.100.1")).isEqualTo("198.51.100.1");
        assertThat(proxies.key("2001:db8:1:2:aaaa::1")).isEqualTo(proxies.key("2001:db8:1:2:bbbb::2"))
                .isEqualTo("2001:db8:1:2:0:0:0:0/64");
        assertThat(proxies.key("2001:db8:1:3::1")).isNotEqualTo(proxies.key("2001:db8:1:2::1"));
        assertThat(proxies.key("::ffff:198.51.100.1")).as("IPv4-mapped").isEqualTo("198.51.100.1");
    }

    @Test
    void aTrustedRangeThatIsNoCidrFailsAtStartUp() {
        assertThatThrownBy(() -> new TrustedProxies(List.of("proxy.example.com"), "X-Forwarded-For"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new TrustedProxies(List.of("10.0.0.0/33"), "X-Forwarded-For"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new TrustedProxies(List.of(), "X-Real-IP")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void cidrsMatchOnTheirPrefixBits() {
        TrustedProxies odd = new TrustedProxies(List.of("172.16.0.0/12", "2001:db8:8000::/33"), "X-Forwarded-For");

        assertThat(odd.isTrusted(TrustedProxies.parse("172.31.255.255"))).isTrue();
        assertThat(odd.isTrusted(TrustedProxies.parse("172.32.0.0"))).isFalse();
        assertThat(odd.isTrusted(TrustedProxies.parse("2001:db8:ffff::1"))).isTrue();
        assertThat(odd.isTrusted(TrustedProxies.parse("2001:db8:7fff::1"))).isFalse();
    }

    @Test
    void aTrustedProxyThatEndsTlsMakesTheRequestSecureAndNoOneElseCan() throws Exception {
        assertThat(seenBy(proxies, request("10.1.2.3", "X-Forwarded-Proto", "https")).isSecure()).isTrue();
        assertThat(seenBy(proxies, request("10.1.2.3", "X-Forwarded-Proto", "https")).getScheme()).isEqualTo("https");
        assertThat(seenBy(proxies, request("10.1.2.3", "X-Forwarded-Proto", "https, http")).isSecure())
                .as("the value the nearest proxy wrote").isFalse();
        assertThat(seenBy(proxies, request("198.51.100.50", "X-Forwarded-Proto", "https")).isSecure())
                .as("an untrusted peer").isFalse();
        assertThat(seenBy(proxies, request("10.1.2.3", "X-Forwarded-Proto", "gopher")).getScheme()).isEqualTo("http");
        TrustedProxies rfc7239 = new TrustedProxies(List.of("10.0.0.0/8"), "Forwarded");
        assertThat(seenBy(rfc7239, request("10.1.2.3", "Forwarded", "for=203.0.113.9;proto=https")).isSecure()).isTrue();
        assertThat(seenBy(rfc7239, request("10.1.2.3", "X-Forwarded-Proto", "https")).isSecure())
                .as("the other header is not read").isFalse();
    }

    private static jakarta.servlet.ServletRequest seenBy(TrustedProxies filter, MockHttpServletRequest request)
            throws Exception {
        org.springframework.mock.web.MockFilterChain chain = new org.springframework.mock.web.MockFilterChain();
        filter.doFilter(request, new org.springframework.mock.web.MockHttpServletResponse(), chain);
        return chain.getRequest();
    }

    private String client(String peer, String forwardedFor) {
        return proxies.client(request(peer, "X-Forwarded-For", forwardedFor)).getHostAddress();
    }

    private static MockHttpServletRequest request(String peer, String header, String value) {
        MockHttpServletRequest request = new MockHttpServletRequest("GET", "/privacy");
        request.setRemoteAddr(peer);
        if (!value.isEmpty()) {
            request.addHeader(header, value);
        }
        return request;
    }
}
