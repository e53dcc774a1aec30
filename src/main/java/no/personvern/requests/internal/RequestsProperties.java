package no.personvern.requests.internal;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The requests module's settings, under {@code personvern.*} and described in the README.
 *
 * @param requests {@code personvern.requests.*}: the public intake
 * @param connectors {@code personvern.connectors.*}: the webhook deliveries to connected systems
 */
@ConfigurationProperties("personvern")
record RequestsProperties(@DefaultValue Requests requests, @DefaultValue Connectors connectors) {

    /** @param perClientPerHour public requests a client (an IPv4 address or an IPv6 /64) may file an hour */
    record Requests(@DefaultValue("10") int perClientPerHour) {
    }

    /**
     * @param pollInterval how often the dispatch looks for due deliveries
     * @param retry backoff between attempts: doubling from the initial delay up to the maximum
     * @param timeout how long one call to a system may take
     */
    record Connectors(@DefaultValue("PT1S") Duration pollInterval, @DefaultValue Retry retry,
            @DefaultValue("PT30S") Duration timeout) {
    }

    record Retry(@DefaultValue("PT30S") Duration initialDelay, @DefaultValue("PT1H") Duration maxDelay) {
    }
}
