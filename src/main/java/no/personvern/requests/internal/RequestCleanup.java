package no.personvern.requests.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import no.personvern.catalog.Activity;
import no.personvern.catalog.Catalog;
import no.personvern.catalog.OwnProcessing;
import no.personvern.catalog.RetentionRule;
import no.personvern.consent.Consents;
import no.personvern.consent.Subscriptions;
import no.personvern.retention.LegalHolds;
import no.personvern.retention.RetentionParticipant;
import no.personvern.subjects.Expiry;
import no.personvern.subjects.Vault;
import org.springframework.stereotype.Component;

/**
 * What the requests module no longer needs: unverified (or locked) requests after 7 days (with
 * their messages), the address such a request alone brought into the vault, access packages whose
 * link has run out, and the messages of requests once the requests activity's retention has passed.
 */
@Component
class RequestCleanup {

    static final Duration UNVERIFIED_LIFETIME = Duration.ofDays(7);

    private final RequestRepository requests;
    private final Vault vault;
    private final Expiry expiry;
    private final LegalHolds legalHolds;
    private final Subscriptions subscriptions;
    private final Consents consents;
    private final Catalog catalog;
    private final Clock clock;

    RequestCleanup(RequestRepository requests, Vault vault, Expiry expiry, LegalHolds legalHolds,
            Subscriptions subscriptions, Consents consents, Catalog catalog, Clock clock) {
        this.catalog = catalog;
        this.requests = requests;
        this.vault = vault;
        this.expiry = expiry;
        this.legalHolds = legalHolds;
        this.subscriptions = subscriptions;
        this.consents = consents;
        this.clock = clock;
    }

    /** Unverified (or locked) requests older than 7 days expire; returns how many. */
    int expireUnverified() {
        Instant now = now();
        return expire(now.minus(UNVERIFIED_LIFETIME), now);
    }

    /** Expires stale requests; what their senders wrote goes from the vault (nobody proved it was theirs). */
    private int expire(Instant limit, Instant now) {
        java.util.Set<UUID> messages = requests.staleMessages(limit);
        int expired = requests.expireStale(limit, now);
        if (!messages.isEmpty()) {
            vault.deleteNotes(messages);
        }
        return expired;
    }

    /**
     * Swept with every retention run as of {@code asOf}: the address an expired request alone
     * brought into the vault is erased when nothing else is held about the person (no data,
     * subscription, consent, legal hold or other request). A dry run only counts.
     */
    Map<String, Long> clean(Instant asOf, boolean dryRun) {
        return clean(asOf, dryRun, Integer.MAX_VALUE).deleted();
    }

    /** As {@link #clean(Instant, boolean)}, deleting at most {@code limit} messages; {@code more} if there may be more. */
    RetentionParticipant.Batch clean(Instant asOf, boolean dryRun, int limit) {
        Map<String, Long> counts = new LinkedHashMap<>();
        boolean more = false;
        long unverified = requests.countStale(asOf.minus(UNVERIFIED_LIFETIME));
        Map<UUID, UUID> packages = requests.lapsedPackages(asOf);
        if (unverified > 0) {
            counts.put("requests:unverified", unverified);
        }
        if (!packages.isEmpty()) {
            counts.put("access-packages", (long) packages.size());
        }
        // What people wrote with their requests goes by the retention of the activity for handling requests.
        Activity handling = catalog.activityFor(OwnProcessing.DATA_SUBJECT_REQUESTS).orElseThrow();
        if (handling.retention() != null && handling.retention().trigger() == RetentionRule.Trigger.COLLECTION) {
            int messages = vault.expireNotes(handling.key(), handling.retention().after(), asOf, dryRun, limit);
            more = !dryRun && messages >= limit;
            if (messages > 0) {
                counts.put("request-messages", (long) messages);
            }
        }
        if (dryRun) {
            return new RetentionParticipant.Batch(counts, Map.of(), false);
        }
        expire(asOf.minus(UNVERIFIED_LIFETIME), now());
        long people = 0;
        for (UUID subjectId : requests.broughtInByExpired()) {
            boolean keptElsewhere = requests.hasUnexpired(subjectId) || !vault.isLive(subjectId)
                    || !legalHolds.active(subjectId).isEmpty() || !subscriptions.activeLists(subjectId).isEmpty()
                    || consents.current(subjectId).containsValue(Boolean.TRUE);
            boolean erased = !keptElsewhere && expiry.eraseIfEmpty(subjectId);
            if (erased) {
                people++;
            }
            if (erased || !vault.isLive(subjectId)) {
                // Otherwise asked again by the next run: what keeps the person now may be gone then.
                requests.forgetBroughtIn(subjectId);
            }
        }
        if (people > 0) {
            counts.put("people", people);
        }
        packages.forEach((requestId, packageId) -> {
            vault.deleteExport(packageId);
            requests.dropPackage(requestId);
        });
        return new RetentionParticipant.Batch(counts, Map.of(), more);
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }
}
