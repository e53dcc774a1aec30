package no.personvern.retention.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import no.personvern.catalog.Activity;
import no.personvern.catalog.IsoPeriod;
import no.personvern.catalog.LegalBasis;
import no.personvern.catalog.LocalizedText;
import no.personvern.catalog.RetentionException;
import no.personvern.catalog.RetentionRule;
import no.personvern.catalog.RetentionRule.Trigger;
import no.personvern.catalog.Role;
import no.personvern.subjects.Expiry;
import no.personvern.subjects.Hold;
import org.junit.jupiter.api.Test;

/** The keep-or-delete rules, without a database or Spring. */
class RetentionPolicyTests {

    private static final Instant NOW = Instant.parse("2026-06-15T10:00:00Z");
    private static final String ADDRESS = "user.contact.address";
    private static final String NAME = "user.name";
    private static final RetentionException BOOKKEEPING = new RetentionException("bookkeeping",
            "bokføringsloven § 13", LocalizedText.of("Regnskap"), List.of(ADDRESS, NAME), period("P5Y"),
            List.of("own-bookkeeping"));

    private final RetentionPolicy policy = new RetentionPolicy(List.of(BOOKKEEPING));
    private final UUID kari = UUID.randomUUID();
    private final UUID ola = UUID.randomUUID();

    // ---- when a clock has run out ---------------------------------------------------------------

    @Test
    void collectedDataIsDueOnceItsPeriodHasPassedSinceCollection() {
        assertThat(RetentionPolicy.cutoff(rule(Trigger.COLLECTION, "P3M"), NOW))
                .contains(Instant.parse("2026-03-15T10:00:00Z"));
    }

    @Test
    void contractAndWithdrawalClocksCountTheirDelayFromTheEvent() {
        assertThat(RetentionPolicy.cutoff(rule(Trigger.CONTRACT_END, "P1Y"), NOW))
                .contains(Instant.parse("2025-06-15T10:00:00Z"));
        assertThat(RetentionPolicy.cutoff(rule(Trigger.WITHDRAWAL, "P0D"), NOW)).contains(NOW);
    }

    @Test
    void nextVisitDataAndProofAreNeverSwept() {
        assertThat(RetentionPolicy.cutoff(rule(Trigger.NEXT_VISIT, "P0D"), NOW)).isEmpty();
        assertThat(RetentionPolicy.cutoff(rule(Trigger.PROOF, "P0D"), NOW)).isEmpty();
    }

    @Test
    void aContractEndIsDoneWithWhenTheLongestContractBoundDelayHasRunOut() {
        List<Activity> activities = List.of(activity("service-delivery", Trigger.CONTRACT_END, "P0D"),
                activity("support", Trigger.CONTRACT_END, "P6M"), activity("mobile-uploads", Trigger.COLLECTION,
                        "P10Y"));
        assertThat(RetentionPolicy.contractEndsDoneBy(activities, NOW))
                .contains(Instant.parse("2025-12-15T10:00:00Z"));
        assertThat(RetentionPolicy.contractEndsDoneBy(activities.subList(2, 3), NOW)).as("nothing contract-bound")
                .isEmpty();
    }

    // ---- what starts and stops a withdrawal clock ------------------------------------------------

    @Test
    void withdrawingConsentStartsTheClockOnlyOfActivitiesKeptUntilWithdrawalThatPursueThePurpose() {
        Activity newsletter = activity("newsletter", Trigger.WITHDRAWAL, "P0D", "marketing.communications.email");
        Activity orders = activity("orders", Trigger.CONTRACT_END, "P0D", "marketing.communications.email");
        assertThat(RetentionPolicy.startsOnWithdrawalOf(newsletter, "marketing.communications.email")).isTrue();
        assertThat(RetentionPolicy.startsOnWithdrawalOf(newsletter, "analytics")).isFalse();
        assertThat(RetentionPolicy.startsOnWithdrawalOf(orders, "marketing.communications.email")).isFalse();
    }

    @Test
    void signingUpAgainOrConsentingAgainStopsAWithdrawalClock() {
        Activity newsletter = activity("newsletter", Trigger.WITHDRAWAL, "P0D", "marketing.communications.email");
        assertThat(RetentionPolicy.clockStopped(newsletter, List.of("newsletter"), Map.of())).isTrue();
        assertThat(RetentionPolicy.clockStopped(newsletter, List.of(),
                Map.of("marketing.communications.email", true))).isTrue();
        assertThat(RetentionPolicy.clockStopped(newsletter, List.of("other-list"),
                Map.of("marketing.communications.email", false, "analytics", true))).isFalse();
    }

    // ---- keep or delete ----------------------------------------------------------------------

    @Test
    void dueItemsAreDeletedAndCountedByKindAndActivity() {
        RetentionPolicy.Decision decision = policy.decide(List.of(value(kari, NAME, "newsletter", NOW),
                document(kari, "user.content.image", "mobile-uploads"), document(ola, null, "mobile-uploads")),
                Set.of(), Set.of(), NOW, false);

        assertThat(decision.due()).hasSize(3);
        assertThat(decision.deleted()).containsExactlyInAnyOrderEntriesOf(Map.of("values", 1L,
                "values:newsletter", 1L, "documents", 2L, "documents:mobile-uploads", 2L));
        assertThat(decision.kept()).isEmpty();
        assertThat(decision.mayBeEmpty()).containsExactlyInAnyOrder(kari, ola);
    }

    @Test
    void aLegalHoldKeepsEverythingOfTheHeldPersonAndTheyAreNotErased() {
        RetentionPolicy.Decision decision = policy.decide(List.of(value(kari, NAME, "service-delivery", NOW),
                value(kari, ADDRESS, "own-bookkeeping", NOW), value(ola, NAME, "service-delivery", NOW)),
                Set.of(kari), Set.of(kari), NOW, false);

        assertThat(decision.due()).extracting(Expiry.Item::subjectId).containsOnly(ola);
        assertThat(decision.kept()).containsExactly(Map.entry(RetentionPolicy.LEGAL_HOLD, 2L));
        assertThat(decision.keptUntil()).as("the hold, not the exception, keeps the invoice").isEmpty();
        assertThat(decision.mayBeEmpty()).containsExactly(ola);
    }

    @Test
    void bookkeepingRecordsAreKeptRestrictedForFiveYearsFromTheEndOfTheYear() {
        Expiry.Item invoice = value(kari, ADDRESS, "own-bookkeeping", Instant.parse("2026-03-01T12:00:00Z"));

        RetentionPolicy.Decision decision = policy.decide(List.of(invoice), Set.of(), Set.of(), NOW, false);

        assertThat(decision.due()).isEmpty();
        assertThat(decision.kept()).containsExactly(Map.entry("retention-exception:bookkeeping", 1L));
        Hold.Reason bookkeeping = new Hold.Reason.Retention("bookkeeping", "bokføringsloven § 13");
        assertThat(decision.keptUntil()).containsExactly(new RetentionPolicy.Kept(
                bookkeeping, Instant.parse("2031-12-31T23:00:00Z"), List.of(invoice)));
        assertThat(bookkeeping.stored()).as("the text recorded with each kept value")
                .isEqualTo("retention-exception:bookkeeping (bokføringsloven § 13)");
        assertThat(policy.decide(List.of(invoice), Set.of(), Set.of(), Instant.parse("2031-12-31T22:59:59Z"), false)
                .due()).as("until the fifth year after 2026 ends, in Norway").isEmpty();
        assertThat(policy.decide(List.of(invoice), Set.of(), Set.of(), Instant.parse("2031-12-31T23:00:00Z"), false)
                .due()).containsExactly(invoice);
    }

    @Test
    void theFinancialYearIsTheCalendarYearInNorway() {
        Instant newYearsNightInOslo = Instant.parse("2026-12-31T23:30:00Z");
        assertThat(policy.exceptionFor(value(kari, ADDRESS, "own-bookkeeping", newYearsNightInOslo), NOW)
                .map(exception -> exception.keptUntil(newYearsNightInOslo)))
                .contains(Instant.parse("2032-12-31T23:00:00Z"));
    }

    @Test
    void aRetentionExceptionCoversOnlyItsCategoriesInItsActivities() {
        RetentionPolicy.Decision decision = policy.decide(List.of(value(kari, NAME, "newsletter", NOW),
                value(kari, "user.contact.phone_number", "own-bookkeeping", NOW)), Set.of(), Set.of(), NOW, false);

        assertThat(decision.due()).as("the newsletter's copy of a name and a phone number are no accounting record")
                .hasSize(2);
        assertThat(decision.kept()).isEmpty();
    }

    @Test
    void anItemWithoutACategoryIsNotKeptByAnException() {
        RetentionException everything = new RetentionException("all", "law", LocalizedText.of("x"), List.of(NAME),
                period("P5Y"), List.of());
        Expiry.Item unknown = document(kari, null, "own-bookkeeping");
        assertThat(new RetentionPolicy(List.of(everything)).decide(List.of(unknown), Set.of(), Set.of(), NOW, false)
                .due()).containsExactly(unknown);
    }

    @Test
    void whatAHoldKeptIsDeletedWhenTheHoldEndsWithoutAnExceptionKeepingItAgain() {
        Expiry.Item invoice = value(kari, ADDRESS, "own-bookkeeping", NOW);
        RetentionPolicy.Decision decision = policy.decide(List.of(invoice), Set.of(), Set.of(), NOW, true);
        assertThat(decision.due()).containsExactly(invoice);
        assertThat(decision.deleted()).containsEntry("values", 1L);
    }

    @Test
    void aLegalHoldStillKeepsWhatAnEndedHoldReleases() {
        RetentionPolicy.Decision decision = policy.decide(List.of(value(kari, ADDRESS, "own-bookkeeping", NOW)),
                Set.of(), Set.of(kari), NOW, true);
        assertThat(decision.due()).isEmpty();
        assertThat(decision.kept()).containsExactly(Map.entry(RetentionPolicy.LEGAL_HOLD, 1L));
    }

    @Test
    void peopleWhoseClocksRanOutAreCheckedForErasureEvenWithNothingDueUnlessHeld() {
        RetentionPolicy.Decision decision = policy.decide(List.of(), Set.of(kari, ola), Set.of(ola), NOW, false);
        assertThat(decision.mayBeEmpty()).containsExactly(kari);
    }

    @Test
    void keptItemsAreGroupedByReasonAndEnd() {
        Expiry.Item early = value(kari, ADDRESS, "own-bookkeeping", Instant.parse("2025-05-01T00:00:00Z"));
        Expiry.Item late = value(ola, NAME, "own-bookkeeping", Instant.parse("2026-05-01T00:00:00Z"));
        Expiry.Item alsoEarly = value(ola, ADDRESS, "own-bookkeeping", Instant.parse("2025-09-01T00:00:00Z"));

        RetentionPolicy.Decision decision = policy.decide(List.of(late, early, alsoEarly), Set.of(), Set.of(), NOW,
                false);

        assertThat(decision.keptUntil()).extracting(RetentionPolicy.Kept::until).containsExactly(
                Instant.parse("2030-12-31T23:00:00Z"), Instant.parse("2031-12-31T23:00:00Z"));
        assertThat(decision.keptUntil().get(0).items()).containsExactly(early, alsoEarly);
        assertThat(decision.kept()).containsExactly(Map.entry("retention-exception:bookkeeping", 3L));
    }

    // ---- helpers ---------------------------------------------------------------------------

    private static IsoPeriod period(String text) {
        return IsoPeriod.parse(text).orElseThrow();
    }

    private static RetentionRule rule(Trigger trigger, String after) {
        return new RetentionRule(trigger, period(after));
    }

    private static Activity activity(String key, Trigger trigger, String after, String... purposes) {
        return new Activity(key, LocalizedText.of(key), LocalizedText.of(key), Role.CONTROLLER, List.of("go"),
                List.of(purposes), LegalBasis.CONSENT, null, List.of("customer"), List.of(NAME), rule(trigger, after),
                List.of(), List.of(), List.of(), null, Map.of(), null, false);
    }

    private static Expiry.Item value(UUID subject, String category, String activity, Instant at) {
        return new Expiry.Item(UUID.randomUUID(), subject, category, activity, at, false);
    }

    private static Expiry.Item document(UUID subject, String category, String activity) {
        return new Expiry.Item(UUID.randomUUID(), subject, category, activity, NOW, true);
    }
}
