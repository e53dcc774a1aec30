/**
 * Processors and the disclosure log (GDPR Art. 28, 30(1)(d), 44–46; S12–S13): personal data leaves
 * the company only to a processor under a valid data processing agreement that covers every
 * disclosed category, or to a public authority under a court order, a law or a regulation, with a
 * reference. There is no way to record a sale: personal data is never sold.
 */
@ApplicationModule(displayName = "Disclosures", allowedDependencies = {"catalog", "subjects", "audit"})
package no.personvern.disclosures;

import org.springframework.modulith.ApplicationModule;
