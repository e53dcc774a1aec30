package no.personvern.retention.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import no.personvern.catalog.Activity;
import no.personvern.catalog.RetentionException;
import no.personvern.catalog.RetentionRule;
import no.personvern.subjects.Expiry;
import no.personvern.subjects.Hold;

/**
 * The keep-or-delete rules of a sweep (Art. 5(1)(e)), without a database: when an activity's data is
 * due, what a legal hold (Art. 17(3)(e)) or a retention exception (Art. 17(3)(b)) keeps and until
 * when, and which events start and stop a clock. Restricted and otherwise held values never reach
 * it: the vault leaves them out of the candidates until their hold ends.
 */
final class RetentionPolicy {

    static final String LEGAL_HOLD = "legal-hold";
    static final String EXCEPTION_PREFIX = "retention-exception:";

    private final List<RetentionException> exceptions;

    RetentionPolicy(List<RetentionException> exceptions) {
        this.exceptions = List.copyOf(exceptions);
    }

    /**
     * Data of the rule's activity whose clock started at or before this instant is due at {@code asOf};
     * empty for the rules no sweep applies: a visit's data is replaced on the next visit as it is
     * written, and Personvern's own records kept as proof (Art. 5(2)) are not swept.
     */
    static Optional<Instant> cutoff(RetentionRule rule, Instant asOf) {
        return switch (rule.trigger()) {
            case COLLECTION, CONTRACT_END, WITHDRAWAL -> Optional.of(rule.after().subtractFrom(asOf));
            case NEXT_VISIT, PROOF -> Optional.empty();
        };
    }

    /**
     * A contract end is done with once every contract-bound activity's clock has run out for it:
     * the longest delay counts. Empty if no activity is bound to the contract.
     */
    static Optional<Instant> contractEndsDoneBy(Collection<Activity> activities, Instant asOf) {
        return activities.stream().filter(a -> a.retention().trigger() == RetentionRule.Trigger.CONTRACT_END)
                .map(a -> a.retention().after().subtractFrom(asOf)).min(Instant::compareTo);
    }

    /** Whether the activity keeps its data until the person unsubscribes or withdraws consent. */
    static boolean untilWithdrawal(Activity activity) {
        return activity.retention().trigger() == RetentionRule.Trigger.WITHDRAWAL;
    }

    /** S17: withdrawing consent to a purpose starts the clock of each activity kept until withdrawal that pursues it. */
    static boolean startsOnWithdrawalOf(Activity activity, String purpose) {
        return untilWithdrawal(activity) && activity.purposes().contains(purpose);
    }

    /**
     * Signed up again to a list of the activity, or consented again to one of its purposes, after
     * withdrawing: the clock stops.
     *
     * @param subscribedActivities the activities of the lists the person is signed up to now
     * @param consents the person's current consent per purpose
     */
    static boolean clockStopped(Activity activity, Collection<String> subscribedActivities,
            Map<String, Boolean> consents) {
        return subscribedActivities.contains(activity.key())
                || activity.purposes().stream().anyMatch(purpose -> Boolean.TRUE.equals(consents.get(purpose)));
    }

    /**
     * What to do with candidates whose clock has run out: a legal hold keeps all of a held person's;
     * otherwise a retention exception covering the item's category in its activity keeps it, restricted,
     * until {@code keepFor} after the end of the year it was collected in; the rest is due.
     *
     * @param held the people under a legal hold in force at {@code asOf}
     * @param alsoCheck people whose clocks ran out here, to erase if nothing of theirs is left
     * @param holdEnded the items are values whose hold ended: no retention exception applies to them again
     */
    Decision decide(List<Expiry.Item> items, Set<UUID> alsoCheck, Set<UUID> held, Instant asOf, boolean holdEnded) {
        List<Expiry.Item> due = new ArrayList<>();
        // Ordered by the recorded text, so that a run keeps in the same order every time.
        Map<Hold.Reason.Retention, Map<Instant, List<Expiry.Item>>> byException = new TreeMap<>(
                Comparator.comparing(Hold.Reason::stored));
        Map<String, Long> deleted = new TreeMap<>();
        Map<String, Long> kept = new TreeMap<>();
        for (Expiry.Item item : items) {
            if (held.contains(item.subjectId())) {
                kept.merge(LEGAL_HOLD, 1L, Long::sum);
                continue;
            }
            Optional<RetentionException> exception = item.category() == null || holdEnded ? Optional.empty()
                    : exceptionFor(item, asOf);
            if (exception.isPresent()) {
                RetentionException keeps = exception.get();
                byException.computeIfAbsent(Hold.Reason.Retention.of(keeps), reason -> new TreeMap<>()).computeIfAbsent(keeps.keptUntil(item.at()),
                                until -> new ArrayList<>()).add(item);
                kept.merge(EXCEPTION_PREFIX + keeps.key(), 1L, Long::sum);
                continue;
            }
            String what = item.document() ? "documents" : "values";
            due.add(item);
            deleted.merge(what, 1L, Long::sum);
            deleted.merge(what + ":" + item.activity(), 1L, Long::sum);
        }
        List<Kept> keptUntil = new ArrayList<>();
        byException.forEach((reason, byEnd) -> byEnd.forEach((until, values) ->
                keptUntil.add(new Kept(reason, until, List.copyOf(values)))));
        Set<UUID> emptied = new LinkedHashSet<>();
        due.forEach(item -> emptied.add(item.subjectId()));
        emptied.addAll(alsoCheck);
        emptied.removeAll(held);
        return new Decision(List.copyOf(due), List.copyOf(keptUntil), Collections.unmodifiableSet(emptied), deleted, kept);
    }

    /** The first retention exception that still keeps this item at {@code asOf}. */
    Optional<RetentionException> exceptionFor(Expiry.Item item, Instant asOf) {
        return exceptions.stream().filter(exception -> exception.covers(item.category(), item.activity())
                && exception.keptUntil(item.at()).isAfter(asOf)).findFirst();
    }

    /** Items a retention exception keeps, restricted, until {@code until}, for {@code reason}. */
    record Kept(Hold.Reason reason, Instant until, List<Expiry.Item> items) {
    }

    /**
     * @param due what to delete now
     * @param keptUntil what a retention exception keeps, by reason and end, in that order
     * @param mayBeEmpty people to erase if, after the deletion, nothing of theirs is left
     * @param deleted counts by {@code values}/{@code documents} and by those per activity
     * @param kept counts by {@code legal-hold} and by retention exception
     */
    record Decision(List<Expiry.Item> due, List<Kept> keptUntil, Set<UUID> mayBeEmpty, Map<String, Long> deleted,
            Map<String, Long> kept) {
    }
}
