package no.personvern.retention.internal;

import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import no.personvern.consent.Consents;
import no.personvern.consent.Subscriptions;
import no.personvern.consent.Subscriptions.PendingSignUp;
import no.personvern.retention.RetentionParticipant;
import no.personvern.subjects.Expiry;
import org.springframework.stereotype.Component;

/**
 * Newsletter and course sign-ups never confirmed: deleted once {@code unconfirmed-sign-ups} (7 days)
 * have passed, and with them the address, by erasing the person the vault made for it, when nothing
 * else holds that person — no value, document or other identity (the vault checks, with the person
 * locked), no other subscription, no consent record, no request (asked of the other modules) and no
 * legal hold. A person who holds anything else keeps the address.
 */
@Component
class UnconfirmedSignUps {

    private final Subscriptions subscriptions;
    private final Consents consents;
    private final Expiry expiry;
    private final LegalHoldService holds;
    private final List<RetentionParticipant> participants;
    private final Batches batches;
    private final java.time.Duration keep;
    private final int batchSize;

    UnconfirmedSignUps(Subscriptions subscriptions, Consents consents, Expiry expiry, LegalHoldService holds,
            List<RetentionParticipant> participants, Batches batches, RetentionProperties properties) {
        this.subscriptions = subscriptions;
        this.consents = consents;
        this.expiry = expiry;
        this.holds = holds;
        this.participants = participants;
        this.batches = batches;
        this.keep = properties.unconfirmedSignUps();
        this.batchSize = properties.batchSize();
    }

    void sweep(Run run) {
        Instant cutoff = run.asOf.minus(keep);
        PendingSignUp after = null;
        List<PendingSignUp> page;
        do {
            page = subscriptions.unconfirmedBefore(cutoff, after, batchSize);
            if (page.isEmpty()) {
                return;
            }
            after = page.get(page.size() - 1);
            List<PendingSignUp> signUps = page;
            batches.run(run, () -> run.count(settle(run, cutoff, signUps), Map.of()));
        } while (page.size() == batchSize);
    }

    private Map<String, Long> settle(Run run, Instant cutoff, List<PendingSignUp> signUps) {
        Map<String, Long> deleted = new TreeMap<>();
        Map<UUID, UUID> addresses = new LinkedHashMap<>();
        for (PendingSignUp signUp : signUps) {
            if (run.dryRun || subscriptions.dropUnconfirmed(signUp.subscriptionId())) {
                deleted.merge("sign-ups:unconfirmed", 1L, Long::sum);
                addresses.putIfAbsent(signUp.subjectId(), signUp.identityId());
            }
        }
        Set<UUID> kept = new HashSet<>(holds.held(addresses.keySet(), run.asOf));
        // Another list, or a sign-up still waiting within its week; any consent ever recorded (its proof).
        kept.addAll(subscriptions.subscribed(addresses.keySet(), cutoff));
        kept.addAll(consents.latestRecorded(addresses.keySet()).keySet());
        participants.forEach(participant -> kept.addAll(participant.holding(addresses.keySet())));
        addresses.forEach((subjectId, identityId) -> {
            if (kept.contains(subjectId)) {
                return;
            }
            boolean gone = run.dryRun ? expiry.heldOnlyBy(subjectId, identityId)
                    : expiry.eraseIfOnly(subjectId, identityId);
            if (gone) {
                deleted.merge("people", 1L, Long::sum);
                deleted.merge("people:unconfirmed-sign-ups", 1L, Long::sum);
            }
        });
        return deleted;
    }
}
