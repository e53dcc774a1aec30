package no.personvern.tracking.internal;

import java.time.Duration;
import no.personvern.PeriodicJob;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The pixel flush runs on its own thread ({@code pv-pixel-flush}); a last flush runs on shutdown. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(TrackingProperties.class)
class PixelFlush {

    @Bean
    PeriodicJob pixelFlushJob(Hits hits, TrackingProperties settings) {
        return PeriodicJob.atFixedRate("pv-pixel-flush", settings.tracking().flushInterval(), Duration.ofSeconds(30), hits::flush);
    }
}
