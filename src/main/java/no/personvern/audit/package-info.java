/**
 * The tamper-evident audit trail: every read of personal data and every change leaves an entry,
 * hash-chained to the one before. A pure listener: modules publish {@link AuditEvent}s and the
 * trail records them in the same transaction. Entries hold ids and pseudonyms, never personal data.
 */
@ApplicationModule(displayName = "Audit", allowedDependencies = {})
package no.personvern.audit;

import org.springframework.modulith.ApplicationModule;
