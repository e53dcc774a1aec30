package no.personvern.breaches.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import no.personvern.breaches.BreachEvents;
import no.personvern.breaches.BreachReport;
import no.personvern.breaches.BreachStatus;
import no.personvern.breaches.internal.BreachRepository.BreachRow;
import no.personvern.catalog.Language;
import no.personvern.mail.Mail;
import no.personvern.mail.Mailer;
import no.personvern.subjects.AffectedPeople;
import no.personvern.subjects.Vault;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Art. 34: the letter to every person a breach affects, sent on in batches by a job of its own
 * ({@code pv-breach-mailing}). Each batch is one transaction that locks the breach, takes the next
 * page of affected people after the stored cursor (ids only, nothing decrypted), reads their verified
 * addresses through the vault (audited), queues the letters in the mail outbox, records each person
 * as told and moves the cursor. A crash rolls the whole batch back, letters included, and a restart
 * resumes from the cursor; a person already recorded as told is skipped, so nobody gets two letters.
 */
@Component
class BreachMailing {

    private static final Logger log = LoggerFactory.getLogger(BreachMailing.class);

    private final BreachRepository repository;
    private final BreachService breaches;
    private final AffectedPeople affectedPeople;
    private final Vault vault;
    private final Mailer mailer;
    private final BreachTexts texts;
    private final ApplicationEventPublisher events;
    private final TransactionTemplate transactions;
    private final int batchSize;

    BreachMailing(BreachRepository repository, BreachService breaches, AffectedPeople affectedPeople, Vault vault,
            Mailer mailer, BreachTexts texts, ApplicationEventPublisher events, TransactionTemplate transactions,
            BreachesProperties properties) {
        this.repository = repository;
        this.breaches = breaches;
        this.affectedPeople = affectedPeople;
        this.vault = vault;
        this.mailer = mailer;
        this.texts = texts;
        this.events = events;
        this.transactions = transactions;
        this.batchSize = properties.mailingBatchSize();
    }

    /** Sends on every mailing in progress until each is done. */
    void run() {
        try {
            for (UUID breach : repository.mailing()) {
                while (Boolean.TRUE.equals(transactions.execute(status -> batch(breach)))) {
                    // the next batch
                }
            }
        } catch (RuntimeException e) {
            log.warn("Breach mailing stopped; it resumes on the next run: {}", e.getClass().getName());
        }
    }

    /** One batch; true when more may follow. */
    private boolean batch(UUID breachId) {
        BreachRow row = repository.lock(breachId).orElse(null);
        if (row == null || !"running".equals(row.peopleStatus())) {
            return false;
        }
        AffectedPeople.Scope scope = row.scope();
        List<UUID> page = affectedPeople.page(scope, row.peopleCursor(), batchSize);
        if (page.isEmpty()) {
            repository.finishMailing(breachId);
            breaches.transition(breachId, breaches.clock().instant().truncatedTo(java.time.temporal.ChronoUnit.MICROS), "people-notified",
                    BreachStatus.valueOf(row.status().toUpperCase(java.util.Locale.ROOT)),
                    Map.of("sent", row.peopleSent(), "withoutAddress", row.peopleWithout()));
            return false;
        }
        Set<UUID> told = repository.alreadyTold(breachId, page);
        List<UUID> toTell = new ArrayList<>(page.stream().filter(id -> !told.contains(id)).toList());
        Map<UUID, String> addresses = toTell.isEmpty() ? Map.of()
                : vault.emails(toTell, "breach-notification:" + breachId);
        Language language = Language.fromCode(row.peopleLang()).orElse(Language.NB);
        BreachReport report = breaches.report(breachId, language);
        BreachTexts.Letter letter = texts.toPerson(report, language);
        long sent = 0;
        long without = 0;
        for (UUID subjectId : toTell) {
            String address = addresses.get(subjectId);
            if (address != null) {
                mailer.send(new Mail(address, letter.subject(), letter.text(), Map.of(), subjectId,
                        "breach:" + breachId + ":person"));
                sent++;
            } else {
                without++;
            }
            repository.told(breachId, subjectId, address != null);
            events.publishEvent(new BreachEvents.PersonNotified(breachId, subjectId, address != null));
        }
        repository.advance(breachId, page.get(page.size() - 1), sent, without);
        return true;
    }
}
