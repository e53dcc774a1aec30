package no.personvern.tracking;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The visitor's cookie choice on this site, for pages other than the banner: read from the signed
 * {@code pv_consent} cookie, and changed exactly as the banner's {@code POST
 * /api/v1/public/cookie-consent} changes it (a consent record per purpose, the same cookies).
 */
public interface CookieChoices {

    /** The name of the signed choice cookie. */
    String COOKIE = "pv_consent";

    /** The optional categories the catalog declares an activity for; only these are offered. */
    Offered offered();

    /** The choice a valid signed cookie carries; empty for none, a forged or an altered one. */
    Optional<Current> current(String cookie);

    /**
     * Records a choice and returns the {@code Set-Cookie} header values to send. Global Privacy
     * Control ({@code Sec-GPC: 1}) turns marketing off whatever was chosen.
     */
    Saved choose(String existingCookie, boolean statistics, boolean marketing, boolean globalPrivacyControl,
            boolean secure);

    record Offered(boolean statistics, boolean marketing) {
    }

    /** A valid cookie's choice and when it was made. */
    record Current(boolean statistics, boolean marketing, Instant chosenAt) {
    }

    /** What was recorded: the choice granted, and the cookies that carry it. */
    record Saved(boolean statistics, boolean marketing, List<String> setCookies) {
    }
}
