package no.personvern.consent.internal;

import java.time.Duration;
import java.util.UUID;
import no.personvern.security.ClientAddresses;
import no.personvern.security.RateLimits;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.stereotype.Component;

/**
 * Limits on public sign-ups, counted across every instance. A client (an IPv4 address or an IPv6
 * /64) may sign up so many addresses an hour; an address gets at most three confirmation mails an
 * hour from any one client and twenty a day in all, so the form cannot be used to flood
 * someone's mailbox. Sign-ups past the mail limits are answered as any other and mail nothing.
 * Mails with a link to the privacy centre's subscription page count apart, in a smaller bucket of
 * their own (per address an hour and a day), so that asking for links again and again never stops
 * a sign-up's confirmation mail, nor the other way round.
 */
@Component
@EnableConfigurationProperties(ConsentProperties.class)
class SignUpLimits {

    static final int MAILS_PER_CLIENT_PER_HOUR = 3;
    static final int MAILS_PER_DAY = 20;
    static final int LINK_MAILS_PER_HOUR = 3;
    static final int LINK_MAILS_PER_DAY = 6;
    private static final Duration HOUR = Duration.ofHours(1);
    private static final Duration DAY = Duration.ofDays(1);

    private final RateLimits limits;
    private final ClientAddresses clients;
    private final int perClient;

    SignUpLimits(RateLimits limits, ClientAddresses clients, ConsentProperties settings) {
        this.limits = limits;
        this.clients = clients;
        this.perClient = settings.perClientPerHour();
    }

    /** The key a client counts under. */
    String client(String address) {
        return clients.key(address == null ? "" : address);
    }

    /** One more sign-up from this client, if it has not used up its hour. */
    boolean tryClient(String client) {
        return limits.tryAcquire("sign-ups-per-client", client, perClient, HOUR).granted();
    }

    /** One more request for a subscription link from this client, if it has not used up its hour. */
    boolean tryLinkClient(String client) {
        return limits.tryAcquire("subscription-links-per-client", client, perClient, HOUR).granted();
    }

    /** One more mail to this address (by its identity handle, never the address itself). */
    boolean mayMail(UUID identityId, String client) {
        return limits.tryAcquire("sign-up-mails", identityId + "|" + client, MAILS_PER_CLIENT_PER_HOUR, HOUR).granted()
                && limits.tryAcquire("sign-up-mails-daily", identityId.toString(), MAILS_PER_DAY, DAY).granted();
    }

    /**
     * One more mail with a subscription link to this address (trimmed and lower-cased; the limits
     * keep only a keyed hash of it), from whichever client.
     */
    boolean mayMailLink(String address) {
        return limits.tryAcquire("subscription-link-mails", address, LINK_MAILS_PER_HOUR, HOUR).granted()
                && limits.tryAcquire("subscription-link-mails-daily", address, LINK_MAILS_PER_DAY, DAY).granted();
    }
}
