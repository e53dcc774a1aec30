/**
 * The privacy-as-code catalog: controller, systems, processing activities, processors and
 * retention exceptions, loaded from one YAML file and validated at start-up. From it come the
 * record of processing (GDPR Art. 30) and the public privacy notice (Art. 13), so neither can
 * drift from what the company declares.
 */
@ApplicationModule(displayName = "Catalog", allowedDependencies = {})
package no.personvern.catalog;

import org.springframework.modulith.ApplicationModule;
