package no.personvern.breaches.internal;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The breach register's settings ({@code personvern.breaches.*}), each described in the README.
 *
 * @param deadlineCheckCron the daily check of breach clocks, in Europe/Oslo time; {@code -} turns it off
 * @param mailingInterval how often the letters to affected people are sent on, a batch at a time
 * @param mailingBatchSize people per batch, each batch one transaction
 */
@ConfigurationProperties("personvern.breaches")
record BreachesProperties(
        @DefaultValue("0 0 8 * * *") String deadlineCheckCron,
        @DefaultValue("PT1S") Duration mailingInterval,
        @DefaultValue("500") int mailingBatchSize) {
}
