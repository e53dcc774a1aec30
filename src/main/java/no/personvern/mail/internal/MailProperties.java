package no.personvern.mail.internal;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The mail module's settings ({@code personvern.mail.*}), each described in the README.
 *
 * @param from the sender of every mail, and the domain of its Message-ID
 * @param pollInterval how often the worker looks for due mail when nothing woke it
 * @param retry backoff between attempts: doubling from the initial delay up to the maximum
 * @param maxAttempts attempts before a mail is given up (and its cause, e.g. a request, flagged)
 * @param lease how long a claimed mail is the worker's; renewed while it is sent
 * @param keep how long an embedded-mode {@code .eml} file and a sent outbox row are kept
 */
@ConfigurationProperties("personvern.mail")
record MailProperties(
        @DefaultValue("personvern@localhost") String from,
        @DefaultValue("PT1S") Duration pollInterval,
        @DefaultValue Retry retry,
        @DefaultValue("12") int maxAttempts,
        @DefaultValue("PT2M") Duration lease,
        @DefaultValue("P7D") Duration keep) {

    record Retry(@DefaultValue("PT30S") Duration initialDelay, @DefaultValue("PT1H") Duration maxDelay) {
    }
}
