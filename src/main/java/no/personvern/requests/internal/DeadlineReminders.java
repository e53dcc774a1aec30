package no.personvern.requests.internal;

import java.lang.management.ManagementFactory;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import net.javacrumbs.shedlock.core.ClockProvider;
import net.javacrumbs.shedlock.core.LockConfiguration;
import net.javacrumbs.shedlock.core.SimpleLock;
import net.javacrumbs.shedlock.provider.jdbctemplate.JdbcTemplateLockProvider;
import no.personvern.catalog.Catalog;
import no.personvern.requests.RequestEvents.DeadlineReminded;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Art. 12(3): the DPO (the catalog's privacy mailbox) is mailed once per request 7 days before it
 * falls due, and once when it is overdue (the extended deadline where there is one; an extension
 * starts both reminders over). One run at a
 * time across instances (the ShedLock lease {@code request-deadlines}); each mail is queued in the
 * transaction that records it was sent ({@code reminded_at}, {@code overdue_mailed_at}), so a
 * request is never reminded twice of the same thing, even by two runs at once.
 */
@Component
class DeadlineReminders {

    static final Duration AHEAD = Duration.ofDays(7);
    static final String LOCK = "request-deadlines";
    private static final Duration LEASE = Duration.ofMinutes(5);

    private final RequestRepository requests;
    private final Letters letters;
    private final RequestMails mails;
    private final Catalog catalog;
    private final ApplicationEventPublisher events;
    private final TransactionTemplate transactions;
    private final Clock clock;
    private final JdbcTemplateLockProvider locks;

    DeadlineReminders(RequestRepository requests, Letters letters, RequestMails mails, Catalog catalog,
            ApplicationEventPublisher events, TransactionTemplate transactions, Clock clock, JdbcTemplate jdbc) {
        this.requests = requests;
        this.letters = letters;
        this.mails = mails;
        this.catalog = catalog;
        this.events = events;
        this.transactions = transactions;
        this.clock = clock;
        this.locks = new JdbcTemplateLockProvider(JdbcTemplateLockProvider.Configuration.builder()
                .withJdbcTemplate(jdbc)
                .withLockedByValue(ManagementFactory.getRuntimeMXBean().getName() + "/" + UUID.randomUUID())
                .usingDbTime().build());
    }

    /** Queues the reminders due now; returns how many (0 while another instance runs). */
    int remind() {
        Optional<SimpleLock> lock = locks.lock(new LockConfiguration(ClockProvider.now(), LOCK, LEASE, Duration.ZERO));
        if (lock.isEmpty()) {
            return 0;
        }
        try {
            Instant now = StoredTime.now(clock);
            int sent = 0;
            for (boolean overdue : new boolean[] {false, true}) {
                for (RequestRecord row : requests.reminderDue(overdue, now, AHEAD)) {
                    sent += transactions.execute(status -> remind(row, overdue, now));
                }
            }
            return sent;
        } finally {
            lock.get().unlock();
        }
    }

    private int remind(RequestRecord row, boolean overdue, Instant now) {
        if (!requests.markReminded(row.id(), overdue, now)) {
            return 0;
        }
        Instant due = row.extendedUntil() != null ? row.extendedUntil() : row.dueAt();
        mails.send(catalog.controller().privacyMailbox(), letters.deadline(row, due, overdue), null, row.id(),
                overdue ? "overdue" : "due-soon");
        events.publishEvent(new DeadlineReminded(row.id(), row.subjectId(), overdue ? "overdue" : "due-soon"));
        return 1;
    }
}
