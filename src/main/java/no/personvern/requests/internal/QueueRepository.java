package no.personvern.requests.internal;

import static no.personvern.requests.internal.RequestRepository.instant;
import static no.personvern.requests.internal.RequestRepository.time;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import no.personvern.requests.RequestQueue;
import no.personvern.requests.RequestStatus;
import no.personvern.requests.RequestType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The queue's reads on {@code data_request}: by the current deadline ({@code due_by}) and id, with
 * the indexes of V38 ((due_by, id), and (status | assigned_to | type, due_by, id)) behind each filter.
 */
@Repository
class QueueRepository {

    private static final String COLUMNS = "id, subject_id, type, status, channel, received_at, due_by, assigned_to,"
            + " filed_by";

    private final JdbcClient jdbc;

    QueueRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    List<RequestQueue.Row> page(RequestQueue.Filter filter, RequestQueue.Cursor after, int limit, Instant now) {
        if (filter.subjects() != null && filter.subjects().isEmpty()) {
            return List.of();
        }
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM data_request WHERE due_by IS NOT NULL");
        Map<String, Object> params = new LinkedHashMap<>();
        if (filter.requestId() != null) {
            sql.append(" AND id = :id");
            params.put("id", filter.requestId());
        }
        if (filter.status() != null) {
            sql.append(" AND status = :status");
            params.put("status", filter.status().key());
        }
        if (filter.statuses() != null && filter.statuses().isEmpty()) {
            return List.of();
        }
        if (filter.type() != null) {
            sql.append(" AND type = :type");
            params.put("type", filter.type().key());
        }
        if (filter.channel() != null) {
            sql.append(" AND channel = :channel");
            params.put("channel", filter.channel());
        }
        if (filter.dueBefore() != null) {
            sql.append(" AND due_by < :dueBefore");
            params.put("dueBefore", time(filter.dueBefore()));
        }
        if (filter.overdue()) {
            sql.append(" AND status IN (:waiting) AND due_by < :now");
            params.put("waiting", List.of(RequestStatus.OPEN.key(), RequestStatus.IN_PROGRESS.key(),
                    RequestStatus.AWAITING_APPROVAL.key()));
            params.put("now", time(now));
        }
        if (filter.assignee() != null) {
            sql.append(" AND assigned_to = :assignee");
            params.put("assignee", filter.assignee());
        }
        if (filter.subjects() != null) {
            sql.append(" AND subject_id IN (:subjects)");
            params.put("subjects", List.copyOf(filter.subjects()));
        }
        if (after != null) {
            sql.append(" AND (due_by > :afterDue OR (due_by = :afterDue AND id > :afterId))");
            params.put("afterDue", time(after.due()));
            params.put("afterId", after.id());
        }
        params.put("limit", limit);
        String query;
        if (filter.statuses() == null) {
            query = sql + " ORDER BY due_by, id LIMIT :limit";
        } else {
            // One page per status, each read in order on (status, due_by, id), merged: the closed
            // requests (most of the table, with the oldest deadlines) are never walked past.
            List<String> parts = new java.util.ArrayList<>();
            int n = 0;
            for (RequestStatus status : filter.statuses()) {
                parts.add("(" + sql + " AND status = :status" + n + " ORDER BY due_by, id LIMIT :limit)");
                params.put("status" + n, status.key());
                n++;
            }
            query = "SELECT " + COLUMNS + " FROM (" + String.join(" UNION ALL ", parts)
                    + ") AS waiting ORDER BY due_by, id LIMIT :limit";
        }
        JdbcClient.StatementSpec statement = jdbc.sql(query);
        for (Map.Entry<String, Object> param : params.entrySet()) {
            statement = statement.param(param.getKey(), param.getValue());
        }
        return statement.query(QueueRepository::row).list();
    }

    Optional<RequestQueue.Row> row(UUID id) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM data_request WHERE id = :id").param("id", id)
                .query(QueueRepository::row).optional();
    }

    void assign(UUID id, UUID staffId) {
        jdbc.sql("UPDATE data_request SET assigned_to = :staff WHERE id = :id").param("staff", staffId)
                .param("id", id).update();
    }

    private static RequestQueue.Row row(ResultSet rs, int n) throws SQLException {
        return new RequestQueue.Row(rs.getObject("id", UUID.class), rs.getObject("subject_id", UUID.class),
                RequestType.fromKey(rs.getString("type")).orElseThrow(),
                RequestStatus.fromKey(rs.getString("status")).orElseThrow(), rs.getString("channel"),
                instant(rs, "received_at"), instant(rs, "due_by"), rs.getObject("assigned_to", UUID.class),
                rs.getObject("filed_by", UUID.class));
    }
}
