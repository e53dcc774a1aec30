package no.personvern.retention.internal;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import net.javacrumbs.shedlock.core.ClockProvider;
import net.javacrumbs.shedlock.core.LockConfiguration;
import net.javacrumbs.shedlock.core.SimpleLock;
import net.javacrumbs.shedlock.provider.jdbctemplate.JdbcTemplateLockProvider;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * One retention run at a time across every instance: a ShedLock lease on {@code shedlock}, taken
 * before a run starts and extended between batches once a quarter of it has passed (so a sweep of
 * hundreds of short batches does not pay a commit of its own for each). Daily and on-demand runs share it, and it is
 * handed from the thread that starts a run to the one that sweeps, so it is taken here rather than
 * by {@code @SchedulerLock}, which holds a lock for one method call on one thread.
 */
@Component
class SweepLock {

    static final String NAME = "retention-sweep";

    private final JdbcTemplateLockProvider provider;
    private final Duration lease;
    /** Extending and releasing match on this: another instance on the same host cannot touch our lease. */
    private final String instance = ManagementFactory.getRuntimeMXBean().getName() + "/" + UUID.randomUUID();

    SweepLock(JdbcTemplate jdbc, RetentionProperties properties) {
        this.provider = new JdbcTemplateLockProvider(JdbcTemplateLockProvider.Configuration.builder()
                .withJdbcTemplate(jdbc).withLockedByValue(instance).usingDbTime().build());
        this.lease = properties.lease();
    }

    /** The instance, for the run log's "started by". */
    String instance() {
        return instance;
    }

    /** The lease if no run holds it (or its holder's lease lapsed); empty while another run is going. */
    Optional<Lease> acquire() {
        return provider.lock(configuration()).map(Lease::new);
    }

    private LockConfiguration configuration() {
        // The creation time is ShedLock's concern only: with the database's time, the lease counts from there.
        return new LockConfiguration(ClockProvider.now(), NAME, lease, Duration.ZERO);
    }

    /** A held lease. Not thread-safe: one sweep renews and releases it. */
    final class Lease {

        /** Null once lost: a lapsed lease is not ours to release. */
        private SimpleLock lock;
        /** When the lease was last taken or extended ({@link System#nanoTime()}). */
        private long renewedAt = System.nanoTime();

        private Lease(SimpleLock lock) {
            this.lock = lock;
        }

        /**
         * Makes sure the lease holds for the next batch: extends it by another {@code lease} once a
         * quarter of it has passed since it was last taken or extended (until then it cannot have
         * lapsed, so nobody else can hold it); throws {@link LostLock} if it lapsed and may be another's.
         */
        void renew() {
            long now = System.nanoTime();
            if (lock != null && now - renewedAt < lease.toNanos() / 4) {
                return;
            }
            if (lock != null) {
                lock = lock.extend(lease, Duration.ZERO).orElse(null);
                renewedAt = now;
            }
            if (lock == null) {
                throw new LostLock();
            }
        }

        void release() {
            if (lock != null) {
                lock.unlock();
                lock = null;
            }
        }
    }

    /** The lease lapsed during a run: another instance may have taken over. */
    static final class LostLock extends RuntimeException {
        LostLock() {
            super(null, null, false, false);
        }
    }
}
