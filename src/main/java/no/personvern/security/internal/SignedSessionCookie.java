package no.personvern.security.internal;

import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import org.springframework.http.ResponseCookie;
import org.springframework.session.web.http.CookieSerializer;

/**
 * The staff session's cookie: the session id and a keyed signature of it, so that someone who can
 * read the session table (a backup, a read replica) cannot present a row's id as a cookie. HttpOnly,
 * SameSite=Lax (a link to a request from a mail opens it signed in; posts need the form's token);
 * over HTTPS it is {@code __Host-pv_staff}: Secure, for this host only, and a plain-named cookie is
 * ignored. The cookie lives as long as the browser; the session ends on the server after the idle
 * timeout.
 */
final class SignedSessionCookie implements CookieSerializer {

    static final String COOKIE = "pv_staff";
    static final String SECURE_COOKIE = "__Host-pv_staff";
    private static final String BUCKET = "staff-session";

    private final KeyHasher signer;
    private final boolean alwaysSecure;

    /** @param alwaysSecure the public base URL is https: never a plain cookie, even on a request that came in as http */
    SignedSessionCookie(KeyHasher signer, boolean alwaysSecure) {
        this.signer = signer;
        this.alwaysSecure = alwaysSecure;
    }

    @Override
    public void writeCookieValue(CookieValue value) {
        HttpServletRequest request = value.getRequest();
        boolean secure = alwaysSecure || request.isSecure();
        String id = value.getCookieValue();
        boolean delete = id == null || id.isEmpty();
        ResponseCookie cookie = ResponseCookie.from(secure ? SECURE_COOKIE : COOKIE, delete ? "" : id + "." + sign(id))
                .path("/")
                .httpOnly(true)
                .secure(secure)
                .sameSite("Lax")
                .maxAge(delete ? 0 : -1)
                .build();
        value.getResponse().addHeader("Set-Cookie", cookie.toString());
    }

    @Override
    public List<String> readCookieValues(HttpServletRequest request) {
        List<String> ids = new ArrayList<>();
        Cookie[] cookies = request.getCookies();
        if (cookies == null) {
            return ids;
        }
        String name = alwaysSecure || request.isSecure() ? SECURE_COOKIE : COOKIE;
        for (Cookie cookie : cookies) {
            String value = cookie.getValue();
            if (!name.equals(cookie.getName()) || value == null || value.length() > 200) {
                continue;
            }
            int dot = value.lastIndexOf('.');
            if (dot <= 0) {
                continue;
            }
            String id = value.substring(0, dot);
            if (MessageDigest.isEqual(sign(id).getBytes(StandardCharsets.US_ASCII),
                    value.substring(dot + 1).getBytes(StandardCharsets.US_ASCII))) {
                ids.add(id);
            }
        }
        return ids;
    }

    private String sign(String id) {
        return signer.hash(BUCKET, id);
    }
}
