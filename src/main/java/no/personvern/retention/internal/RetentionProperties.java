package no.personvern.retention.internal;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The retention module's settings ({@code personvern.retention.*}), each described in the README.
 *
 * @param cron the daily sweep, in Europe/Oslo time; {@code -} turns it off
 * @param batchSize rows per batch, each batch one transaction
 * @param batchPause a rest between batches that leaves the database to the writers
 * @param lease how long the cluster-wide sweep lock lasts unless renewed; extended between batches once a quarter of it has passed
 */
@ConfigurationProperties("personvern.retention")
record RetentionProperties(
        @DefaultValue("0 30 3 * * *") String cron,
        @DefaultValue("5000") int batchSize,
        @DefaultValue("PT0S") Duration batchPause,
        @DefaultValue("PT2M") Duration lease) {
}
