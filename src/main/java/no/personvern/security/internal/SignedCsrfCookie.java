package no.personvern.security.internal;

import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import org.springframework.http.ResponseCookie;
import org.springframework.security.web.csrf.CsrfToken;
import org.springframework.security.web.csrf.CsrfTokenRepository;
import org.springframework.security.web.csrf.DefaultCsrfToken;

/**
 * CSRF protection for the public pages without a session: a double-submit token. The token is
 * random, carries the time it was made and is signed with a key derived from the key store; it is
 * kept in an HttpOnly, SameSite=Strict cookie and sent back in each form, and a post is accepted
 * only when the form's token matches the cookie's, the signature is ours and the token is less than
 * {@link #MAX_AGE} old.
 *
 * <p>The signature alone does not stop a neighbour: anyone may fetch a page and so hold a signed
 * token, and a sibling subdomain can set cookies for the parent domain ("cookie tossing"). Over
 * HTTPS the cookie is therefore named {@code __Host-pv_csrf}, which browsers accept only from this
 * very host (Secure, Path=/, no Domain), and a cookie of the plain name is ignored; and
 * {@link SameOriginPosts} refuses posts a browser marks as coming from another origin, the same
 * site included. Over plain HTTP (development) the cookie is {@code pv_csrf}.
 */
final class SignedCsrfCookie implements CsrfTokenRepository {

    static final String COOKIE = "pv_csrf";
    static final String SECURE_COOKIE = "__Host-pv_csrf";
    static final String PARAMETER = "_csrf";
    static final String HEADER = "X-CSRF-TOKEN";
    /** How long a page's form stays good: a day, after which the person is asked to reload it. */
    static final Duration MAX_AGE = Duration.ofHours(24);
    private static final String BUCKET = "csrf";

    private final SecureRandom random = new SecureRandom();
    private final KeyHasher signer;
    private final Clock clock;

    SignedCsrfCookie(KeyHasher signer, Clock clock) {
        this.signer = signer;
        this.clock = clock;
    }

    @Override
    public CsrfToken generateToken(HttpServletRequest request) {
        byte[] nonce = new byte[24];
        random.nextBytes(nonce);
        String value = Base64.getUrlEncoder().withoutPadding().encodeToString(nonce) + "."
                + clock.instant().getEpochSecond();
        return new DefaultCsrfToken(HEADER, PARAMETER, value + "." + signer.hash(BUCKET, value));
    }

    @Override
    public void saveToken(CsrfToken token, HttpServletRequest request, HttpServletResponse response) {
        boolean secure = request.isSecure();
        ResponseCookie cookie = ResponseCookie.from(secure ? SECURE_COOKIE : COOKIE, token == null ? "" : token.getToken())
                .path("/")
                .httpOnly(true)
                .secure(secure)
                .sameSite("Strict")
                .maxAge(token == null ? 0 : -1)
                .build();
        response.addHeader("Set-Cookie", cookie.toString());
    }

    @Override
    public CsrfToken loadToken(HttpServletRequest request) {
        Cookie[] cookies = request.getCookies();
        if (cookies == null) {
            return null;
        }
        String name = request.isSecure() ? SECURE_COOKIE : COOKIE;
        for (Cookie cookie : cookies) {
            if (name.equals(cookie.getName()) && authentic(cookie.getValue())) {
                return new DefaultCsrfToken(HEADER, PARAMETER, cookie.getValue());
            }
        }
        return null;
    }

    /** Ours, and young enough: {@code nonce.seconds.signature}. */
    boolean authentic(String token) {
        if (token == null || token.length() > 120) {
            return false;
        }
        int last = token.lastIndexOf('.');
        int first = token.indexOf('.');
        if (first <= 0 || last <= first) {
            return false;
        }
        String value = token.substring(0, last);
        String expected = signer.hash(BUCKET, value);
        if (!MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII),
                token.substring(last + 1).getBytes(StandardCharsets.US_ASCII))) {
            return false;
        }
        long made;
        try {
            made = Long.parseLong(token.substring(first + 1, last));
        } catch (NumberFormatException e) {
            return false;
        }
        long now = clock.instant().getEpochSecond();
        return made <= now + 60 && now - made < MAX_AGE.toSeconds();
    }
}
