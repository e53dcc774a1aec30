package no.personvern.consent.internal;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The consent module's settings ({@code personvern.subscriptions.*}), described in the README.
 *
 * @param perClientPerHour public sign-ups a client (an IPv4 address or an IPv6 /64) may make an hour
 */
@ConfigurationProperties("personvern.subscriptions")
record ConsentProperties(@DefaultValue("20") int perClientPerHour) {
}
