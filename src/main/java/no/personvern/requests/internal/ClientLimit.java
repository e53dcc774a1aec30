package no.personvern.requests.internal;

import java.time.Duration;
import no.personvern.security.ClientAddresses;
import no.personvern.security.RateLimits;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Public requests per client (an IPv4 address or an IPv6 /64) in a sliding hour, counted across
 * every instance, so nobody can use the form to flood a person's mailbox with codes or probe many
 * addresses.
 */
@Component
class ClientLimit {

    private static final Duration WINDOW = Duration.ofHours(1);

    private final int perHour;
    private final RateLimits limits;
    private final ClientAddresses clients;

    ClientLimit(@Value("${personvern.requests.per-client-per-hour:10}") int perHour, RateLimits limits,
            ClientAddresses clients) {
        this.perHour = perHour;
        this.limits = limits;
        this.clients = clients;
    }

    /** {@code client} is the request's remote address (behind trusted proxies, the forwarded client). */
    boolean tryAcquire(String client) {
        return limits.tryAcquire("requests-per-client", clients.key(client == null ? "" : client), perHour, WINDOW)
                .granted();
    }
}
