package no.personvern.web.console;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import no.personvern.consent.ConsentFigures;
import no.personvern.requests.RequestFigures;
import no.personvern.requests.RequestStatus;
import no.personvern.tracking.PageViewFigures;
import org.springframework.stereotype.Component;

/**
 * The dashboard's figures, kept a while on this instance so that many views cost the database what
 * one view a minute does: today's page views, this week's consents and the requests still moving
 * for {@link #FRESH}; the counts of closed requests (completed, rejected, expired, linked: the big
 * ones, which change slowly) for {@link #CLOSED_FRESH}. The page says the figures may be a minute old.
 */
@Component
class DashboardFigures {

    static final Duration FRESH = Duration.ofSeconds(60);
    static final Duration CLOSED_FRESH = Duration.ofMinutes(5);
    static final Set<RequestStatus> CLOSED = EnumSet.of(RequestStatus.COMPLETED, RequestStatus.REJECTED,
            RequestStatus.EXPIRED, RequestStatus.LINKED);

    private final RequestFigures requests;
    private final ConsentFigures consents;
    private final PageViewFigures pageViews;
    private final Clock clock;
    private final Kept<Map<RequestStatus, Long>> closed = new Kept<>();
    private final Kept<Map<RequestStatus, Long>> moving = new Kept<>();
    private final Kept<List<ConsentFigures.Week>> weeks = new Kept<>();
    private final Kept<List<PageViewFigures.Day>> days = new Kept<>();

    DashboardFigures(RequestFigures requests, ConsentFigures consents, PageViewFigures pageViews, Clock clock) {
        this.requests = requests;
        this.consents = consents;
        this.pageViews = pageViews;
        this.clock = clock;
    }

    /** Every status's count, in the order of {@link RequestStatus}. */
    Map<RequestStatus, Long> byStatus() {
        Instant now = clock.instant();
        Map<RequestStatus, Long> counts = new EnumMap<>(RequestStatus.class);
        counts.putAll(moving.get("", now, FRESH, () -> requests.byStatus(EnumSet.complementOf(EnumSet.copyOf(CLOSED)))));
        counts.putAll(closed.get("", now, CLOSED_FRESH, () -> requests.byStatus(CLOSED)));
        return counts;
    }

    List<ConsentFigures.Week> weekly(LocalDate today, int count) {
        return weeks.get(today + "/" + count, clock.instant(), FRESH, () -> consents.weekly(today, count));
    }

    List<PageViewFigures.Day> daily(LocalDate from, LocalDate to) {
        return days.get(from + "/" + to, clock.instant(), FRESH, () -> pageViews.daily(from, to));
    }

    /** Forgets every kept figure (for tests that change the figures and look again at once). */
    void forget() {
        closed.value.set(null);
        moving.value.set(null);
        weeks.value.set(null);
        days.value.set(null);
    }

    /** One figure with the key it was read for and when; read again once older than asked (or from the future). */
    private static final class Kept<V> {

        private record Value<V>(String key, V value, Instant at) {
        }

        private final AtomicReference<Value<V>> value = new AtomicReference<>();

        V get(String key, Instant now, Duration fresh, Supplier<V> read) {
            Value<V> kept = value.get();
            if (kept != null && kept.key().equals(key) && !kept.at().isAfter(now)
                    && now.isBefore(kept.at().plus(fresh))) {
                return kept.value();
            }
            V counted = read.get();
            value.set(new Value<>(key, counted, now));
            return counted;
        }
    }
}
