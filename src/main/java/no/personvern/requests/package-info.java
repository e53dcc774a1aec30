/**
 * Data-subject requests (GDPR Art. 12, 15–21): intake in public, by support agents and by API;
 * verification by a mailed code; the one-month deadline of Art. 12(3), one extension by up to two
 * months with reasons, and rejection with reasons and the right to complain (Art. 12(4)).
 */
@ApplicationModule(displayName = "Requests", allowedDependencies = {"catalog", "subjects", "consent", "audit", "mail", "security", "retention", "disclosures"})
package no.personvern.requests;

import org.springframework.modulith.ApplicationModule;
