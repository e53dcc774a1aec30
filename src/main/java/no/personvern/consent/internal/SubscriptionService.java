package no.personvern.consent.internal;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.Set;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import no.personvern.PersonvernProperties;
import no.personvern.Problems;
import no.personvern.Refusal;
import no.personvern.Refusal.Kind;
import no.personvern.catalog.Catalog;
import no.personvern.catalog.MailingList;
import no.personvern.consent.ConsentEvents;
import no.personvern.consent.ConsentRefusal;
import no.personvern.consent.ConsentRequest;
import no.personvern.consent.Consents;
import no.personvern.consent.SignUpDropped;
import no.personvern.consent.SubscriptionEnded;
import no.personvern.consent.Subscriptions;
import no.personvern.mail.Mail;
import no.personvern.mail.Mailer;
import no.personvern.subjects.EmailIdentity;
import no.personvern.subjects.Vault;
import no.personvern.subjects.VaultRefusal;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Double opt-in: a sign-up stores the address in the vault and mails a single-use confirmation
 * token (kept only as a hash, valid 7 days); confirming records the consent. Unsubscribe links
 * carry the subscription id and an HMAC, so they cannot be forged and need no stored secret each.
 */
@Service
class SubscriptionService implements Subscriptions {

    static final String PURPOSE = "marketing.communications.email";
    static final String ONE_CLICK = "List-Unsubscribe=One-Click";
    private static final Duration CONFIRMATION_VALIDITY = Duration.ofDays(7);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final JdbcClient jdbc;
    private final Catalog catalog;
    private final Vault vault;
    private final Consents consents;
    private final Mailer mailer;
    private final ApplicationEventPublisher events;
    private final TransactionTemplate transactions;
    private final Clock clock;
    private final String baseUrl;
    private final SignUpLimits limits;
    private final UnsubscribeKey unsubscribeKey;
    private final ConsentMails mails;

    SubscriptionService(JdbcClient jdbc, Catalog catalog, Vault vault, Consents consents, Mailer mailer,
            ApplicationEventPublisher events, TransactionTemplate transactions, Clock clock,
            PersonvernProperties site, UnsubscribeKey unsubscribeKey, SignUpLimits limits, ConsentMails mails) {
        this.limits = limits;
        this.mails = mails;
        this.jdbc = jdbc;
        this.catalog = catalog;
        this.vault = vault;
        this.consents = consents;
        this.mailer = mailer;
        this.events = events;
        this.transactions = transactions;
        this.clock = clock;
        this.baseUrl = site.baseUrl();
        this.unsubscribeKey = unsubscribeKey;
    }

    /** A list is a consent-based activity that sends e-mail (the catalog's lists: newsletter, courses). */
    private MailingList mailingList(String list) {
        return catalog.list(list == null ? "" : list)
                .orElseThrow(() -> ConsentRefusal.invalid("list", "unknown list '" + list + "'"));
    }

    @Override
    public void signUp(String email, String list, String lang, String clientAddress) {
        Problems.Violations invalid = Problems.violations();
        MailingList mailingList = invalid.collect(() -> mailingList(list));
        invalid.require(email != null && vault.acceptsEmail(email), "email",
                email == null ? "an e-mail address is required" : "not a valid e-mail address");
        invalid.throwIfAny();
        String client = limits.client(clientAddress);
        if (!limits.tryClient(client)) {
            throw Problems.tooManyRequests("Too many sign-ups from this address; try again later.");
        }
        // Known or unknown, subscribed or not: the same work, the same answer and one mail (within the
        // limits), so that neither the answer nor its timing tells who is a subscriber.
        EmailIdentity subscriber;
        try {
            subscriber = vault.resolveEmail(mailingList.system(), mailingList.activity(), email);
        } catch (VaultRefusal notAnAddress) {
            throw ConsentRefusal.invalid("email", "not a valid e-mail address");
        }
        boolean mayMail = limits.mayMail(subscriber.identityId(), client);
        UUID subjectId = subscriber.subjectId();
        String token = token();
        no.personvern.catalog.Language language = "en".equals(lang) ? no.personvern.catalog.Language.EN
                : no.personvern.catalog.Language.NB;
        String link = baseUrl + "/subscriptions/confirm/" + token;
        String name = mailingList.title().in(language);
        String to = email.strip().toLowerCase(java.util.Locale.ROOT);
        transactions.executeWithoutResult(status -> {
            boolean confirmed = jdbc.sql("SELECT COUNT(*) FROM subscription WHERE subject_id = :subject AND list_key = :list"
                    + " AND status = 'confirmed' AND (identity_id = :identity OR identity_id IS NULL)")
                    .param("subject", subjectId).param("list", list).param("identity", subscriber.identityId())
                    .query(Long.class).single() > 0;
            if (confirmed) {
                if (mayMail) {
                    ConsentMails.Letter letter = mails.alreadySignedUp(language, name);
                    mailer.send(new Mail(to, letter.subject(), letter.text(), Map.of(), subjectId, null));
                }
                return;
            }
            if (!mayMail) {
                // Past the address's mail limit: no new link (nobody would get it), and the last one
                // mailed stays good.
                return;
            }
            jdbc.sql("DELETE FROM subscription WHERE subject_id = :subject AND list_key = :list AND status = 'pending'"
                    + " AND (identity_id = :identity OR identity_id IS NULL)")
                    .param("subject", subjectId).param("list", list).param("identity", subscriber.identityId()).update();
            jdbc.sql("""
                    INSERT INTO subscription (id, subject_id, list_key, status, confirm_hash, created_at, identity_id)
                    VALUES (:id, :subject, :list, 'pending', :hash, :at, :identity)""")
                    .param("id", UUID.randomUUID()).param("subject", subjectId).param("list", list)
                    .param("identity", subscriber.identityId())
                    .param("hash", sha256(token)).param("at", time(clock.instant()))
                    .update();
            // Queued with the pending subscription: both commit, or neither.
            ConsentMails.Letter letter = mails.signUp(language, name, link);
            mailer.send(new Mail(to, letter.subject(), letter.text(), Map.of(), subjectId, null));
        });
    }

    @Override
    public boolean isPending(String token) {
        return pending(token).isPresent();
    }

    private Optional<Map<String, Object>> pending(String token) {
        if (token == null || token.length() > 100) {
            return Optional.empty();
        }
        return jdbc.sql("SELECT id, subject_id, list_key, created_at FROM subscription WHERE confirm_hash = :hash"
                + " AND status = 'pending'").param("hash", sha256(token))
                .query((rs, n) -> Map.<String, Object>of("id", rs.getObject("id", UUID.class),
                        "subject_id", rs.getObject("subject_id", UUID.class), "list_key", rs.getString("list_key"),
                        "created_at", rs.getObject("created_at", OffsetDateTime.class).toInstant()))
                .optional()
                .filter(row -> confirmable((Instant) row.get("created_at")));
    }

    @Override
    public void confirm(String token) {
        transactions.executeWithoutResult(status -> confirmPending(
                pending(token).orElseThrow(() -> gone("This confirmation link is unknown, used or expired."))));
    }

    /** Whether a sign-up made at {@code createdAt} may still be confirmed. */
    boolean confirmable(Instant createdAt) {
        return createdAt.plus(CONFIRMATION_VALIDITY).isAfter(clock.instant());
    }

    /** Confirms a pending sign-up (id, subject_id, list_key), joining the caller's transaction. */
    void confirmPending(Map<String, Object> row) {
        transactions.executeWithoutResult(status -> {
            UUID id = (UUID) row.get("id");
            UUID subjectId = (UUID) row.get("subject_id");
            String list = (String) row.get("list_key");
            int updated = jdbc.sql("UPDATE subscription SET status = 'confirmed', confirm_hash = NULL, confirmed_at = :at"
                    + " WHERE id = :id AND status = 'pending'").param("at", time(clock.instant())).param("id", id).update();
            if (updated != 1) {
                throw gone("This confirmation link has been used.");
            }
            consents.record(List.of(new ConsentRequest(subjectId, null, PURPOSE, true, "double-opt-in", list,
                    mailingList(list).activity())));
        });
    }

    @Override
    public String state(String unsubscribeToken) {
        return subscription(unsubscribeToken).get("status").equals("confirmed") ? "confirmed" : "ended";
    }

    @Override
    public void unsubscribe(String unsubscribeToken) {
        transactions.executeWithoutResult(status -> end(subscription(unsubscribeToken)));
    }

    /**
     * Ends a confirmed subscription (id, subject_id, list_key) and records the withdrawal as the
     * unsubscribe link does, joining the caller's transaction; 410 if it has already ended.
     */
    void end(Map<String, Object> row) {
        transactions.executeWithoutResult(status -> {
            UUID id = (UUID) row.get("id");
            int updated = jdbc.sql("UPDATE subscription SET status = 'ended', ended_at = :at WHERE id = :id"
                    + " AND status = 'confirmed'").param("at", time(clock.instant())).param("id", id).update();
            if (updated != 1) {
                throw gone("This subscription has already ended.");
            }
            UUID subjectId = (UUID) row.get("subject_id");
            String list = (String) row.get("list_key");
            // Leaving one list withdraws that list's consent only: the other lists' stand.
            consents.record(List.of(new ConsentRequest(subjectId, null, PURPOSE, false, "unsubscribe-link", list,
                    mailingList(list).activity())));
            events.publishEvent(new SubscriptionEnded(subjectId, id, list, clock.instant()));
        });
    }

    @Override
    public List<Recipient> recipients(String list, UUID cursor, int limit) {
        mailingList(list);
        List<Map<String, Object>> rows = jdbc.sql("SELECT id, subject_id, identity_id FROM subscription WHERE list_key = :list"
                + " AND status = 'confirmed' AND id > :cursor ORDER BY id LIMIT :limit")
                .param("list", list).param("cursor", cursor == null ? new UUID(0, 0) : cursor)
                .param("limit", limit).query().listOfRows();
        // The newsletter goes to the address that signed up and confirmed, not to another of the person's.
        Map<UUID, String> byIdentity = vault.emailsByIdentity(rows.stream().map(row -> (UUID) row.get("identity_id"))
                .filter(java.util.Objects::nonNull).toList(), list);
        Map<UUID, String> signedUpBefore = vault.emails(rows.stream().filter(row -> row.get("identity_id") == null)
                .map(row -> (UUID) row.get("subject_id")).toList(), list);
        List<Recipient> recipients = new ArrayList<>();
        for (Map<String, Object> row : rows) {
            UUID id = (UUID) row.get("id");
            UUID subjectId = (UUID) row.get("subject_id");
            String email = row.get("identity_id") != null ? byIdentity.get((UUID) row.get("identity_id"))
                    : signedUpBefore.get(subjectId);
            if (email != null) {
                String url = baseUrl + "/u/" + unsubscribeToken(id);
                recipients.add(new Recipient(id, subjectId, email, url, "<" + url + ">", ONE_CLICK));
            }
        }
        return recipients;
    }

    /**
     * A withdrawal made elsewhere (the consent API, an objection) ends the person's subscriptions
     * at once, in the same transaction (Art. 7(3), 21(3)). Deliberately not a durable, after-commit
     * listener: the withdrawal and the end of the mailing commit together, so no newsletter can go
     * out in between; both live in this module.
     */
    @EventListener
    void on(ConsentEvents.ConsentWithdrawn withdrawn) {
        if (withdrawn.subjectId() != null && withdrawn.purpose().equals(PURPOSE)
                && !withdrawn.method().equals("unsubscribe-link")) {
            endAfterWithdrawal(withdrawn);
        }
    }

    @Override
    public List<String> activeLists(UUID subjectId) {
        return jdbc.sql("SELECT DISTINCT list_key FROM subscription WHERE subject_id = :subject"
                + " AND status IN ('pending', 'confirmed') ORDER BY list_key").param("subject", subjectId)
                .query(String.class).list();
    }

    @Override
    public Set<UUID> subscribed(Collection<UUID> subjectIds, Instant pendingAfter) {
        if (subjectIds.isEmpty()) {
            return Set.of();
        }
        return new HashSet<>(jdbc.sql("SELECT DISTINCT subject_id FROM subscription WHERE subject_id = ANY(:subjects)"
                + " AND (status = 'confirmed' OR (status = 'pending' AND created_at > :after))")
                .param("subjects", subjectIds.toArray(UUID[]::new)).param("after", time(pendingAfter))
                .query(UUID.class).list());
    }

    @Override
    public List<PendingSignUp> unconfirmedBefore(Instant cutoff, PendingSignUp after, int limit) {
        return jdbc.sql("SELECT id, subject_id, identity_id, list_key, created_at FROM subscription"
                + " WHERE status = 'pending' AND created_at <= :cutoff AND (created_at, id) > (:at, :id)"
                + " ORDER BY created_at, id LIMIT :limit")
                .param("cutoff", time(cutoff)).param("limit", limit)
                .param("at", time(after == null ? Instant.EPOCH : after.at()))
                .param("id", after == null ? new UUID(0, 0) : after.subscriptionId())
                .query((rs, n) -> new PendingSignUp(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class),
                        rs.getObject(3, UUID.class), rs.getString(4), rs.getObject(5, OffsetDateTime.class).toInstant()))
                .list();
    }

    @Override
    public boolean dropUnconfirmed(UUID subscriptionId) {
        return Boolean.TRUE.equals(transactions.execute(status -> {
            List<Map<String, Object>> rows = jdbc.sql("SELECT subject_id, list_key FROM subscription WHERE id = :id"
                    + " AND status = 'pending'").param("id", subscriptionId).query().listOfRows();
            if (rows.isEmpty() || jdbc.sql("DELETE FROM subscription WHERE id = :id AND status = 'pending'")
                    .param("id", subscriptionId).update() != 1) {
                return false;
            }
            events.publishEvent(new SignUpDropped((UUID) rows.get(0).get("subject_id"), subscriptionId,
                    (String) rows.get(0).get("list_key")));
            return true;
        }));
    }

    /**
     * Ends the subscriptions to the lists whose activity the withdrawal concerns, and drops their
     * sign-ups still waiting for confirmation: a link mailed before an objection (Art. 21(3)) or a
     * withdrawal must not subscribe the person again.
     */
    private void endAfterWithdrawal(ConsentEvents.ConsentWithdrawn withdrawn) {
        UUID subjectId = withdrawn.subjectId();
        List<Map<String, Object>> active = jdbc.sql("SELECT id, list_key, status FROM subscription"
                + " WHERE subject_id = :subject AND status IN ('confirmed', 'pending')").param("subject", subjectId)
                .query().listOfRows();
        for (Map<String, Object> row : active) {
            String list = (String) row.get("list_key");
            if (!catalog.list(list).map(l -> withdrawn.concerns(l.activity())).orElse(true)) {
                continue;
            }
            if ("pending".equals(row.get("status"))) {
                jdbc.sql("DELETE FROM subscription WHERE id = :id AND status = 'pending'").param("id", row.get("id"))
                        .update();
                continue;
            }
            jdbc.sql("UPDATE subscription SET status = 'ended', ended_at = :at WHERE id = :id")
                    .param("at", time(clock.instant())).param("id", row.get("id")).update();
            events.publishEvent(new SubscriptionEnded(subjectId, (UUID) row.get("id"), (String) row.get("list_key"),
                    clock.instant()));
        }
    }

    private Map<String, Object> subscription(String token) {
        UUID id = verifyUnsubscribeToken(token).orElseThrow(() -> notFound());
        return jdbc.sql("SELECT id, subject_id, list_key, status FROM subscription WHERE id = :id").param("id", id)
                .query().listOfRows().stream().findFirst().orElseThrow(SubscriptionService::notFound);
    }

    String unsubscribeToken(UUID subscriptionId) {
        ByteBuffer bytes = ByteBuffer.allocate(16).putLong(subscriptionId.getMostSignificantBits())
                .putLong(subscriptionId.getLeastSignificantBits());
        String id = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes.array());
        return id + "." + mac("unsubscribe." + id);
    }

    private Optional<UUID> verifyUnsubscribeToken(String token) {
        if (token == null || !token.matches("[A-Za-z0-9_-]{22}\\.[A-Za-z0-9_-]{22}")) {
            return Optional.empty();
        }
        String[] parts = token.split("\\.");
        if (!MessageDigest.isEqual(mac("unsubscribe." + parts[0]).getBytes(StandardCharsets.US_ASCII),
                parts[1].getBytes(StandardCharsets.US_ASCII))) {
            return Optional.empty();
        }
        ByteBuffer bytes = ByteBuffer.wrap(Base64.getUrlDecoder().decode(parts[0]));
        return Optional.of(new UUID(bytes.getLong(), bytes.getLong()));
    }

    private String mac(String message) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(unsubscribeKey.get(), "HmacSHA256"));
            byte[] full = mac.doFinal(message.getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(full).substring(0, 22);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is missing from the JDK", e);
        }
    }

    static String token() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    static String sha256(String value) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(value.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is missing from the JDK", e);
        }
    }

    static OffsetDateTime time(Instant instant) {
        return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }

    static Refusal notFound() {
        return Problems.notFound("This link is not valid.");
    }

    static Refusal gone(String detail) {
        return Problems.refusal(Kind.GONE, "Gone", detail, null);
    }
}
