package no.personvern.subjects;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * Who a personal-data breach touches (Art. 33(3)(a), 34): the people, not erased, holding values,
 * documents, request messages or identities of some categories in some systems (and activities),
 * collected within a time window. An e-mail identity is of category {@code user.contact.email}, a
 * phone of {@code user.contact.phone_number}, held in the system and activity whose write brought it
 * in. Answered from the vault's unencrypted metadata (category or kind, system, activity, time)
 * alone: nothing is decrypted and no key is read.
 */
public interface AffectedPeople {

    /** How many people and records the scope reaches, per system and per activity. */
    Count count(Scope scope);

    /**
     * Every affected person, streamed in one pass (a database cursor, not the whole list in memory)
     * and handed over {@code chunkSize} ids at a time; in the caller's transaction if there is one.
     */
    void forEach(Scope scope, int chunkSize, Consumer<List<UUID>> chunk);

    /**
     * What was breached: values, documents, messages and identities of {@code categories} (each as
     * given: the caller expands a parent category) in {@code systems}, in
     * {@code activities} when not empty, collected at or after {@code from} and before {@code to}
     * (either may be null: no bound).
     */
    record Scope(Set<String> categories, Set<String> systems, Set<String> activities, Instant from, Instant to) {
        public Scope {
            categories = Set.copyOf(categories);
            systems = Set.copyOf(systems);
            activities = activities == null ? Set.of() : Set.copyOf(activities);
        }
    }

    /**
     * People (distinct), records (values, documents, messages, identities), and people per system (every
     * system of the scope, 0 where nobody is affected) and per activity.
     */
    record Count(long people, long records, Map<String, Long> bySystem, Map<String, Long> byActivity) {
    }
}
