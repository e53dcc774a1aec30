package no.personvern.tracking.internal;

import java.time.Duration;
import no.personvern.PeriodicJob;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The pixel flush runs on its own thread ({@code pv-pixel-flush}); a last flush runs on shutdown. */
@Configuration(proxyBeanMethods = false)
class PixelFlush {

    @Bean
    PeriodicJob pixelFlushJob(Hits hits, @Value("${personvern.tracking.flush-interval:PT1S}") Duration interval) {
        return PeriodicJob.atFixedRate("pv-pixel-flush", interval, Duration.ofSeconds(30), hits::flush);
    }
}
