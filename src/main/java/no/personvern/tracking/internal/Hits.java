package no.personvern.tracking.internal;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.annotation.PreDestroy;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Pixel hits, buffered in memory for at most a second and written in batches; flushed on shutdown.
 * Only data reduced before storage is kept: the IP truncated (IPv4 /24, IPv6 /48), the user agent
 * reduced to browser family and operating system (S6). The buffer holds at most
 * {@code personvern.tracking.queue-capacity} hits: past that, while the database lags, hits are
 * dropped and counted ({@code personvern_tracking_hits_dropped_total}), never held without bound.
 */
@Component
class Hits {

    record Hit(Instant at, String event, String path, String campaign, String visitor, String ipPrefix, String browser,
            String os) {
    }

    private static final int BATCH = 1000;

    private final BlockingQueue<Hit> buffer;
    private final JdbcTemplate jdbc;
    private final TransactionTemplate transactions;
    private final Counter dropped;
    private final DailyRollups rollups;

    Hits(JdbcTemplate jdbc, TransactionTemplate transactions, MeterRegistry meters,
            TrackingProperties settings, DailyRollups rollups) {
        int capacity = settings.tracking().queueCapacity();
        if (capacity < 1) {
            throw new IllegalStateException("personvern.tracking.queue-capacity must be at least 1, not " + capacity);
        }
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.rollups = rollups;
        this.buffer = new LinkedBlockingQueue<>(capacity);
        this.dropped = Counter.builder("personvern.tracking.hits.dropped")
                .description("Pixel hits dropped because the buffer was full").register(meters);
        Gauge.builder("personvern.tracking.hits.buffered", buffer, BlockingQueue::size)
                .description("Pixel hits waiting to be written").register(meters);
    }

    void add(Hit hit) {
        if (!buffer.offer(hit)) {
            dropped.increment();
        }
    }

    /** Writes what is buffered; runs every second on its own thread ({@code pv-pixel-flush}) and on shutdown. */
    @PreDestroy
    synchronized void flush() {
        List<Hit> batch = new ArrayList<>(BATCH);
        while (buffer.drainTo(batch, BATCH) > 0) {
            List<Object[]> rows = new ArrayList<>(batch.size());
            Map<LocalDate, DailyRollups.Flushed> days = new HashMap<>();
            for (Hit hit : batch) {
                OffsetDateTime at = OffsetDateTime.ofInstant(hit.at(), ZoneOffset.UTC);
                rows.add(new Object[] {at, at.toLocalDate(), hit.event(), hit.path(), hit.campaign(), hit.visitor(),
                    hit.ipPrefix(), hit.browser(), hit.os()});
                days.computeIfAbsent(at.toLocalDate(), day -> new DailyRollups.Flushed())
                        .add(hit.event(), hit.campaign(), hit.visitor());
            }
            write(rows, days);
            batch.clear();
        }
    }

    /**
     * One transaction a batch: committed, it is in the database file too (SPEC 4: at most 1 s lost).
     * The days written are marked changed in it, so that no roll-up of them is read without these hits,
     * and the batch is added to their running totals (before its hits are stored: see {@link DailyRollups#counted}).
     */
    void write(List<Object[]> rows, Map<LocalDate, DailyRollups.Flushed> days) {
        transactions.executeWithoutResult(status -> {
            rollups.changed(days.keySet());
            rollups.counted(days);
            jdbc.batchUpdate("INSERT INTO page_hit (at, hit_day, event, path, campaign, visitor, ip_prefix, browser, os)"
                    + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", rows);
        });
    }

    /** IPv4 to its /24, IPv6 to its /48; null for anything that is not a numeric address. */
    static String truncate(String address) {
        if (address == null || !address.matches("[0-9a-fA-F:.%]{2,64}")) {
            return null;
        }
        try {
            byte[] bytes = InetAddress.getByName(address.replaceAll("%.*$", "")).getAddress();
            int keep = bytes.length == 4 ? 3 : 6;
            for (int i = keep; i < bytes.length; i++) {
                bytes[i] = 0;
            }
            return InetAddress.getByAddress(bytes).getHostAddress() + (bytes.length == 4 ? "/24" : "/48");
        } catch (UnknownHostException e) {
            return null;
        }
    }

    static String browser(String userAgent) {
        String ua = userAgent == null ? "" : userAgent.toLowerCase(Locale.ROOT);
        if (ua.contains("edg/")) {
            return "Edge";
        }
        if (ua.contains("opr/") || ua.contains("opera")) {
            return "Opera";
        }
        if (ua.contains("firefox/")) {
            return "Firefox";
        }
        if (ua.contains("chrome/") || ua.contains("chromium/") || ua.contains("crios/")) {
            return "Chrome";
        }
        if (ua.contains("safari/")) {
            return "Safari";
        }
        return "Other";
    }

    static String os(String userAgent) {
        String ua = userAgent == null ? "" : userAgent.toLowerCase(Locale.ROOT);
        if (ua.contains("android")) {
            return "Android";
        }
        if (ua.contains("iphone") || ua.contains("ipad") || ua.contains("ios")) {
            return "iOS";
        }
        if (ua.contains("windows")) {
            return "Windows";
        }
        if (ua.contains("mac os") || ua.contains("macintosh")) {
            return "macOS";
        }
        if (ua.contains("linux") || ua.contains("x11")) {
            return "Linux";
        }
        return "Other";
    }

    static LocalDate day(Instant at) {
        return at.atOffset(ZoneOffset.UTC).toLocalDate();
    }
}
