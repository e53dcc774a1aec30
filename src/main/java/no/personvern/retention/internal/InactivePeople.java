package no.personvern.retention.internal;

import java.time.Instant;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Collectors;
import no.personvern.catalog.Catalog;
import no.personvern.catalog.IsoPeriod;
import no.personvern.consent.Consents;
import no.personvern.consent.Subscriptions;
import no.personvern.mail.Mail;
import no.personvern.mail.Mailer;
import no.personvern.retention.RetentionEvents;
import no.personvern.retention.RetentionParticipant;
import no.personvern.subjects.Expiry;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;

/**
 * People the company may no longer need (Art. 5(1)(e)) but whose data no rule lets go: no activity
 * for {@code inactive-after} and no contract end reported. They are not deleted — a product may
 * simply never have reported the end of the agreement — but flagged to the DPO: a mail to the
 * privacy mailbox with how many and their subject ids (no personal data), once per person per
 * period, counted in the run's {@code kept} as {@code inactive} (all found) and
 * {@code inactive:flagged} (told now).
 *
 * <p>Activity is what the records show with a time: the person created, written to or rectified
 * (the vault's {@code updated_at}), a value collected, a document uploaded or an identity added; a
 * consent given or withdrawn (a subscription's confirmation and end are recorded as such); a
 * request filed. A subscription in force, a reported contract end (its own clock deals with it) or
 * a legal hold (kept on purpose) means the person is not flagged.
 */
@Component
class InactivePeople {

    static final String INACTIVE = "inactive";
    static final String FLAGGED = "inactive:flagged";

    private final Expiry expiry;
    private final Consents consents;
    private final Subscriptions subscriptions;
    private final LegalHoldService holds;
    private final RetentionRepository repository;
    private final List<RetentionParticipant> participants;
    private final Batches batches;
    private final Mailer mailer;
    private final Catalog catalog;
    private final ApplicationEventPublisher events;
    private final IsoPeriod period;
    private final int batchSize;

    InactivePeople(Expiry expiry, Consents consents, Subscriptions subscriptions, LegalHoldService holds,
            RetentionRepository repository, List<RetentionParticipant> participants, Batches batches, Mailer mailer,
            Catalog catalog, ApplicationEventPublisher events, RetentionProperties properties) {
        this.expiry = expiry;
        this.consents = consents;
        this.subscriptions = subscriptions;
        this.holds = holds;
        this.repository = repository;
        this.participants = participants;
        this.batches = batches;
        this.mailer = mailer;
        this.catalog = catalog;
        this.events = events;
        this.period = new IsoPeriod(properties.inactiveAfter(), Duration.ZERO);
        this.batchSize = properties.batchSize();
    }

    void flag(Run run) {
        Instant cutoff = period.subtractFrom(run.asOf);
        UUID after = new UUID(0, 0);
        List<UUID> page;
        do {
            page = expiry.quietSince(cutoff, after, batchSize);
            if (page.isEmpty()) {
                return;
            }
            after = page.get(page.size() - 1);
            List<UUID> quiet = page;
            batches.run(run, () -> settle(run, cutoff, quiet));
        } while (page.size() == batchSize);
    }

    private void settle(Run run, Instant cutoff, List<UUID> page) {
        Set<UUID> active = new HashSet<>();
        consents.latestRecorded(page).forEach((subjectId, at) -> {
            if (at.isAfter(cutoff)) {
                active.add(subjectId);
            }
        });
        active.addAll(subscriptions.subscribed(page, Instant.EPOCH));
        participants.forEach(participant -> active.addAll(participant.activeSince(page, cutoff)));
        active.addAll(repository.withContractEnd(page));
        active.addAll(holds.held(page, run.asOf));
        List<UUID> inactive = page.stream().filter(subjectId -> !active.contains(subjectId)).toList();
        if (inactive.isEmpty()) {
            return;
        }
        // Told about already in this period: not again until another period has passed.
        Set<UUID> told = repository.flaggedAfter(inactive, cutoff);
        List<UUID> flagged = inactive.stream().filter(subjectId -> !told.contains(subjectId)).toList();
        Map<String, Long> kept = new TreeMap<>();
        kept.put(INACTIVE, (long) inactive.size());
        if (!flagged.isEmpty()) {
            kept.put(FLAGGED, (long) flagged.size());
            if (!run.dryRun) {
                repository.markFlagged(flagged, run.asOf);
                flagged.forEach(subjectId -> events.publishEvent(new RetentionEvents.InactivePersonFlagged(subjectId,
                        cutoff.toString())));
                mailer.send(mail(flagged, run));
            }
        }
        run.count(Map.of(), kept);
    }

    /** To the DPO (or the controller's privacy address): how many and who, by subject id only. */
    private Mail mail(List<UUID> flagged, Run run) {
        String ids = flagged.stream().map(UUID::toString).collect(Collectors.joining("\n"));
        String nbPeriod = period.describe(no.personvern.catalog.Language.NB);
        String enPeriod = period.describe(no.personvern.catalog.Language.EN);
        String text = "Hei!\n\n" + flagged.size() + (flagged.size() == 1 ? " person" : " personer")
                + " har ikke vist noen aktivitet på " + nbPeriod + ", og ingen har meldt at tjenesteavtalen er"
                + " avsluttet. Ingenting er slettet. Sjekk med produktene om avtalen er over"
                + " (POST /api/v1/subjects/{id}/contract-end), eller om opplysningene fortsatt trengs."
                + " Hver person nevnes bare én gang per periode.\n\n"
                + "Hello,\n\n" + flagged.size() + (flagged.size() == 1 ? " person has" : " people have")
                + " shown no activity for " + enPeriod + ", and no end of their service agreement has been"
                + " reported. Nothing has been deleted. Check with the products whether the agreement has ended"
                + " (POST /api/v1/subjects/{id}/contract-end), or whether the data is still needed. Each person is"
                + " named only once per period.\n\n"
                + "Retention run / sletterunde: " + run.id + "\n\nSubject ids:\n" + ids + "\n";
        return new Mail(catalog.controller().privacyMailbox(),
                "Personer uten aktivitet / People without activity: " + flagged.size(), text, Map.of(), null,
                "retention:" + run.id + ":inactive");
    }
}
