/**
 * Outgoing mail: through the configured SMTP server ({@code spring.mail.*}), or, with none, as
 * RFC 5322 {@code .eml} files in {@code <data dir>/outbox/} so a bare machine can be tried out.
 */
@ApplicationModule(displayName = "Mail", allowedDependencies = {})
package no.personvern.mail;

import org.springframework.modulith.ApplicationModule;
