package no.personvern.requests.internal;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.EnumMap;
import java.util.Map;
import java.util.Set;
import no.personvern.requests.RequestFigures;
import no.personvern.requests.RequestStatus;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/** {@link RequestFigures}: one count per status, each on the index {@code data_request_status_due}. */
@Component
class RequestFigureQueries implements RequestFigures {

    static final Duration DUE_SOON = Duration.ofDays(7);

    private final JdbcClient jdbc;

    RequestFigureQueries(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    @Transactional(readOnly = true)
    public Map<RequestStatus, Long> byStatus() {
        Map<RequestStatus, Long> counts = new EnumMap<>(RequestStatus.class);
        for (RequestStatus status : RequestStatus.values()) {
            counts.put(status, jdbc.sql("SELECT COUNT(*) FROM data_request WHERE status = :status")
                    .param("status", status.key()).query(Long.class).single());
        }
        return counts;
    }

    @Override
    @Transactional(readOnly = true)
    public Map<RequestStatus, Long> byStatus(Set<RequestStatus> statuses) {
        Map<RequestStatus, Long> counts = new EnumMap<>(RequestStatus.class);
        for (RequestStatus status : statuses) {
            counts.put(status, jdbc.sql("SELECT COUNT(*) FROM data_request WHERE status = :status")
                    .param("status", status.key()).query(Long.class).single());
        }
        return counts;
    }

    @Override
    @Transactional(readOnly = true)
    public Deadlines deadlines(Instant now) {
        return jdbc.sql("""
                SELECT COUNT(CASE WHEN COALESCE(extended_until, due_at) < :now THEN 1 END) AS overdue,
                       COUNT(CASE WHEN COALESCE(extended_until, due_at) >= :now
                                   AND COALESCE(extended_until, due_at) < :soon THEN 1 END) AS soon,
                       COUNT(*) AS active
                FROM data_request WHERE status IN (:active)""")
                .param("now", OffsetDateTime.ofInstant(now, ZoneOffset.UTC))
                .param("soon", OffsetDateTime.ofInstant(now.plus(DUE_SOON), ZoneOffset.UTC))
                // An erasure waiting for a DPO's approval is on the clock too (Art. 12(3)).
                .param("active", RequestRepository.waitingKeys())
                .query((rs, n) -> {
                    long overdue = rs.getLong("overdue");
                    long soon = rs.getLong("soon");
                    return new Deadlines(rs.getLong("active") - overdue - soon, soon, overdue);
                }).single();
    }
}
