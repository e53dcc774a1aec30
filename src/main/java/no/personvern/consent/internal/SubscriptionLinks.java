package no.personvern.consent.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.regex.Pattern;
import no.personvern.PersonvernProperties;
import no.personvern.Problems;
import no.personvern.catalog.Catalog;
import no.personvern.catalog.Language;
import no.personvern.consent.ConsentRefusal;
import no.personvern.consent.SubscriptionCentre;
import no.personvern.mail.Mail;
import no.personvern.mail.Mailer;
import no.personvern.subjects.Vault;
import no.personvern.subjects.VaultEvents;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The privacy centre's subscription links. A request finds the people the address belongs to and
 * the subscriptions made with that address; only if there are any is a link mailed, to that
 * address. The token (256 random bits) is stored only as its hash, one row per person, and the
 * link shows, ends and confirms only those people's subscriptions made with that address.
 */
@Service
class SubscriptionLinks implements SubscriptionCentre {

    private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9_-]{43}");
    /** Expired links are kept a while, so that they answer "expired" rather than "unknown". */
    private static final java.time.Duration KEPT_AFTER_EXPIRY = java.time.Duration.ofDays(30);

    private final JdbcClient jdbc;
    private final Vault vault;
    private final Mailer mailer;
    private final Catalog catalog;
    private final SignUpLimits limits;
    private final SubscriptionService subscriptions;
    private final TransactionTemplate transactions;
    private final Clock clock;
    private final String baseUrl;

    SubscriptionLinks(JdbcClient jdbc, Vault vault, Mailer mailer, Catalog catalog, SignUpLimits limits,
            SubscriptionService subscriptions, TransactionTemplate transactions, Clock clock, PersonvernProperties site) {
        this.jdbc = jdbc;
        this.vault = vault;
        this.mailer = mailer;
        this.catalog = catalog;
        this.limits = limits;
        this.subscriptions = subscriptions;
        this.transactions = transactions;
        this.clock = clock;
        this.baseUrl = site.baseUrl();
    }

    private record Owner(UUID subjectId, UUID identityId) {
    }

    @Override
    public void mailLink(String email, String lang, String clientAddress) {
        if (email == null || email.length() > 320 || !vault.acceptsEmail(email)) {
            throw ConsentRefusal.invalid("email", email == null || email.isBlank() ? "an e-mail address is required"
                    : "not a valid e-mail address");
        }
        String client = limits.client(clientAddress);
        if (!limits.tryLinkClient(client)) {
            throw Problems.tooManyRequests("Too many requests from this address; try again later.");
        }
        String address = email.strip().toLowerCase(Locale.ROOT);
        List<Owner> owners = owners(address);
        if (owners.isEmpty()) {
            return;
        }
        Owner first = owners.get(0);
        if (!limits.mayMail(first.identityId() != null ? first.identityId() : first.subjectId(), client)) {
            return;
        }
        boolean nb = !"en".equals(lang);
        Language language = nb ? Language.NB : Language.EN;
        String token = SubscriptionService.token();
        String link = baseUrl + "/privacy-center/subscriptions/" + token + "?lang=" + language.code();
        Instant now = clock.instant();
        Instant expires = now.plus(LINK_VALIDITY);
        String company = catalog.controller().name();
        transactions.executeWithoutResult(status -> {
            jdbc.sql("DELETE FROM subscription_link WHERE expires_at < :before")
                    .param("before", SubscriptionService.time(now.minus(KEPT_AFTER_EXPIRY))).update();
            for (Owner owner : owners) {
                jdbc.sql("""
                        INSERT INTO subscription_link (id, token_hash, subject_id, identity_id, created_at, expires_at)
                        VALUES (:id, :hash, :subject, :identity, :at, :expires)""")
                        .param("id", UUID.randomUUID()).param("hash", SubscriptionService.sha256(token))
                        .param("subject", owner.subjectId()).param("identity", owner.identityId())
                        .param("at", SubscriptionService.time(now)).param("expires", SubscriptionService.time(expires))
                        .update();
            }
            mailer.send(new Mail(address, nb ? "Abonnementene dine hos " + company : "Your subscriptions at " + company,
                    nb ? "Hei!\n\nNoen, forhåpentligvis du, ba om å se abonnementene til denne adressen hos " + company
                            + ".\nHer ser du dem, og kan avslutte hvert av dem med ett klikk (lenken virker i 24 timer):\n\n"
                            + link + "\n\nBa du ikke om dette, kan du se bort fra denne e-posten; da skjer ingenting.\n\n"
                            + catalog.controller().signature(Language.NB) + "\n"
                            : "Hello!\n\nSomeone, hopefully you, asked to see the subscriptions of this address at "
                                    + company + ".\nHere you see them and can end each with one click (the link works"
                                    + " for 24 hours):\n\n" + link
                                    + "\n\nIf it was not you, ignore this e-mail and nothing happens.\n\n"
                                    + catalog.controller().signature(Language.EN) + "\n",
                    Map.of(), first.subjectId(), "subscription-link"));
        });
    }

    /**
     * The people the address belongs to, each with the identity the address is for them (null for a
     * subscription made before identities were kept), as far as they have subscriptions made with it.
     */
    private List<Owner> owners(String address) {
        List<UUID> subjects = vault.find("email", address);
        if (subjects.isEmpty()) {
            return List.of();
        }
        List<Map<String, Object>> rows = jdbc.sql("SELECT DISTINCT subject_id, identity_id FROM subscription"
                + " WHERE subject_id IN (:subjects)").param("subjects", subjects).query().listOfRows();
        Map<UUID, String> addresses = vault.emailsByIdentity(rows.stream().map(row -> (UUID) row.get("identity_id"))
                .filter(Objects::nonNull).distinct().toList(), Vault.RIGHTS_PURPOSE);
        Map<Owner, Boolean> owners = new LinkedHashMap<>();
        for (Map<String, Object> row : rows) {
            UUID identity = (UUID) row.get("identity_id");
            if (identity == null || address.equalsIgnoreCase(addresses.get(identity))) {
                owners.put(new Owner((UUID) row.get("subject_id"), identity), true);
            }
        }
        return new ArrayList<>(owners.keySet());
    }

    @Override
    public Holder open(String token) {
        List<Map<String, Object>> links = links(token);
        Instant expires = links.stream().map(row -> (Instant) row.get("expires_at")).max(Instant::compareTo).orElseThrow();
        List<Entry> entries = new ArrayList<>();
        for (Map<String, Object> row : rows(links)) {
            String state = (String) row.get("status");
            Instant since = switch (state) {
                case "confirmed" -> instant(row.get("confirmed_at"));
                case "ended" -> instant(row.get("ended_at"));
                default -> instant(row.get("created_at"));
            };
            if (state.equals("pending") && !subscriptions.confirmable(instant(row.get("created_at")))) {
                continue;
            }
            entries.add(new Entry((UUID) row.get("id"), (String) row.get("list_key"), state,
                    since == null ? instant(row.get("created_at")) : since));
        }
        return new Holder(expires, List.copyOf(entries));
    }

    @Override
    public void end(String token, UUID subscriptionId) {
        transactions.executeWithoutResult(status -> {
            Map<String, Object> row = row(token, subscriptionId);
            if (!"confirmed".equals(row.get("status"))) {
                throw SubscriptionService.gone("This subscription is not active.");
            }
            subscriptions.end(row);
        });
    }

    @Override
    public void confirm(String token, UUID subscriptionId) {
        transactions.executeWithoutResult(status -> {
            Map<String, Object> row = row(token, subscriptionId);
            if (!"pending".equals(row.get("status")) || !subscriptions.confirmable(instant(row.get("created_at")))) {
                throw SubscriptionService.gone("This sign-up is no longer waiting for confirmation.");
            }
            subscriptions.confirmPending(row);
        });
    }

    private Map<String, Object> row(String token, UUID subscriptionId) {
        return rows(links(token)).stream().filter(row -> row.get("id").equals(subscriptionId)).findFirst()
                .orElseThrow(SubscriptionService::notFound);
    }

    /** The link's rows (one per person): 404 for an unknown or malformed token, 410 once expired. */
    private List<Map<String, Object>> links(String token) {
        if (token == null || !TOKEN.matcher(token).matches()) {
            throw SubscriptionService.notFound();
        }
        String hash = SubscriptionService.sha256(token);
        List<Map<String, Object>> links = new ArrayList<>();
        jdbc.sql("SELECT token_hash, subject_id, identity_id, expires_at FROM subscription_link WHERE token_hash = :hash")
                .param("hash", hash).query().listOfRows().forEach(row -> {
                    // The look-up is by hash; the comparison again in constant time, whatever the database did.
                    if (MessageDigest.isEqual(hash.getBytes(StandardCharsets.US_ASCII),
                            ((String) row.get("token_hash")).getBytes(StandardCharsets.US_ASCII))) {
                        Map<String, Object> link = new LinkedHashMap<>(row);
                        link.put("expires_at", instant(row.get("expires_at")));
                        links.add(link);
                    }
                });
        if (links.isEmpty()) {
            throw SubscriptionService.notFound();
        }
        Instant now = clock.instant();
        if (links.stream().noneMatch(link -> ((Instant) link.get("expires_at")).isAfter(now))) {
            throw SubscriptionService.gone("This link has expired.");
        }
        return links;
    }

    /** The subscriptions the link's people made with its address, by list. */
    private List<Map<String, Object>> rows(List<Map<String, Object>> links) {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (Map<String, Object> link : links) {
            UUID identity = (UUID) link.get("identity_id");
            rows.addAll(jdbc.sql("SELECT id, subject_id, list_key, status, created_at, confirmed_at, ended_at"
                    + " FROM subscription WHERE subject_id = :subject"
                    + (identity == null ? " AND identity_id IS NULL" : " AND identity_id = :identity")
                    + " ORDER BY list_key, created_at")
                    .param("subject", link.get("subject_id")).param("identity", identity)
                    .query().listOfRows());
        }
        return rows;
    }

    /** An erased person's links stop working at once. */
    @EventListener
    void on(VaultEvents.SubjectErased erased) {
        jdbc.sql("DELETE FROM subscription_link WHERE subject_id = :subject").param("subject", erased.subjectId()).update();
    }

    private static Instant instant(Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof OffsetDateTime time) {
            return time.toInstant();
        }
        if (value instanceof java.sql.Timestamp timestamp) {
            return timestamp.toInstant();
        }
        if (value instanceof Instant instant) {
            return instant;
        }
        return OffsetDateTime.parse(value.toString()).toInstant();
    }
}
