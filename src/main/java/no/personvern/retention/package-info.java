/**
 * Retention that enforces itself (GDPR Art. 5(1)(e), S15–S17): the catalog's rules per activity,
 * swept daily and on demand in bounded batches, one run at a time across instances; legal holds
 * (Art. 17(3)(e)) and retention exceptions (Art. 17(3)(b), bokføringsloven § 13) keep data,
 * restricted, until they end.
 */
@ApplicationModule(displayName = "Retention", allowedDependencies = {"catalog", "subjects", "consent", "audit", "mail"})
package no.personvern.retention;

import org.springframework.modulith.ApplicationModule;
