/**
 * The vault: people, their identities and their personal data, encrypted per person, and the
 * documents uploaded in the mobile app. Personal data is decrypted only inside this module; every
 * value remembers the system, activity and purpose it was collected for (purpose limitation,
 * Art. 5(1)(b)), and erasure destroys the person's key (crypto-shredding).
 */
@ApplicationModule(displayName = "Subjects", allowedDependencies = {"catalog", "audit", "security"})
package no.personvern.subjects;

import org.springframework.modulith.ApplicationModule;
