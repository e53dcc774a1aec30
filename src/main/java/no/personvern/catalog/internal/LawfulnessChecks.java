package no.personvern.catalog.internal;

import java.util.List;
import java.util.Map;
import java.util.Set;
import no.personvern.catalog.Activity;
import no.personvern.catalog.LegalBasis;
import no.personvern.catalog.Role;
import no.personvern.catalog.Taxonomy;

/**
 * Declarations that the law does not allow, found before anything is processed: errors where the
 * rule is plain, warnings printed at start-up where it takes judgement. Activities of role
 * processor are the customer's processing, on the customer's basis, and are not checked here.
 * <ul>
 * <li>E-mail and other marketing ({@code marketing.*}) needs consent (markedsføringsloven § 15(1),
 * ekomloven); the one exception is the soft opt-in of § 15(3) to existing customers, which an
 * activity declares with {@code softOptIn: true} and which is then a warning naming its conditions.
 * <li>Contract (Art. 6(1)(b)) covers only the party to the contract. The data subjects of the
 * taxonomy who by their definition are not a party to one with the controller: {@code
 * anonymous_user}, {@code visitor} and {@code prospect} (not yet a customer), {@code job_applicant}
 * (no employment contract yet), {@code next_of_kin} and {@code citizen_voter}.
 * A contract activity that declares {@code sources} (data someone else gives us, e.g. an employer
 * registering its staff) is a warning: such people are often no party to the contract.
 * <li>Special categories (Art. 9(1)) and criminal convictions (Art. 10) are processed only under a
 * condition of Art. 9(2), named in {@code article9Condition}.
 * </ul>
 */
final class LawfulnessChecks {

    static final String MARKETING = "marketing";

    /** Data subjects who are not a party to a contract with the controller, by their taxonomy definition. */
    static final Set<String> NOT_PARTY_TO_A_CONTRACT = Set.of("anonymous_user", "visitor", "prospect",
            "job_applicant", "next_of_kin", "citizen_voter");

    /**
     * The special categories of Art. 9(1) and the criminal convictions of Art. 10 in the taxonomy,
     * each with everything below it (a catalog's own {@code user.health_and_medical.*} included).
     */
    static final List<String> SPECIAL_CATEGORIES = List.of("user.health_and_medical", "user.biometric",
            "user.authorization.biometric", "user.criminal_history", "user.demographic.political_opinion",
            "user.demographic.race_ethnicity", "user.demographic.religious_belief",
            "user.demographic.sexual_orientation");

    private final LocatedProblems problems;
    private final List<String> warnings;
    private final Map<String, ActivityLines> lines;
    private final String file;

    LawfulnessChecks(String file, LocatedProblems problems, List<String> warnings, Map<String, ActivityLines> lines) {
        this.file = file;
        this.problems = problems;
        this.warnings = warnings;
        this.lines = lines;
    }

    void check(List<Activity> activities) {
        for (Activity activity : activities) {
            ActivityLines at = lines.get(activity.key());
            if (at == null || activity.legalBasis() == null) {
                continue;
            }
            if (activity.role() == Role.CONTROLLER) {
                marketing(activity, at);
                contract(activity, at);
                specialCategories(activity, at);
            } else if (activity.softOptIn()) {
                problems.add(at.key(), "activity '" + activity.key() + "' is processing for customers (role processor):"
                        + " a soft opt-in is the controller's own marketing; remove softOptIn");
            }
        }
    }

    private void marketing(Activity activity, ActivityLines at) {
        List<String> marketing = activity.purposes().stream().filter(p -> Taxonomy.isWithin(p, MARKETING)).toList();
        if (activity.softOptIn() && (marketing.isEmpty() || activity.legalBasis() == LegalBasis.CONSENT)) {
            problems.add(at.key(), "activity '" + activity.key() + "' declares softOptIn, which is only for marketing"
                    + " without consent (markedsføringsloven § 15(3)): remove softOptIn");
            return;
        }
        if (marketing.isEmpty() || activity.legalBasis() == LegalBasis.CONSENT) {
            return;
        }
        if (activity.softOptIn()) {
            warnings.add(file + ":" + at.key() + ": activity '" + activity.key() + "' markets by e-mail without"
                    + " consent under the soft opt-in of markedsføringsloven § 15(3). That is lawful only when: the"
                    + " person is an existing customer whose address we got in connection with a sale; the marketing"
                    + " is of our own products or services similar to those bought; the person was told at"
                    + " collection that they can say no, free of charge and easily; and every message offers the"
                    + " same. Check that each holds, and declare only customers as its dataSubjects");
            if (activity.dataSubjects().stream().anyMatch(s -> !s.equals("customer"))) {
                problems.add(at.dataSubjects(), "activity '" + activity.key() + "' uses the soft opt-in of"
                        + " markedsføringsloven § 15(3), which covers existing customers only: declare dataSubjects:"
                        + " [customer], or use legalBasis: consent");
            }
            return;
        }
        problems.add(at.legalBasis(), "activity '" + activity.key() + "' has the marketing purpose "
                + String.join(", ", marketing) + " on legalBasis " + activity.legalBasis().key() + ": marketing"
                + " needs prior consent (markedsføringsloven § 15, ekomloven). Set legalBasis: consent, or, for e-mail"
                + " to existing customers about similar products, declare softOptIn: true (§ 15(3))");
    }

    private void contract(Activity activity, ActivityLines at) {
        if (activity.legalBasis() != LegalBasis.CONTRACT) {
            return;
        }
        if (!activity.sources().isEmpty()) {
            warnings.add(file + ":" + at.legalBasis() + ": activity '" + activity.key() + "' rests on contract"
                    + " (Art. 6(1)(b)) and declares sources: data about people that someone else gives us (an"
                    + " employer registering its staff, a company signing people up). Contract is a basis only for"
                    + " the party to the contract with you; for a person registered by someone else it is usually"
                    + " legitimate interests (Art. 6(1)(f)) in delivering to the company that registered them. Check"
                    + " that each person these sources give is a party to a contract with you, or move them to an"
                    + " activity on legitimate interests with the interest stated");
        }
        List<String> outsiders = activity.dataSubjects().stream().filter(NOT_PARTY_TO_A_CONTRACT::contains).toList();
        if (!outsiders.isEmpty()) {
            problems.add(at.dataSubjects(), "activity '" + activity.key() + "' rests on contract (Art. 6(1)(b)), but"
                    + " its data subjects " + String.join(", ", outsiders) + " are not a party to a contract with"
                    + " you: move them to an activity on another basis (consent, or legitimate interests with the"
                    + " interest stated), or remove them");
        }
    }

    private void specialCategories(Activity activity, ActivityLines at) {
        List<String> special = activity.dataCategories().stream()
                .filter(category -> SPECIAL_CATEGORIES.stream().anyMatch(s -> Taxonomy.isWithin(category, s)))
                .toList();
        if (!special.isEmpty() && activity.article9Condition() == null) {
            problems.add(at.dataCategories(), "activity '" + activity.key() + "' declares the special categories "
                    + String.join(", ", special) + " (GDPR Art. 9(1), 10), which may be processed only under a"
                    + " condition of Art. 9(2): add article9Condition (explicit_consent, employment_and_social_security,"
                    + " vital_interests, legal_claims, substantial_public_interest, ...), or remove them");
        }
    }
}
