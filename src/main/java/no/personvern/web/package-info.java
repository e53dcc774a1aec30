/**
 * The web edge shared by every module: RFC 9457 problem responses for every error, so a client
 * never sees a stack trace; the pages for people (the landing page and the privacy centre), which
 * call the other modules' APIs and never the database.
 */
@ApplicationModule(displayName = "Web", allowedDependencies = {"catalog", "consent", "tracking"})
package no.personvern.web;

import org.springframework.modulith.ApplicationModule;
