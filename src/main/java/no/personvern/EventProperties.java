package no.personvern;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the durable events ({@code personvern.events.*}), each described in the README.
 *
 * @param staleAfter how long a publication may stay incomplete before it is run again
 * @param keepCompleted how long completed publications are kept before they are deleted
 * @param resubmitInterval how often incomplete publications are looked for
 * @param resubmitLease how long one instance holds the cluster-wide resubmission lease
 * @param resubmitBatchSize publications resubmitted per pass
 * @param listenerDelay for crash tests only: how long the request fulfilment listener waits before it works
 */
@ConfigurationProperties("personvern.events")
public record EventProperties(
        @DefaultValue("PT5M") Duration staleAfter,
        @DefaultValue("P7D") Duration keepCompleted,
        @DefaultValue("PT1M") Duration resubmitInterval,
        @DefaultValue("PT1M") Duration resubmitLease,
        @DefaultValue("500") int resubmitBatchSize,
        @DefaultValue("PT0S") Duration listenerDelay) {
}
