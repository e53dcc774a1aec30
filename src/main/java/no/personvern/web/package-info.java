/**
 * The web edge shared by every module: RFC 9457 problem responses for every error, so a client
 * never sees a stack trace; the pages for people (the landing page, the notice and the privacy
 * centre) and the staff console ({@code /admin}, package {@code console}), which call the other
 * modules' APIs and never the database.
 */
@ApplicationModule(displayName = "Web", allowedDependencies = {"catalog", "requests", "consent", "tracking",
    "security", "audit", "subjects", "retention", "breaches", "disclosures", "mail"})
package no.personvern.web;

import org.springframework.modulith.ApplicationModule;
