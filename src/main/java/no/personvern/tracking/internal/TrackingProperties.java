package no.personvern.tracking.internal;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The tracking module's settings, under {@code personvern.*} and described in the README. Public
 * for the module's own {@code web} package.
 *
 * @param tracking {@code personvern.tracking.*}: the pixel buffer
 * @param website {@code personvern.website.cookie-domain}: the company's web pages on other hosts
 */
@ConfigurationProperties("personvern")
public record TrackingProperties(@DefaultValue Tracking tracking, @DefaultValue Website website) {

    /**
     * @param queueCapacity pixel hits held in memory between flushes; past it hits are dropped and counted
     * @param flushInterval how often the held hits are written, in one transaction
     */
    public record Tracking(@DefaultValue("100000") int queueCapacity, @DefaultValue("PT1S") Duration flushInterval) {
    }

    /** @param cookieDomain the domain of the consent and visit cookies; empty: host-only */
    public record Website(String cookieDomain) {

        public Website {
            cookieDomain = cookieDomain == null ? "" : cookieDomain.strip();
        }
    }
}
