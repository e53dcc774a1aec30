package no.personvern.security.internal;

import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.UUID;
import org.springframework.http.ResponseCookie;

/**
 * A browser a member has signed in from before: after a successful sign-in it gets a cookie naming
 * the member, signed with a key derived from the key store. Such a browser is not held by the
 * account's lock-out, so someone guessing at a DPO's username can lock out their own attempts but
 * not the DPO (OWASP's "device cookie"). It proves nothing on its own: the password is still checked,
 * and the per-client limit still applies.
 */
final class DeviceCookie {

    static final String COOKIE = "pv_device";
    static final String SECURE_COOKIE = "__Host-pv_device";
    private static final String BUCKET = "staff-device";
    private static final Duration LIFETIME = Duration.ofDays(180);

    private final KeyHasher signer;
    private final boolean alwaysSecure;

    DeviceCookie(KeyHasher signer, boolean alwaysSecure) {
        this.signer = signer;
        this.alwaysSecure = alwaysSecure;
    }

    void issue(UUID member, HttpServletRequest request, HttpServletResponse response) {
        boolean secure = alwaysSecure || request.isSecure();
        String value = member + "." + signer.hash(BUCKET, member.toString());
        response.addHeader("Set-Cookie", ResponseCookie.from(secure ? SECURE_COOKIE : COOKIE, value)
                .path("/").httpOnly(true).secure(secure).sameSite("Strict").maxAge(LIFETIME).build().toString());
    }

    /** The member the request's device cookie names, if it carries a genuine one. */
    UUID member(HttpServletRequest request) {
        Cookie[] cookies = request.getCookies();
        if (cookies == null) {
            return null;
        }
        String name = alwaysSecure || request.isSecure() ? SECURE_COOKIE : COOKIE;
        for (Cookie cookie : cookies) {
            String value = cookie.getValue();
            if (!name.equals(cookie.getName()) || value == null || value.length() > 100) {
                continue;
            }
            int dot = value.indexOf('.');
            if (dot != 36) {
                continue;
            }
            String id = value.substring(0, dot);
            if (MessageDigest.isEqual(signer.hash(BUCKET, id).getBytes(StandardCharsets.US_ASCII),
                    value.substring(dot + 1).getBytes(StandardCharsets.US_ASCII))) {
                try {
                    return UUID.fromString(id);
                } catch (IllegalArgumentException malformed) {
                    return null;
                }
            }
        }
        return null;
    }
}
