/**
 * Outgoing mail through an outbox table: queued sealed in the transaction of the change that causes
 * it, sent by a worker with retries and backoff through the configured SMTP server
 * ({@code spring.mail.*}), or, with none, as RFC 5322 {@code .eml} files in
 * {@code <data dir>/outbox/} (kept 7 days, and deleted when their recipient is erased).
 */
@ApplicationModule(displayName = "Mail", allowedDependencies = {"subjects"})
package no.personvern.mail;

import org.springframework.modulith.ApplicationModule;
