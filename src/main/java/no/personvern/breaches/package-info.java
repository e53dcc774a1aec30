/**
 * The register of personal-data breaches (GDPR Art. 33, 34): each breach with the people it
 * affects counted from the vault without decrypting anything, the 72-hour clock from discovery
 * (Art. 33(1)), the risk assessment, the content of the notification to the supervisory authority
 * (Art. 33(3)), the letter to every person affected when the risk is high (Art. 34), and a daily
 * reminder to the DPO of clocks about to run out. No breach is ever deleted (Art. 33(5)).
 */
@ApplicationModule(displayName = "Breaches", allowedDependencies = {"catalog", "subjects", "audit", "mail", "security"})
package no.personvern.breaches;

import org.springframework.modulith.ApplicationModule;
