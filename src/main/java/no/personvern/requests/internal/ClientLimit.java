package no.personvern.requests.internal;

import java.time.Duration;
import java.util.UUID;
import no.personvern.security.ClientAddresses;
import no.personvern.security.RateLimits;
import org.springframework.stereotype.Component;

/**
 * Public requests per client (an IPv4 address or an IPv6 /64) in a sliding hour, counted across
 * every instance, so nobody can use the form to probe many addresses; and code mails per address:
 * at most three an hour prompted by any one client and twenty a day in all, so nobody can flood a
 * person's mailbox with codes. The limit per client and address keeps a stranger's junk from using
 * up what the person's own requests may send.
 */
@Component
class ClientLimit {

    private static final Duration WINDOW = Duration.ofHours(1);
    static final int CODE_MAILS_PER_CLIENT_PER_HOUR = 3;
    static final int CODE_MAILS_PER_DAY = 20;

    private final int perHour;
    private final RateLimits limits;
    private final ClientAddresses clients;

    ClientLimit(RequestsProperties settings, RateLimits limits, ClientAddresses clients) {
        this.perHour = settings.requests().perClientPerHour();
        this.limits = limits;
        this.clients = clients;
    }

    int perHour() {
        return perHour;
    }

    /** {@code client} is the request's remote address (behind trusted proxies, the forwarded client). */
    boolean tryAcquire(String client) {
        return limits.tryAcquire("requests-per-client", clients.key(client == null ? "" : client), perHour, WINDOW)
                .granted();
    }

    /**
     * Art. 12(5): whether a refusal of this client's excess requests may be recorded now: once per
     * client and hour, so that a flood cannot fill the table.
     */
    boolean mayRecordRefusal(String client) {
        return limits.tryAcquire("requests-refused-per-client", clients.key(client == null ? "" : client), 1, WINDOW)
                .granted();
    }

    /** One more code mail to this address (by its identity handle, never the address itself). */
    boolean mayMailCode(UUID identityId, String client) {
        String key = clients.key(client == null ? "" : client);
        return limits.tryAcquire("request-code-mails", identityId + "|" + key, CODE_MAILS_PER_CLIENT_PER_HOUR, WINDOW)
                .granted()
                && limits.tryAcquire("request-code-mails-daily", identityId.toString(), CODE_MAILS_PER_DAY,
                        Duration.ofDays(1)).granted();
    }
}
