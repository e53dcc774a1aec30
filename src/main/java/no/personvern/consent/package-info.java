/**
 * Consent: append-only records that prove each decision (GDPR Art. 7(1)) — who, which purpose,
 * when, how, under which notice version — with receipts in the ISO/IEC TS 27560 structure.
 * Withdrawing is as easy as giving (Art. 7(3)) and stops the use at once.
 */
@ApplicationModule(displayName = "Consent", allowedDependencies = {"catalog", "subjects", "audit", "mail", "security"})
package no.personvern.consent;

import org.springframework.modulith.ApplicationModule;
