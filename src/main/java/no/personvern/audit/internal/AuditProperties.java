package no.personvern.audit.internal;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The audit module's settings ({@code personvern.audit.*}), described in the README.
 *
 * @param chainInterval how long an entry may wait before it is hashed into the chain
 * @param chainBatch how many entries the chainer moves per transaction: larger batches cost fewer
 *     round trips per entry, but hold the head row (and a read of the trail waiting for it) longer
 */
@ConfigurationProperties("personvern.audit")
record AuditProperties(@DefaultValue("PT0.25S") Duration chainInterval, @DefaultValue("1000") int chainBatch) {

    AuditProperties {
        if (chainBatch < 1) {
            throw new IllegalArgumentException("personvern.audit.chain-batch must be at least 1, not " + chainBatch);
        }
    }
}
