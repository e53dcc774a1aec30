package no.personvern.consent;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;

/**
 * Consent rates over time for the console's dashboard: how many decisions accepted and how many
 * rejected each purpose, per week, from the consent records. Each week is a range of the index on
 * {@code (recorded_at, purpose, granted)}; weeks that have ended are kept for a while, so a view
 * counts only the current week.
 */
public interface ConsentFigures {

    /** The last {@code weeks} weeks (Monday to Sunday, Norwegian time), the one holding {@code today} last. */
    List<Week> weekly(LocalDate today, int weeks);

    /** One week from Monday {@code start}, with the decisions per purpose key (purposes without any left out). */
    record Week(LocalDate start, Map<String, Decisions> byPurpose) {
    }

    /** Decisions recorded: {@code accepted} gave consent, {@code rejected} refused or withdrew it. */
    record Decisions(long accepted, long rejected) {

        public long total() {
            return accepted + rejected;
        }

        /** The share accepted in whole percent, or null with no decisions. */
        public Long acceptedPercent() {
            return total() == 0 ? null : Math.round(100.0 * accepted / total());
        }
    }
}
