package no.personvern.subjects;

import java.time.Instant;

/**
 * A value kept only for one purpose — a retention exception (Art. 17(3)(b)), a legal hold
 * (Art. 17(3)(e)), a restriction (Art. 18) or a customer (Art. 28(3)(e)) — read for that purpose.
 */
public record RestrictedValue(String category, String value, String system, String activity, HeldBy heldBy) {

    /**
     * What keeps the value: {@code kind} is {@code retention-exception}, {@code legal-hold},
     * {@code restriction}, {@code customer} or {@code other}; {@code key} the exception's key, the
     * restriction's request id or the customer's activity; {@code until} when it ends, if known.
     */
    public record HeldBy(String kind, String key, Instant until) {

        public static HeldBy of(Hold.Reason reason, String activity, Instant until) {
            if (reason instanceof Hold.Reason.Retention retention) {
                return new HeldBy("retention-exception", retention.key(), until);
            }
            if (reason instanceof Hold.Reason.Restriction restriction) {
                return new HeldBy("restriction", restriction.requestId().toString(), until);
            }
            if (reason instanceof Hold.Reason.LegalHoldDeferral) {
                return new HeldBy("legal-hold", null, until);
            }
            if (reason instanceof Hold.Reason.ForCustomer) {
                return new HeldBy("customer", activity, until);
            }
            return new HeldBy("other", reason.stored(), until);
        }
    }
}
