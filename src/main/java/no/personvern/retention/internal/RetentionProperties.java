package no.personvern.retention.internal;

import java.time.Duration;
import java.time.Period;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The retention module's settings ({@code personvern.retention.*}), each described in the README.
 *
 * @param cron the daily sweep, in Europe/Oslo time; {@code -} turns it off
 * @param batchSize rows per batch, each batch one transaction
 * @param batchPause a rest between batches that leaves the database to the writers
 * @param lease how long the cluster-wide sweep lock lasts unless renewed; extended between batches once a quarter of it has passed
 * @param unconfirmedSignUps how long a newsletter or course sign-up waits for its confirmation before it is
 *        deleted (with the address, when nothing else holds the person); the link works for 7 days
 * @param inactiveAfter how long a person may show no activity, with no contract end reported, before the DPO
 *        is told (once per person per period); nothing is deleted for it
 */
@ConfigurationProperties("personvern.retention")
record RetentionProperties(
        @DefaultValue("0 30 3 * * *") String cron,
        @DefaultValue("5000") int batchSize,
        @DefaultValue("PT0S") Duration batchPause,
        @DefaultValue("PT2M") Duration lease,
        @DefaultValue("P7D") Duration unconfirmedSignUps,
        @DefaultValue("P3Y") Period inactiveAfter) {

    RetentionProperties {
        if (unconfirmedSignUps == null || unconfirmedSignUps.isNegative()) {
            throw new IllegalStateException("personvern.retention.unconfirmed-sign-ups must not be negative");
        }
        if (inactiveAfter == null || inactiveAfter.isNegative() || inactiveAfter.isZero()) {
            throw new IllegalStateException("personvern.retention.inactive-after must be a positive period");
        }
    }
}
