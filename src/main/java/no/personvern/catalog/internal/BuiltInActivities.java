package no.personvern.catalog.internal;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import no.personvern.catalog.Activity;
import no.personvern.catalog.DataSystem;
import no.personvern.catalog.IsoPeriod;
import no.personvern.catalog.LegalBasis;
import no.personvern.catalog.LocalizedText;
import no.personvern.catalog.OwnProcessing;
import no.personvern.catalog.RetentionRule;
import no.personvern.catalog.Role;

/**
 * Personvern's own processing, added to a catalog that does not declare it (SPEC section 2): an
 * activity on system {@code personvern} for handling data-subject requests, for the proof of
 * consents (only where the catalog asks for consent) and for the audit trail, each with the
 * purposes, basis, categories, subjects and retention Personvern actually has.
 */
final class BuiltInActivities {

    static final String SYSTEM = "personvern";
    static final String PREFIX = "personvern-";

    private BuiltInActivities() {
    }

    /** The key a built-in activity gets, e.g. {@code personvern-data-subject-requests}. */
    static String key(OwnProcessing processing) {
        return PREFIX + processing.key();
    }

    /** Which of Personvern's processings need a built-in activity in this catalog. */
    static List<OwnProcessing> missing(List<Activity> activities) {
        List<OwnProcessing> missing = new ArrayList<>();
        for (OwnProcessing processing : OwnProcessing.values()) {
            boolean declared = activities.stream().anyMatch(activity -> activity.personvern() == processing);
            boolean needed = processing != OwnProcessing.CONSENT_PROOF
                    || activities.stream().anyMatch(activity -> activity.legalBasis() == LegalBasis.CONSENT);
            if (!declared && needed) {
                missing.add(processing);
            }
        }
        return missing;
    }

    static DataSystem system() {
        return new DataSystem(SYSTEM, new LocalizedText("Personvern (personvernløsningen vår)",
                "Personvern (our privacy service)"), new LocalizedText(
                        "der du ber om innsyn, sletting og annet, og der samtykkene dine og sporet av hvem som har lest"
                                + " og endret opplysningene dine lagres",
                        "where you ask for access, erasure and more, and where your consents and the trail of who read"
                                + " and changed your data are kept"), null);
    }

    /** The built-in activity for one processing; its subjects are those of the catalog's activities. */
    static Activity activity(OwnProcessing processing, List<Activity> catalogActivities) {
        RetentionRule proof = new RetentionRule(RetentionRule.Trigger.PROOF, IsoPeriod.ZERO);
        return switch (processing) {
            case DATA_SUBJECT_REQUESTS -> activity(processing,
                    new LocalizedText("Behandling av forespørsler om personvern", "Handling data protection requests"),
                    new LocalizedText("Når du ber om innsyn, retting, sletting, begrensning eller dataportabilitet, eller"
                            + " protesterer, bruker vi e-postadressen din til å bekrefte at det er deg, svare deg innen"
                            + " fristen og dokumentere at vi har gjort det, og det du skriver til oss for å behandle"
                            + " forespørselen (personvernforordningen art. 12–22).",
                            "When you ask for access, rectification, erasure, restriction or portability, or object,"
                                    + " we use your e-mail address to confirm that it is you, answer you within the"
                                    + " deadline and document that we did, and what you write to us to handle the"
                                    + " request (GDPR Art. 12–22)."),
                    List.of("essential.legal_obligation"), subjects(catalogActivities, activity -> true),
                    List.of("user.contact.email", CrossReferenceChecks.REQUEST_MESSAGE), proof);
            case CONSENT_PROOF -> activity(processing,
                    new LocalizedText("Dokumentasjon av samtykker", "Proof of consent"),
                    new LocalizedText("Vi lagrer hvert samtykke du gir eller trekker – til hva, når, hvordan og under"
                            + " hvilken versjon av denne erklæringen – knyttet til en tilfeldig identifikator, slik at"
                            + " vi kan dokumentere det (personvernforordningen art. 7 nr. 1).",
                            "We keep each consent you give or withdraw — to what, when, how and under which version of"
                                    + " this notice — linked to a random identifier, so that we can prove it (GDPR"
                                    + " Art. 7(1))."),
                    List.of("essential.legal_obligation"),
                    subjects(catalogActivities, activity -> activity.legalBasis() == LegalBasis.CONSENT),
                    List.of("user.unique_id.pseudonymous", "user.privacy_preferences"), proof);
            case AUDIT_TRAIL -> activity(processing,
                    new LocalizedText("Revisjonslogg", "Audit trail"),
                    new LocalizedText("Hver lesing og endring av personopplysninger føres i en manipulasjonssikker logg"
                            + " som bare har et pseudonym for deg, ikke opplysningene, slik at vi kan vise at vi har"
                            + " fulgt reglene (personvernforordningen art. 5 nr. 2).",
                            "Every read and change of personal data is entered in a tamper-evident log that holds only"
                                    + " a pseudonym for you, not the data, so that we can show we followed the rules"
                                    + " (GDPR Art. 5(2))."),
                    List.of("essential.legal_obligation", "essential.service.security"),
                    withStaff(subjects(catalogActivities, activity -> true)), List.of("user.unique_id.pseudonymous"),
                    proof);
        };
    }

    private static Activity activity(OwnProcessing processing, LocalizedText name, LocalizedText description,
            List<String> purposes, List<String> subjects, List<String> categories, RetentionRule retention) {
        return new Activity(key(processing), name, description, Role.CONTROLLER, List.of(SYSTEM), purposes,
                LegalBasis.LEGAL_OBLIGATION, null, subjects, categories, retention, List.of(), List.of(), List.of(),
                processing, Map.of(), null, true);
    }

    /** The trail also names the staff member or system token behind each entry. */
    private static List<String> withStaff(List<String> subjects) {
        Set<String> all = new LinkedHashSet<>(subjects);
        all.add("employee");
        return List.copyOf(all);
    }

    /** Whom the processing concerns: the data subjects of the catalog activities it serves. */
    private static List<String> subjects(List<Activity> activities, Predicate<Activity> served) {
        Set<String> subjects = new LinkedHashSet<>();
        activities.stream().filter(served).forEach(activity -> subjects.addAll(activity.dataSubjects()));
        return subjects.isEmpty() ? List.of("customer") : List.copyOf(subjects);
    }
}
