package no.personvern.subjects;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import no.personvern.catalog.Activity;
import no.personvern.catalog.Catalog;
import no.personvern.catalog.RetentionException;
import no.personvern.catalog.Role;

/**
 * A reason to keep some categories through an erasure (Art. 17(3)(b)): a retention exception
 * such as bokføringsloven § 13, a legal hold, or data processed for a customer who decides
 * (Art. 28(3)(e)). Held values are kept restricted until {@code until} (null: until released).
 *
 * @param activities the activities whose values the hold covers; empty means every activity
 */
public record Hold(Reason reason, Instant until, Set<String> categories, Set<String> activities,
        RetentionException exception) {

    public Hold(Reason reason, Instant until, Set<String> categories) {
        this(reason, until, categories, Set.of(), null);
    }

    public Hold(Reason reason, Instant until, Set<String> categories, Set<String> activities) {
        this(reason, until, categories, activities, null);
    }

    /**
     * Why values are kept but not used. {@link #stored()} is the text recorded with each held
     * value ({@code held_by}, {@code restricted_by}) and shown in reports and access packages;
     * {@link #parse} reads it back, so the text and the type always agree.
     */
    public sealed interface Reason {

        /** The text recorded with each held value; {@code parse(stored())} gives this reason back. */
        String stored();

        /**
         * Art. 17(3)(b): a retention exception of the catalog, e.g. bokføringsloven § 13. A value
         * under one is in use again when it is collected anew.
         *
         * @param law null for a reason recorded without the law
         */
        record Retention(String key, String law) implements Reason {
            static final String PREFIX = "retention-exception:";

            public static Retention of(RetentionException exception) {
                return new Retention(exception.key(), exception.law());
            }

            @Override
            public String stored() {
                return PREFIX + key + (law == null ? "" : " (" + law + ")");
            }
        }

        /** Art. 28(3)(e): data processed for a customer, kept for the customer to decide on. */
        record ForCustomer() implements Reason {
            static final String TEXT = "processor-for-customer (Art. 28(3)(e))";

            @Override
            public String stored() {
                return TEXT;
            }
        }

        /** Art. 18: the person asked for restriction in the data-subject request {@code requestId}. */
        record Restriction(java.util.UUID requestId) implements Reason {
            public static final String PREFIX = "restriction:";

            @Override
            public String stored() {
                return PREFIX + requestId;
            }
        }

        /**
         * Art. 21(1): the DPO upheld the person's objection (data-subject request {@code requestId})
         * to an activity: its values are kept, not used, and nothing more is collected under it.
         */
        record Objection(java.util.UUID requestId) implements Reason {
            /** The start of every such reason's text. */
            public static final String PREFIX = "objection:";

            @Override
            public String stored() {
                return PREFIX + requestId;
            }
        }

        /** Art. 17(3)(e): an erasure deferred while a legal hold keeps the data for a legal claim. */
        record LegalHoldDeferral() implements Reason {
            static final String TEXT = "legal-hold: erasure deferred (Art. 17(3)(e))";

            @Override
            public String stored() {
                return TEXT;
            }
        }

        /** Any other reason recorded as text. */
        record Other(String stored) implements Reason {
        }

        /** The reason a recorded text stands for; {@code parse(text).stored()} is {@code text}. */
        static Reason parse(String stored) {
            if (stored.startsWith(Retention.PREFIX)) {
                String rest = stored.substring(Retention.PREFIX.length());
                int open = rest.indexOf(" (");
                return open >= 0 && rest.endsWith(")")
                        ? new Retention(rest.substring(0, open), rest.substring(open + 2, rest.length() - 1))
                        : new Retention(rest, null);
            }
            if (stored.startsWith(Restriction.PREFIX)) {
                try {
                    Restriction restriction = new Restriction(
                            java.util.UUID.fromString(stored.substring(Restriction.PREFIX.length())));
                    if (restriction.stored().equals(stored)) {
                        return restriction;
                    }
                } catch (IllegalArgumentException notARequestId) {
                    // recorded with another text after the prefix: kept as text
                }
                return new Other(stored);
            }
            if (stored.startsWith(Objection.PREFIX)) {
                try {
                    Objection objection = new Objection(
                            java.util.UUID.fromString(stored.substring(Objection.PREFIX.length())));
                    if (objection.stored().equals(stored)) {
                        return objection;
                    }
                } catch (IllegalArgumentException notARequestId) {
                    // recorded with another text after the prefix: kept as text
                }
                return new Other(stored);
            }
            return switch (stored) {
                case ForCustomer.TEXT -> new ForCustomer();
                case LegalHoldDeferral.TEXT -> new LegalHoldDeferral();
                default -> new Other(stored);
            };
        }
    }

    /** Until when a value collected then is kept: by the retention exception's rule, or {@code until}. */
    public Instant untilFor(Instant collectedAt) {
        return exception == null ? until : exception.keptUntil(collectedAt);
    }

    /** Art. 28(3)(e): what the company processes for a customer is kept for the customer to decide on. */
    public static final String PROCESSOR_HOLD = Reason.ForCustomer.TEXT;

    /**
     * The holds the catalog requires on any erasure from {@code now}: each retention exception
     * (e.g. bookkeeping: 5 years after the end of the year each value belongs to; {@code until} is
     * the latest such end, for a value collected now) and the data of activities the company
     * carries out as processor (until the customer decides).
     */
    public static List<Hold> requiredBy(Catalog catalog, Instant now) {
        List<Hold> holds = new ArrayList<>();
        catalog.retentionExceptions().forEach(exception -> holds.add(new Hold(Reason.Retention.of(exception),
                exception.keptUntil(now), Set.copyOf(exception.dataCategories()),
                Set.copyOf(exception.activities()), exception)));
        for (Activity activity : catalog.activities()) {
            if (activity.role() == Role.PROCESSOR) {
                holds.add(new Hold(new Reason.ForCustomer(), null, Set.copyOf(activity.dataCategories()), Set.of(activity.key())));
            }
        }
        return List.copyOf(holds);
    }

    public boolean covers(String category, String activity) {
        return categories.contains(category) && (activities.isEmpty() || activities.contains(activity));
    }
}
