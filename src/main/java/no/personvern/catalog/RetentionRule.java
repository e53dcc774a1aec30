package no.personvern.catalog;

import java.util.Locale;
import java.util.Optional;

/**
 * How long an activity keeps its data (Art. 5(1)(e)): a delay after a trigger — collection,
 * the end of the service agreement, withdrawal of consent or the visitor's next visit. Personvern's
 * built-in activities keep their records as proof ({@link Trigger#PROOF}), which a catalog cannot declare.
 */
public record RetentionRule(Trigger trigger, IsoPeriod after) {

    /** The rule in words, for the notice and the record of processing. */
    public String describe(Language language) {
        boolean nb = language == Language.NB;
        String delay = after.describe(language);
        return switch (trigger) {
            case COLLECTION -> nb ? "slettes " + delay + " etter innsamling eller opplasting"
                    : "deleted " + delay + " after collection or upload";
            case CONTRACT_END -> after.isZero()
                    ? (nb ? "lagres så lenge tjenesteavtalen løper, og slettes når den opphører"
                            : "kept as long as the service agreement runs, and deleted when it ends")
                    : (nb ? "slettes " + delay + " etter at tjenesteavtalen opphører"
                            : "deleted " + delay + " after the service agreement ends");
            case WITHDRAWAL -> after.isZero()
                    ? (nb ? "lagres til du melder deg av eller trekker samtykket ditt"
                            : "kept until you unsubscribe or withdraw your consent")
                    : (nb ? "slettes " + delay + " etter at du melder deg av eller trekker samtykket ditt"
                            : "deleted " + delay + " after you unsubscribe or withdraw your consent");
            case PROOF -> nb
                    ? "oppbevares som dokumentasjon så lenge det kan bli spurt om hvordan reglene ble fulgt"
                            + " (personvernforordningen art. 5 nr. 2), etter en sletting bare under et pseudonym"
                    : "kept as proof for as long as we may be asked how the rules were followed (GDPR Art. 5(2)),"
                            + " after an erasure only under a pseudonym";
            case NEXT_VISIT -> nb
                    ? "lagres til ditt neste besøk, og erstattes da av en ny med informasjon om siste besøk"
                    : "kept until your next visit, and then replaced by a new one with information about the last visit";
        };
    }

    /**
     * What starts the retention clock. {@code PROOF}: records that prove the rules were followed
     * (a request's answer, a consent, the audit trail) are not swept.
     */
    public enum Trigger {
        COLLECTION, CONTRACT_END, WITHDRAWAL, NEXT_VISIT, PROOF;

        /** The catalog spelling of {@code until:}, e.g. {@code contract-end}. */
        public String key() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }

        public static Optional<Trigger> fromUntil(String key) {
            for (Trigger trigger : values()) {
                if (trigger != COLLECTION && trigger != PROOF && trigger.key().equals(key)) {
                    return Optional.of(trigger);
                }
            }
            return Optional.empty();
        }
    }
}
