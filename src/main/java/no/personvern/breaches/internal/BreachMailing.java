package no.personvern.breaches.internal;

import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import no.personvern.breaches.BreachEvents;
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
 * ({@code pv-breach-mailing}). The first step lists the people affected, streamed from the vault in one
 * pass (ids only, nothing decrypted), into {@code breach_person_notice}. Then each batch is one
 * transaction that locks the breach, takes the next people still to tell after the stored cursor,
 * reads their verified addresses through the vault (audited), queues the letters in the mail outbox,
 * records each person as told and moves the cursor. A crash rolls the whole batch back, letters
 * included, and a restart resumes from the cursor; a person recorded as told is never mailed again.
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

    /** One step: the listing of the people to tell, or one batch of letters; true when more may follow. */
    private boolean batch(UUID breachId) {
        BreachRow row = repository.lock(breachId).orElse(null);
        if (row == null || !"running".equals(row.peopleStatus())) {
            return false;
        }
        if (row.peopleTotal() == null) {
            // The people affected now, listed once in one pass (streamed, nothing decrypted): the letters go to them.
            // The scope is the one counted (categories expanded, the window ending at discovery without 'to'),
            // less the people affected only in data processed for customers: theirs to tell (Art. 33(2)).
            breaches.mailingScope(row).ifPresent(scope -> affectedPeople.forEach(scope, batchSize,
                    page -> repository.listPeople(breachId, page)));
            repository.listed(breachId);
            return true;
        }
        List<UUID> page = repository.toTell(breachId, row.peopleCursor(), batchSize);
        if (page.isEmpty()) {
            repository.finishMailing(breachId);
            breaches.transition(breachId, breaches.clock().instant().truncatedTo(ChronoUnit.MICROS),
                    "people-notified", BreachStatus.valueOf(row.status().toUpperCase(Locale.ROOT)),
                    Map.of("sent", row.peopleSent(), "withoutAddress", row.peopleWithout()));
            return false;
        }
        Map<UUID, String> addresses = vault.emails(page, Vault.BREACH_PURPOSE + ":" + breachId);
        Language language = Language.fromCode(row.peopleLang()).orElse(Language.NB);
        BreachTexts.Letter letter = texts.toPerson(breaches.report(breachId, language), language);
        long sent = 0;
        long without = 0;
        for (UUID subjectId : page) {
            String address = addresses.get(subjectId);
            if (!repository.told(breachId, subjectId, address != null)) {
                continue;
            }
            if (address != null) {
                mailer.send(new Mail(address, letter.subject(), letter.text(), Map.of(), subjectId,
                        "breach:" + breachId + ":person"));
                sent++;
            } else {
                without++;
            }
            events.publishEvent(new BreachEvents.PersonNotified(breachId, subjectId, address != null));
        }
        repository.advance(breachId, page.get(page.size() - 1), sent, without);
        return true;
    }
}
