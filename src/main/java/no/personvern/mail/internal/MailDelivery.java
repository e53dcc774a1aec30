package no.personvern.mail.internal;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.annotation.PreDestroy;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import no.personvern.PersonvernProperties;
import no.personvern.mail.MailSent;
import no.personvern.mail.MailUndeliverable;
import no.personvern.subjects.VaultEvents;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.mail.MailException;
import org.springframework.mail.javamail.JavaMailSender;
import org.springframework.modulith.events.ApplicationModuleListener;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.util.StringUtils;

/**
 * Sends what the outbox holds, on a thread of its own: through SMTP, or with no mail host as
 * {@code .eml} files in {@code <data dir>/outbox/}. A failure is retried with exponential backoff;
 * after {@code personvern.mail.max-attempts} the message is given up, counted
 * ({@code personvern.mail.undeliverable}) and announced ({@link MailUndeliverable}). Each message
 * is claimed for this worker alone right before it is sent (one conditional update: pending, due,
 * and nobody's lease running), the lease is renewed while the mail server takes its time, and the
 * sent mark or the retry bookkeeping is written in one transaction only while the claim is still
 * this worker's; so with any number of instances a message is sent once. The sealed content is
 * deleted once it is sent or given up. A crash after the server took the message and before it is
 * marked sent sends it again when the lease lapses, with the same {@code Message-ID}, so the copy is
 * recognisable: at least once is the floor, once is the rule.
 */
@Component
@EnableConfigurationProperties({MailProperties.class, org.springframework.boot.mail.autoconfigure.MailProperties.class})
class MailDelivery {

    private static final Logger log = LoggerFactory.getLogger(MailDelivery.class);
    private static final int PAGE = 20;
    static final Duration EML_LIFETIME = Duration.ofDays(7);

    private final JdbcClient jdbc;
    private final MailSeal seal;
    private final JavaMailSender sender;
    private final Path outbox;
    private final String from;
    private final String messageIdDomain;
    private final Clock clock;
    private final TransactionTemplate transactions;
    private final ApplicationEventPublisher events;
    private final Counter sent;
    private final Counter undeliverable;
    private final Duration pollInterval;
    private final Duration initialDelay;
    private final Duration maxDelay;
    private final int maxAttempts;
    private final Duration lease;
    private final Duration keep;
    private final ScheduledExecutorService worker = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "mail-outbox");
        thread.setDaemon(true);
        return thread;
    });
    /** Renews the lease of the mail being sent, so a slow server never lets another instance take it. */
    private final ScheduledExecutorService renewer = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "mail-outbox-lease");
        thread.setDaemon(true);
        return thread;
    });
    /** This worker, as the holder of its claims. */
    private final String holder = UUID.randomUUID().toString();
    private final AtomicBoolean woken = new AtomicBoolean();
    private volatile boolean started;
    private volatile Instant lastCleanUp;

    MailDelivery(JdbcClient jdbc, MailSeal seal, ObjectProvider<JavaMailSender> sender,
            PersonvernProperties site, org.springframework.boot.mail.autoconfigure.MailProperties server,
            MailProperties settings, Clock clock, TransactionTemplate transactions,
            ApplicationEventPublisher events, MeterRegistry meters) {
        this.jdbc = jdbc;
        this.seal = seal;
        this.sender = StringUtils.hasText(server.getHost()) ? sender.getIfAvailable() : null;
        this.outbox = site.dataDir().resolve("outbox");
        String from = settings.from();
        this.from = from;
        this.messageIdDomain = from.contains("@") ? from.substring(from.lastIndexOf('@') + 1) : "personvern.invalid";
        this.clock = clock;
        this.transactions = transactions;
        this.events = events;
        this.sent = Counter.builder("personvern.mail.sent").description("mails handed to the mail server or written to the outbox").register(meters);
        this.undeliverable = Counter.builder("personvern.mail.undeliverable")
                .description("mails given up after the last retry").register(meters);
        this.pollInterval = settings.pollInterval();
        this.initialDelay = settings.retry().initialDelay();
        this.maxDelay = settings.retry().maxDelay();
        this.maxAttempts = settings.maxAttempts();
        this.lease = settings.lease();
        this.keep = settings.keep();
    }

    @EventListener(ApplicationReadyEvent.class)
    void start() {
        started = true;
        worker.scheduleWithFixedDelay(this::poll, 0, pollInterval.toMillis(), TimeUnit.MILLISECONDS);
    }

    @PreDestroy
    void stop() {
        started = false;
        worker.shutdownNow();
        renewer.shutdownNow();
    }

    /** Something was queued and committed: look now rather than at the next poll. */
    void wake() {
        if (started && woken.compareAndSet(false, true)) {
            try {
                worker.execute(() -> {
                    woken.set(false);
                    poll();
                });
            } catch (RejectedExecutionException e) {
                woken.set(false);
            }
        }
    }

    void poll() {
        try {
            List<UUID> due;
            int delivered;
            do {
                delivered = 0;
                Instant now = clock.instant();
                due = jdbc.sql("""
                        SELECT id FROM mail_outbox WHERE status = 'pending' AND next_attempt_at <= :now
                          AND (claimed_until IS NULL OR claimed_until < :now)
                        ORDER BY next_attempt_at, seq LIMIT :limit""")
                        .param("now", time(now)).param("limit", PAGE).query(UUID.class).list();
                for (UUID id : due) {
                    // Claimed at its turn, not when the page was read: a lease taken for the whole
                    // page could lapse while earlier messages are still being sent.
                    if (started && claim(id) && deliver(id)) {
                        delivered++;
                    }
                }
                // Another full page may wait; not while every attempt fails (the server is down).
            } while (due.size() == PAGE && delivered > 0 && started);
            cleanUp();
        } catch (RuntimeException e) {
            log.warn("The mail outbox could not be worked through ({}); trying again", e.getClass().getSimpleName());
        }
    }

    private boolean claim(UUID id) {
        Instant now = clock.instant();
        return jdbc.sql("""
                UPDATE mail_outbox SET claimed_until = :until, claimed_by = :holder
                WHERE id = :id AND status = 'pending' AND next_attempt_at <= :now
                  AND (claimed_until IS NULL OR claimed_until < :now)""")
                .param("until", time(now.plus(lease))).param("holder", holder).param("id", id)
                .param("now", time(now)).update() == 1;
    }

    /** Keeps the claim on {@code id} this worker's while it is being sent: renewed at a third of the lease. */
    private ScheduledFuture<?> renewWhileSending(UUID id) {
        long every = Math.max(1, lease.toMillis() / 3);
        return renewer.scheduleWithFixedDelay(() -> {
            try {
                jdbc.sql("UPDATE mail_outbox SET claimed_until = :until WHERE id = :id AND claimed_by = :holder"
                        + " AND status = 'pending'").param("until", time(clock.instant().plus(lease)))
                        .param("id", id).param("holder", holder).update();
            } catch (RuntimeException e) {
                log.warn("The lease of mail {} could not be renewed ({})", id, e.getClass().getSimpleName());
            }
        }, every, every, TimeUnit.MILLISECONDS);
    }

    /** Sends one claimed message; false when it failed (and was rescheduled or given up). */
    private boolean deliver(UUID id) {
        Map<String, Object> row = jdbc.sql("SELECT sealed, attempts, subject_id, reference FROM mail_outbox WHERE id = :id")
                .param("id", id).query().singleRow();
        int attempts = ((Number) row.get("attempts")).intValue() + 1;
        String error;
        ScheduledFuture<?> renewal = renewWhileSending(id);
        try {
            transmit(id, seal.open(id, (byte[]) row.get("sealed")));
            error = null;
        } catch (MailException | MessagingException e) {
            error = "not sent: " + e.getClass().getSimpleName();
        } catch (IOException e) {
            error = "not written: " + e.getClass().getSimpleName();
        } catch (RuntimeException e) {
            error = "error: " + e.getClass().getSimpleName();
        } finally {
            renewal.cancel(false);
        }
        if (error != null) {
            failed(id, attempts, error, (UUID) row.get("subject_id"), (String) row.get("reference"));
            return false;
        }
        // Sent: marked in a transaction of its own, and only while the claim is still this worker's.
        // Should the mark fail, the lease lapses and the message is sent again (same Message-ID).
        String reference = (String) row.get("reference");
        boolean marked = Boolean.TRUE.equals(transactions.execute(status -> {
            boolean mine = jdbc.sql("""
                    UPDATE mail_outbox SET status = 'sent', sealed = NULL, sent_at = :now, attempts = :attempts,
                           claimed_until = NULL, claimed_by = NULL, last_error = NULL
                    WHERE id = :id AND claimed_by = :holder AND status = 'pending'""")
                    .param("now", time(clock.instant())).param("attempts", attempts).param("id", id)
                    .param("holder", holder).update() == 1;
            if (mine && reference != null) {
                events.publishEvent(new MailSent(id, (UUID) row.get("subject_id"), reference));
            }
            return mine;
        }));
        if (!marked) {
            log.warn("Mail {} was sent after its claim had passed to another worker", id);
        }
        sent.increment();
        return true;
    }

    private void failed(UUID id, int attempts, String error, UUID subjectId, String reference) {
        Instant now = clock.instant();
        if (attempts >= maxAttempts) {
            boolean givenUp = Boolean.TRUE.equals(transactions.execute(status -> {
                if (jdbc.sql("""
                        UPDATE mail_outbox SET status = 'failed', sealed = NULL, attempts = :attempts,
                               claimed_until = NULL, claimed_by = NULL, last_error = :error
                        WHERE id = :id AND claimed_by = :holder AND status = 'pending'""")
                        .param("attempts", attempts).param("error", error).param("id", id).param("holder", holder)
                        .update() == 0) {
                    return false;
                }
                events.publishEvent(new MailUndeliverable(id, subjectId, reference));
                return true;
            }));
            if (!givenUp) {
                return;
            }
            undeliverable.increment();
            log.warn("Mail {} given up after {} attempts ({})", id, attempts, error);
            return;
        }
        Duration delay = initialDelay.multipliedBy(1L << Math.min(attempts - 1, 20));
        if (delay.compareTo(maxDelay) > 0) {
            delay = maxDelay;
        }
        Instant next = now.plus(delay);
        String lastError = error;
        transactions.executeWithoutResult(status -> jdbc.sql("""
                UPDATE mail_outbox SET attempts = :attempts, next_attempt_at = :next, claimed_until = NULL,
                       claimed_by = NULL, last_error = :error
                WHERE id = :id AND claimed_by = :holder AND status = 'pending'""")
                .param("attempts", attempts).param("next", time(next)).param("error", lastError)
                .param("id", id).param("holder", holder).update());
    }

    private void transmit(UUID id, MailSeal.Message mail) throws MessagingException, IOException {
        String messageId = "<" + id + "@" + messageIdDomain + ">";
        MimeMessage message = new MimeMessage(sender != null ? sender.createMimeMessage().getSession()
                : Session.getInstance(new Properties())) {
            @Override
            protected void updateMessageID() throws MessagingException {
                setHeader("Message-ID", messageId);
            }
        };
        message.setFrom(new InternetAddress(from));
        message.setRecipient(MimeMessage.RecipientType.TO, new InternetAddress(mail.to(), true));
        message.setSubject(mail.subject(), StandardCharsets.UTF_8.name());
        message.setText(mail.text(), StandardCharsets.UTF_8.name());
        for (Map.Entry<String, String> header : mail.headers().entrySet()) {
            message.setHeader(header.getKey(), header.getValue());
        }
        message.saveChanges();
        if (sender != null) {
            sender.send(message);
            return;
        }
        Files.createDirectories(outbox);
        Path part = outbox.resolve(id + ".eml.part");
        try (OutputStream out = Files.newOutputStream(part)) {
            message.writeTo(out);
        }
        Files.move(part, eml(id), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /**
     * What is done with: rows of sent or given-up mail, and the {@code .eml} files, after
     * {@code personvern.mail.keep} (7 days). Once a minute at most.
     */
    private void cleanUp() {
        Instant now = clock.instant();
        if (lastCleanUp != null && now.isBefore(lastCleanUp.plus(Duration.ofMinutes(1)))
                && !now.isBefore(lastCleanUp)) {
            return;
        }
        lastCleanUp = now;
        Instant before = now.minus(keep);
        List<UUID> done = jdbc.sql("""
                SELECT id FROM mail_outbox WHERE status IN ('sent', 'failed') AND COALESCE(sent_at, created_at) < :before
                ORDER BY created_at LIMIT 1000""").param("before", time(before)).query(UUID.class).list();
        for (UUID id : done) {
            deleteEml(id);
        }
        if (!done.isEmpty()) {
            jdbc.sql("DELETE FROM mail_outbox WHERE id IN (:ids)").param("ids", done).update();
        }
        if (Files.isDirectory(outbox)) {
            // Files the rows no longer point at (written by an older version, say) go by their age.
            try (DirectoryStream<Path> files = Files.newDirectoryStream(outbox, "*.eml")) {
                for (Path file : files) {
                    if (Files.getLastModifiedTime(file).toInstant().isBefore(before)) {
                        Files.deleteIfExists(file);
                    }
                }
            } catch (IOException e) {
                log.warn("Old outbox files could not be deleted ({})", e.getClass().getSimpleName());
            }
        }
    }

    /** An erased person's copies in the embedded outbox go with them. Durable: run again after a crash. */
    @ApplicationModuleListener
    void on(VaultEvents.SubjectErased erased) {
        List<UUID> written = jdbc.sql("SELECT id FROM mail_outbox WHERE subject_id = :subject AND status = 'sent'")
                .param("subject", erased.subjectId()).query(UUID.class).list();
        written.forEach(this::deleteEml);
        jdbc.sql("UPDATE mail_outbox SET subject_id = NULL WHERE subject_id = :subject AND status <> 'pending'")
                .param("subject", erased.subjectId()).update();
    }

    private void deleteEml(UUID id) {
        try {
            Files.deleteIfExists(eml(id));
        } catch (IOException e) {
            log.warn("Outbox file of mail {} could not be deleted ({})", id, e.getClass().getSimpleName());
        }
    }

    private Path eml(UUID id) {
        return outbox.resolve(id + ".eml");
    }

    private static OffsetDateTime time(Instant instant) {
        return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }
}
