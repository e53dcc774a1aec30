package no.personvern.audit.internal;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The audit module's settings ({@code personvern.audit.*}), described in the README.
 *
 * @param chainInterval how long an entry may wait before it is hashed into the chain
 */
@ConfigurationProperties("personvern.audit")
record AuditProperties(@DefaultValue("PT0.25S") Duration chainInterval) {
}
