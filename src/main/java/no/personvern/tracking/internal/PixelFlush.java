package no.personvern.tracking.internal;

import java.time.Duration;
import no.personvern.PeriodicJob;
import no.personvern.catalog.WebsiteTerms;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The website's retention terms; the pixel flush runs on its own thread ({@code pv-pixel-flush}); a
 * last flush runs on shutdown; the statistics' daily roll-ups on another ({@code pv-stats-rollup}).
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(TrackingProperties.class)
class PixelFlush {

    /**
     * How long the website's data is kept: the configured periods, and the cookies' lifetimes (the
     * choice is asked again after six months; the visit cookie lives at most 13 months).
     */
    @Bean
    WebsiteTerms websiteTerms(TrackingProperties settings) {
        return new WebsiteTerms(settings.website().hitsKeptByDefault(), WebsiteTerms.DEFAULTS.choiceLifetime(),
                WebsiteTerms.DEFAULTS.visitCookieLifetime(), settings.website().consentProof());
    }

    @Bean
    PeriodicJob pixelFlushJob(Hits hits, TrackingProperties settings) {
        return PeriodicJob.atFixedRate("pv-pixel-flush", settings.tracking().flushInterval(), Duration.ofSeconds(30), hits::flush);
    }

    @Bean
    PeriodicJob statsRollupJob(DailyRollups rollups, TrackingProperties settings) {
        return PeriodicJob.withFixedDelay("pv-stats-rollup", settings.tracking().rollupInterval(), Duration.ofSeconds(5),
                rollups::rollUp);
    }
}
