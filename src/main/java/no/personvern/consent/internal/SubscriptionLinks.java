package no.personvern.consent.internal;

import jakarta.annotation.PreDestroy;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import no.personvern.PersonvernProperties;
import no.personvern.Problems;
import no.personvern.catalog.Language;
import no.personvern.consent.ConsentRefusal;
import no.personvern.consent.SubscriptionCentre;
import no.personvern.consent.internal.SubscriptionLinkRepository.Held;
import no.personvern.consent.internal.SubscriptionLinkRepository.Link;
import no.personvern.consent.internal.SubscriptionLinkRepository.Subscriber;
import no.personvern.mail.Mail;
import no.personvern.mail.Mailer;
import no.personvern.subjects.Vault;
import no.personvern.subjects.VaultEvents;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The privacy centre's subscription links. A request finds the people the address belongs to and
 * the subscriptions made with that address; only if there are any is a link mailed, to that
 * address. The token (256 random bits) is stored only as its hash, one row per person, and the
 * link shows, ends and confirms only those people's subscriptions made with that address.
 *
 * <p>So that neither the answer nor its timing tells whether an address has subscriptions, the
 * request does the same work for every address (checks it, counts the client) and leaves the
 * look-up and the mail to one background thread. The address waits there only in memory; when
 * too many wait, a request is dropped, and the person can ask again.
 */
@Service
class SubscriptionLinks implements SubscriptionCentre {

    private static final Logger log = LoggerFactory.getLogger(SubscriptionLinks.class);
    private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9_-]{43}");
    /** Expired links are kept a while, so that they answer "expired" rather than "unknown". */
    private static final Duration KEPT_AFTER_EXPIRY = Duration.ofDays(30);
    /** Requests that may wait for the background thread; more are dropped. */
    static final int WAITING = 200;

    private final SubscriptionLinkRepository links;
    private final Vault vault;
    private final Mailer mailer;
    private final ConsentMails mails;
    private final SignUpLimits limits;
    private final SubscriptionService subscriptions;
    private final TransactionTemplate transactions;
    private final Clock clock;
    private final String baseUrl;
    private final Executor background;

    @Autowired
    SubscriptionLinks(SubscriptionLinkRepository links, Vault vault, Mailer mailer, ConsentMails mails,
            SignUpLimits limits, SubscriptionService subscriptions, TransactionTemplate transactions, Clock clock,
            PersonvernProperties site) {
        this(links, vault, mailer, mails, limits, subscriptions, transactions, clock, site.baseUrl(), background());
    }

    SubscriptionLinks(SubscriptionLinkRepository links, Vault vault, Mailer mailer, ConsentMails mails,
            SignUpLimits limits, SubscriptionService subscriptions, TransactionTemplate transactions, Clock clock,
            String baseUrl, Executor background) {
        this.links = links;
        this.vault = vault;
        this.mailer = mailer;
        this.mails = mails;
        this.limits = limits;
        this.subscriptions = subscriptions;
        this.transactions = transactions;
        this.clock = clock;
        this.baseUrl = baseUrl;
        this.background = background;
    }

    /** One thread, a bounded queue, and what does not fit is dropped. */
    private static ExecutorService background() {
        return new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new ArrayBlockingQueue<>(WAITING), task -> {
            Thread thread = new Thread(task, "subscription-links");
            thread.setDaemon(true);
            return thread;
        }, new ThreadPoolExecutor.DiscardPolicy());
    }

    @PreDestroy
    void stop() throws InterruptedException {
        if (background instanceof ExecutorService executor) {
            executor.shutdown();
            executor.awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    @Override
    public void mailLink(String email, String lang, String clientAddress) {
        if (email == null || email.length() > 320 || !vault.acceptsEmail(email)) {
            throw ConsentRefusal.invalid("email", email == null || email.isBlank() ? "an e-mail address is required"
                    : "not a valid e-mail address");
        }
        if (!limits.tryLinkClient(limits.client(clientAddress))) {
            throw Problems.tooManyRequests("Too many requests from this address; try again later.");
        }
        String address = email.strip().toLowerCase(Locale.ROOT);
        Language language = "en".equals(lang) ? Language.EN : Language.NB;
        background.execute(() -> {
            try {
                lookUpAndMail(address, language);
            } catch (RuntimeException failed) {
                // Nothing of the address: the person sees no difference and can ask again.
                log.warn("A subscription link could not be mailed ({})", failed.getClass().getName());
            }
        });
    }

    /** Mails a new link if the address has subscriptions, within the address's limits on link mails. */
    private void lookUpAndMail(String address, Language language) {
        List<Subscriber> owners = owners(address);
        if (owners.isEmpty() || !limits.mayMailLink(address)) {
            return;
        }
        String token = SubscriptionService.token();
        ConsentMails.Letter letter = mails.subscriptionLink(language,
                baseUrl + "/privacy-center/subscriptions/" + token + "?lang=" + language.code());
        Instant now = clock.instant();
        transactions.executeWithoutResult(status -> {
            links.deleteExpiredBefore(now.minus(KEPT_AFTER_EXPIRY));
            for (Subscriber owner : owners) {
                links.insert(SubscriptionService.sha256(token), owner, now, now.plus(LINK_VALIDITY));
            }
            mailer.send(new Mail(address, letter.subject(), letter.text(), Map.of(), owners.get(0).subjectId(),
                    "subscription-link"));
        });
    }

    /**
     * The people the address belongs to, each with the identity the address is for them (null for a
     * subscription made before identities were kept), as far as they have subscriptions made with it.
     */
    private List<Subscriber> owners(String address) {
        List<UUID> subjects = vault.find("email", address);
        if (subjects.isEmpty()) {
            return List.of();
        }
        List<Subscriber> subscribers = links.subscribers(subjects);
        Map<UUID, String> addresses = vault.emailsByIdentity(subscribers.stream().map(Subscriber::identityId)
                .filter(id -> id != null).distinct().toList(), Vault.RIGHTS_PURPOSE);
        Set<Subscriber> owners = new LinkedHashSet<>();
        for (Subscriber subscriber : subscribers) {
            if (subscriber.identityId() == null || address.equalsIgnoreCase(addresses.get(subscriber.identityId()))) {
                owners.add(subscriber);
            }
        }
        return new ArrayList<>(owners);
    }

    @Override
    public Holder open(String token) {
        List<Link> held = links(token);
        Instant expires = held.stream().map(Link::expiresAt).max(Instant::compareTo).orElseThrow();
        List<Entry> entries = new ArrayList<>();
        for (Held row : subscriptionsOf(held)) {
            Instant since = switch (row.status()) {
                case "confirmed" -> row.confirmedAt();
                case "ended" -> row.endedAt();
                default -> row.createdAt();
            };
            if (row.status().equals("pending") && !subscriptions.confirmable(row.createdAt())) {
                continue;
            }
            entries.add(new Entry(row.id(), row.list(), row.status(), since == null ? row.createdAt() : since));
        }
        return new Holder(expires, List.copyOf(entries));
    }

    @Override
    public void end(String token, UUID subscriptionId) {
        transactions.executeWithoutResult(status -> {
            Held row = held(token, subscriptionId);
            if (!"confirmed".equals(row.status())) {
                throw SubscriptionService.gone("This subscription is not active.");
            }
            subscriptions.end(asRow(row));
        });
    }

    @Override
    public void confirm(String token, UUID subscriptionId) {
        transactions.executeWithoutResult(status -> {
            Held row = held(token, subscriptionId);
            if (!"pending".equals(row.status()) || !subscriptions.confirmable(row.createdAt())) {
                throw SubscriptionService.gone("This sign-up is no longer waiting for confirmation.");
            }
            subscriptions.confirmPending(asRow(row));
        });
    }

    private static Map<String, Object> asRow(Held held) {
        return Map.of("id", held.id(), "subject_id", held.subjectId(), "list_key", held.list());
    }

    private Held held(String token, UUID subscriptionId) {
        return subscriptionsOf(links(token)).stream().filter(row -> row.id().equals(subscriptionId)).findFirst()
                .orElseThrow(SubscriptionService::notFound);
    }

    /** The link's rows (one per person): 404 for an unknown or malformed token, 410 once expired. */
    private List<Link> links(String token) {
        if (token == null || !TOKEN.matcher(token).matches()) {
            throw SubscriptionService.notFound();
        }
        String hash = SubscriptionService.sha256(token);
        // The look-up is by hash; the comparison again in constant time, whatever the database did.
        List<Link> found = links.byHash(hash).stream().filter(link -> MessageDigest.isEqual(
                hash.getBytes(StandardCharsets.US_ASCII), link.tokenHash().getBytes(StandardCharsets.US_ASCII))).toList();
        if (found.isEmpty()) {
            throw SubscriptionService.notFound();
        }
        Instant now = clock.instant();
        if (found.stream().noneMatch(link -> link.expiresAt().isAfter(now))) {
            throw SubscriptionService.gone("This link has expired.");
        }
        return found;
    }

    /** The subscriptions the link's people made with its address, by list. */
    private List<Held> subscriptionsOf(List<Link> found) {
        List<Held> rows = new ArrayList<>();
        for (Link link : found) {
            rows.addAll(links.subscriptions(link));
        }
        return rows;
    }

    /** An erased person's links stop working at once. */
    @EventListener
    void on(VaultEvents.SubjectErased erased) {
        links.deleteOf(erased.subjectId());
    }
}
