package no.personvern.security.internal;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.servlet.http.Cookie;
import java.time.Duration;
import java.time.Instant;
import no.personvern.testing.MutableClock;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.security.web.csrf.CsrfToken;

/** The pages' form token: ours, young, and over HTTPS only from a cookie this very host could set. */
class SignedCsrfCookieTests {

    private final MutableClock clock = new MutableClock(Instant.parse("2026-12-06T10:00:00Z"));
    private final SignedCsrfCookie cookies = new SignedCsrfCookie(new KeyHasher(() -> new byte[32]), clock);

    @Test
    void aTokenIsGoodForADayAndNoLonger() {
        String token = cookies.generateToken(new MockHttpServletRequest()).getToken();
        assertThat(cookies.authentic(token)).isTrue();
        clock.advance(Duration.ofHours(23).plusMinutes(59));
        assertThat(cookies.authentic(token)).isTrue();
        clock.advance(Duration.ofMinutes(2));
        assertThat(cookies.authentic(token)).isFalse();
    }

    @Test
    void aTokenNotSignedByUsOrAlteredIsNone() {
        String token = cookies.generateToken(new MockHttpServletRequest()).getToken();
        String[] parts = token.split("\\.");
        // The same nonce with a later time: the signature no longer fits.
        assertThat(cookies.authentic(parts[0] + "." + (Long.parseLong(parts[1]) + 3600) + "." + parts[2])).isFalse();
        assertThat(cookies.authentic(parts[0] + "." + parts[1] + "." + "0".repeat(32))).isFalse();
        assertThat(cookies.authentic("abc")).isFalse();
        assertThat(cookies.authentic("a.b.c")).isFalse();
        assertThat(cookies.authentic("x".repeat(500))).isFalse();
        assertThat(new SignedCsrfCookie(new KeyHasher(() -> new byte[32]), clock).authentic(token))
                .as("another instance with the same key store accepts it").isTrue();
        byte[] other = new byte[32];
        other[0] = 1;
        assertThat(new SignedCsrfCookie(new KeyHasher(() -> other), clock).authentic(token))
                .as("a different key store does not").isFalse();
    }

    @Test
    void overHttpsOnlyTheHostOnlyCookieCounts() {
        MockHttpServletRequest secure = new MockHttpServletRequest("GET", "/privacy-center");
        secure.setSecure(true);
        CsrfToken token = cookies.generateToken(secure);
        MockHttpServletResponse response = new MockHttpServletResponse();
        cookies.saveToken(token, secure, response);
        assertThat(response.getHeader("Set-Cookie")).startsWith("__Host-pv_csrf=").contains("Path=/", "Secure",
                "HttpOnly", "SameSite=Strict").doesNotContain("Domain");

        // A sibling subdomain can set pv_csrf for the parent domain (cookie tossing), never __Host-pv_csrf.
        MockHttpServletRequest tossed = new MockHttpServletRequest("POST", "/privacy-center/cookies");
        tossed.setSecure(true);
        tossed.setCookies(new Cookie("pv_csrf", token.getToken()));
        assertThat(cookies.loadToken(tossed)).isNull();

        MockHttpServletRequest own = new MockHttpServletRequest("POST", "/privacy-center/cookies");
        own.setSecure(true);
        own.setCookies(new Cookie("__Host-pv_csrf", token.getToken()));
        assertThat(cookies.loadToken(own).getToken()).isEqualTo(token.getToken());

        MockHttpServletRequest plain = new MockHttpServletRequest("POST", "/privacy-center/cookies");
        plain.setCookies(new Cookie("pv_csrf", token.getToken()));
        assertThat(cookies.loadToken(plain).getToken()).as("plain HTTP, in development").isEqualTo(token.getToken());
    }
}
