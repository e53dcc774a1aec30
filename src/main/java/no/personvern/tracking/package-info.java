/**
 * The website: the consent banner script, the pixel and its visit cookie, and statistics.
 * Nothing that is not strictly necessary is stored on or read from a device without an active
 * opt-in (ekomloven 2025, EDPB guidelines 05/2020); Global Privacy Control means no marketing.
 */
@ApplicationModule(displayName = "Tracking", allowedDependencies = {"catalog", "consent", "subjects", "retention"})
package no.personvern.tracking;

import org.springframework.modulith.ApplicationModule;
