package no.personvern.security.internal;

import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.springframework.http.ResponseCookie;
import org.springframework.security.web.csrf.CsrfToken;
import org.springframework.security.web.csrf.CsrfTokenRepository;
import org.springframework.security.web.csrf.DefaultCsrfToken;

/**
 * CSRF protection for the public pages without a session: a signed double-submit token. The
 * token (random, with an HMAC under the instance-independent key) is kept in an HttpOnly,
 * SameSite=Strict cookie and sent back in each form; a post is accepted only when the form's token
 * matches the cookie's and the cookie's signature is ours. The signature means a cookie planted by
 * a neighbouring site (a sibling subdomain can set cookies for the parent) is worthless: an
 * attacker cannot mint a token that passes, so it cannot pair a planted cookie with a forged form.
 */
final class SignedCsrfCookie implements CsrfTokenRepository {

    static final String COOKIE = "pv_csrf";
    static final String PARAMETER = "_csrf";
    static final String HEADER = "X-CSRF-TOKEN";
    private static final String BUCKET = "csrf";

    private final SecureRandom random = new SecureRandom();
    private final KeyHasher signer;

    SignedCsrfCookie(KeyHasher signer) {
        this.signer = signer;
    }

    @Override
    public CsrfToken generateToken(HttpServletRequest request) {
        byte[] nonce = new byte[24];
        random.nextBytes(nonce);
        String value = Base64.getUrlEncoder().withoutPadding().encodeToString(nonce);
        return new DefaultCsrfToken(HEADER, PARAMETER, value + "." + signer.hash(BUCKET, value));
    }

    @Override
    public void saveToken(CsrfToken token, HttpServletRequest request, HttpServletResponse response) {
        ResponseCookie cookie = ResponseCookie.from(COOKIE, token == null ? "" : token.getToken())
                .path("/")
                .httpOnly(true)
                .secure(request.isSecure())
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
        for (Cookie cookie : cookies) {
            if (COOKIE.equals(cookie.getName()) && authentic(cookie.getValue())) {
                return new DefaultCsrfToken(HEADER, PARAMETER, cookie.getValue());
            }
        }
        return null;
    }

    private boolean authentic(String token) {
        if (token == null || token.length() > 100) {
            return false;
        }
        int dot = token.indexOf('.');
        if (dot <= 0) {
            return false;
        }
        String expected = signer.hash(BUCKET, token.substring(0, dot));
        return MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII),
                token.substring(dot + 1).getBytes(StandardCharsets.US_ASCII));
    }
}
