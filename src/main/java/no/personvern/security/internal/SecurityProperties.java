package no.personvern.security.internal;

import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.boot.context.properties.bind.Name;
import org.springframework.util.unit.DataSize;

/**
 * The security module's settings, under {@code personvern.*} and described in the README.
 *
 * @param adminToken the first admin token ({@code PERSONVERN_ADMIN_TOKEN}); empty: generated once
 * @param trustedProxies proxies (CIDRs) whose forwarded header names the client
 * @param forwardedHeader {@code X-Forwarded-For} or {@code Forwarded}
 * @param maxBody the largest request body elsewhere
 * @param maxBodyPublic the largest request body on the public endpoints
 * @param publicEndpoints {@code personvern.public.*}: the public endpoints' rate limit
 * @param rateLimits {@code personvern.rate-limits.*}: how the shared counters are written
 * @param website {@code personvern.website.origins}: the company's web pages on other origins
 * @param tokenCache {@code personvern.token-cache.*}: authenticated tokens kept in memory
 */
@ConfigurationProperties("personvern")
record SecurityProperties(String adminToken, @DefaultValue List<String> trustedProxies,
        @DefaultValue("X-Forwarded-For") String forwardedHeader, @DefaultValue("4MB") DataSize maxBody,
        @DefaultValue("16KB") DataSize maxBodyPublic, @Name("public") @DefaultValue PublicEndpoints publicEndpoints,
        @DefaultValue RateLimits rateLimits, @DefaultValue Website website, @DefaultValue TokenCache tokenCache) {

    SecurityProperties {
        adminToken = adminToken == null ? "" : adminToken;
    }

    /** @param rateLimitPerMinute requests per client (an IPv4 address or IPv6 /64) and minute */
    record PublicEndpoints(@DefaultValue("300") int rateLimitPerMinute) {
    }

    /** @param flushInterval how often each instance writes its counts to the shared counters */
    record RateLimits(@DefaultValue("PT1S") Duration flushInterval) {
    }

    /** @param origins origins whose pages may save the banner's choice cross-origin */
    record Website(@DefaultValue List<String> origins) {
    }

    /**
     * @param ttl how long an authenticated token is kept (its hash, never the token); zero: not at all
     * @param maxSize how many are kept at most
     * @param bound a token revoked on any instance is refused on every instance within this
     */
    record TokenCache(@DefaultValue("PT1M") Duration ttl, @DefaultValue("1000") int maxSize,
            @DefaultValue("PT1S") Duration bound) {
    }
}
