package no.personvern.tracking.internal;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The tracking module's settings ({@code personvern.tracking.*}), described in the README.
 *
 * @param queueCapacity pixel hits held in memory between flushes; past it hits are dropped and counted
 * @param flushInterval how often the held hits are written, in one transaction
 */
@ConfigurationProperties("personvern.tracking")
record TrackingProperties(@DefaultValue("100000") int queueCapacity, @DefaultValue("PT1S") Duration flushInterval) {
}
