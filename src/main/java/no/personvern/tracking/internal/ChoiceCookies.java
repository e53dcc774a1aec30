package no.personvern.tracking.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import no.personvern.catalog.WebsiteTerms;
import no.personvern.tracking.CookieChoices;
import org.springframework.http.ResponseCookie;
import org.springframework.stereotype.Service;

/**
 * The banner's cookies, made in one place for the banner's endpoint, the pixel and the privacy
 * centre: the signed choice (read by the banner script) and the visit cookie (read by nothing but
 * this server). With {@code personvern.website.cookie-domain} set (the company's registrable
 * domain), both are shared by the company's pages and Personvern's host.
 */
@Service
public class ChoiceCookies implements CookieChoices {

    public static final String VISIT_COOKIE = "pv_visit";

    private final Tracking tracking;
    private final CookieSigner signer;
    private final String cookieDomain;
    /** The choice is asked again when it runs out; the visit cookie lives until the next visit replaces it. */
    private final Duration choiceLifetime;
    private final Duration visitLifetime;

    ChoiceCookies(Tracking tracking, CookieSigner signer, TrackingProperties settings, WebsiteTerms terms) {
        this.tracking = tracking;
        this.signer = signer;
        this.cookieDomain = settings.website().cookieDomain();
        this.choiceLifetime = terms.choiceLifetime();
        this.visitLifetime = terms.visitCookieLifetime();
    }

    @Override
    public Offered offered() {
        Tracking.Offered offered = tracking.offered();
        return new Offered(offered.statistics(), offered.marketing());
    }

    @Override
    public Optional<Current> current(String cookie) {
        return signer.verify(cookie).map(choice -> new Current(choice.statistics(), choice.marketing(),
                Instant.ofEpochSecond(choice.issuedAt())));
    }

    @Override
    public Saved choose(String existingCookie, boolean statistics, boolean marketing, boolean globalPrivacyControl,
            boolean secure) {
        Tracking.Chosen chosen = tracking.choose(existingCookie, statistics, marketing, globalPrivacyControl);
        return new Saved(chosen.statistics(), chosen.marketing(), setCookies(chosen, secure));
    }

    /** The cookies a recorded choice sets: the signed choice, and without statistics the visit cookie gone. */
    public List<String> setCookies(Tracking.Chosen chosen, boolean secure) {
        List<String> cookies = new ArrayList<>();
        cookies.add(cookie(COOKIE, chosen.consentCookie(), choiceLifetime, secure));
        if (!chosen.statistics()) {
            cookies.add(cookie(VISIT_COOKIE, "", Duration.ZERO, secure));
        }
        return cookies;
    }

    /** The visit cookie the pixel sets. */
    public String visitCookie(String value, boolean secure) {
        return cookie(VISIT_COOKIE, value, visitLifetime, secure);
    }

    private String cookie(String name, String value, Duration lifetime, boolean secure) {
        ResponseCookie.ResponseCookieBuilder cookie = ResponseCookie.from(name, value).path("/").maxAge(lifetime)
                .sameSite("Lax").secure(secure).httpOnly(VISIT_COOKIE.equals(name));
        if (!cookieDomain.isEmpty()) {
            cookie.domain(cookieDomain);
        }
        return cookie.build().toString();
    }
}
