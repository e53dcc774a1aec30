/**
 * The web edge shared by every module: RFC 9457 problem responses for every error, so a client
 * never sees a stack trace. Staff console and privacy centre pages will live here too.
 */
@ApplicationModule(displayName = "Web", allowedDependencies = {})
package no.personvern.web;

import org.springframework.modulith.ApplicationModule;
