package no.personvern.requests.internal;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code personvern.staff.*} as the requests module reads it (described in the README).
 *
 * @param fourEyesErasure whether an erasure a support agent files in the console waits for a DPO's approval
 */
@ConfigurationProperties("personvern.staff")
record ApprovalProperties(@DefaultValue("true") boolean fourEyesErasure) {
}
