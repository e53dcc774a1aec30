package no.personvern.requests.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Public requests per client address in a sliding hour (in memory, per instance), so nobody can
 * use the form to flood a person's mailbox with codes or probe many addresses.
 */
@Component
class ClientLimit {

    private static final Duration WINDOW = Duration.ofHours(1);
    private static final int MAX_CLIENTS = 100_000;

    private final int perHour;
    private final Clock clock;
    private final Map<String, Deque<Instant>> seen = new LinkedHashMap<>(1024, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Deque<Instant>> eldest) {
            return size() > MAX_CLIENTS;
        }
    };

    ClientLimit(@Value("${personvern.requests.per-client-per-hour:10}") int perHour, Clock clock) {
        this.perHour = perHour;
        this.clock = clock;
    }

    synchronized boolean tryAcquire(String client) {
        Instant now = clock.instant();
        Deque<Instant> times = seen.computeIfAbsent(client == null ? "" : client, key -> new ArrayDeque<>());
        while (!times.isEmpty() && times.peekFirst().isBefore(now.minus(WINDOW))) {
            times.pollFirst();
        }
        if (times.size() >= perHour) {
            return false;
        }
        times.addLast(now);
        return true;
    }
}
