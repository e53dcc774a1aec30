package no.personvern.tracking.internal;

import java.time.Duration;
import java.time.Period;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The tracking module's settings, under {@code personvern.*} and described in the README. Public
 * for the module's own {@code web} package.
 *
 * @param tracking {@code personvern.tracking.*}: the pixel buffer
 * @param website {@code personvern.website.*}: the company's web pages on other hosts, and how long web data is kept
 */
@ConfigurationProperties("personvern")
public record TrackingProperties(@DefaultValue Tracking tracking, @DefaultValue Website website) {

    /**
     * @param queueCapacity pixel hits held in memory between flushes; past it hits are dropped and counted
     * @param flushInterval how often the held hits are written, in one transaction
     * @param rollupInterval how often the statistics' roll-up job looks for ended days to roll up
     */
    public record Tracking(@DefaultValue("100000") int queueCapacity, @DefaultValue("PT1S") Duration flushInterval,
            @DefaultValue("PT10M") Duration rollupInterval) {
    }

    /**
     * @param cookieDomain the domain of the consent and visit cookies; empty: host-only
     * @param hitsKeptByDefault how long page views and campaign hits are kept when their activity names
     *        no period from collection (only {@code until: next-visit})
     * @param consentProof how long an anonymous visitor's consent record is kept after the choice ends
     */
    public record Website(String cookieDomain, @DefaultValue("P13M") Period hitsKeptByDefault,
            @DefaultValue("P3Y") Period consentProof) {

        public Website {
            cookieDomain = cookieDomain == null ? "" : cookieDomain.strip();
            if (hitsKeptByDefault == null || hitsKeptByDefault.isNegative() || hitsKeptByDefault.isZero()) {
                throw new IllegalStateException("personvern.website.hits-kept-by-default must be a positive period");
            }
            if (consentProof == null || consentProof.isNegative()) {
                throw new IllegalStateException("personvern.website.consent-proof must not be negative");
            }
        }
    }
}
