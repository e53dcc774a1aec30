package no.personvern.subjects.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import no.personvern.subjects.AffectedPeople;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Counts and lists the people a breach's scope reaches. The statements name only the metadata
 * columns of {@code subject_value} and {@code subject_document} and the {@code erased_at} of
 * {@code subject}: never a ciphertext, never the key store.
 */
@Repository
class AffectedPeopleRepository implements AffectedPeople {

    private final JdbcClient jdbc;

    AffectedPeopleRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public Count count(Scope scope) {
        if (scope.categories().isEmpty() || scope.systems().isEmpty()) {
            return new Count(0, 0, Map.of(), Map.of());
        }
        String hits = hits(scope);
        long[] totals = bind(jdbc.sql("SELECT COUNT(DISTINCT h.subject_id) AS people, COUNT(*) AS records FROM ("
                + hits + ") h JOIN subject s ON s.id = h.subject_id WHERE s.erased_at IS NULL"), scope)
                .query((rs, row) -> new long[] {rs.getLong("people"), rs.getLong("records")}).single();
        return new Count(totals[0], totals[1], grouped("system_key", hits, scope),
                grouped("activity_key", hits, scope));
    }

    private Map<String, Long> grouped(String column, String hits, Scope scope) {
        Map<String, Long> counts = new TreeMap<>();
        bind(jdbc.sql("SELECT h." + column + " AS k, COUNT(DISTINCT h.subject_id) AS n FROM (" + hits + ") h"
                + " JOIN subject s ON s.id = h.subject_id WHERE s.erased_at IS NULL GROUP BY h." + column), scope)
                .query((rs, row) -> counts.put(rs.getString("k"), rs.getLong("n"))).list();
        return counts;
    }

    /**
     * Keyset pages: the bound on the id is inside each branch, so each branch can walk its
     * {@code subject_id}-led index from the cursor and stop at the page's end; paging through
     * everyone reads each row about once, not once per page.
     */
    @Override
    public List<UUID> page(Scope scope, UUID after, int limit) {
        if (scope.categories().isEmpty() || scope.systems().isEmpty()) {
            return List.of();
        }
        String sql = "SELECT DISTINCT h.subject_id FROM (" + hits(scope, after != null) + ") h"
                + " JOIN subject s ON s.id = h.subject_id WHERE s.erased_at IS NULL ORDER BY h.subject_id LIMIT :limit";
        JdbcClient.StatementSpec statement = bind(jdbc.sql(sql), scope).param("limit", limit);
        if (after != null) {
            statement = statement.param("after", after);
        }
        return statement.query(UUID.class).list();
    }

    /** Every value and document in scope, as (subject, system, activity) rows. */
    private static String hits(Scope scope) {
        return hits(scope, false);
    }

    private static String hits(Scope scope, boolean afterCursor) {
        return select("subject_value", "collected_at", scope, afterCursor) + " UNION ALL "
                + select("subject_document", "uploaded_at", scope, afterCursor);
    }

    private static String select(String table, String time, Scope scope, boolean afterCursor) {
        List<String> where = new ArrayList<>(List.of("t.category IN (:categories)", "t.system_key IN (:systems)"));
        if (afterCursor) {
            where.add("t.subject_id > :after");
        }
        if (!scope.activities().isEmpty()) {
            where.add("t.activity_key IN (:activities)");
        }
        if (scope.from() != null) {
            where.add("t." + time + " >= :from");
        }
        if (scope.to() != null) {
            where.add("t." + time + " < :to");
        }
        return "SELECT t.subject_id, t.system_key, t.activity_key FROM " + table + " t WHERE "
                + String.join(" AND ", where);
    }

    private static JdbcClient.StatementSpec bind(JdbcClient.StatementSpec statement, Scope scope) {
        statement = statement.param("categories", List.copyOf(scope.categories()))
                .param("systems", List.copyOf(scope.systems()));
        if (!scope.activities().isEmpty()) {
            statement = statement.param("activities", List.copyOf(scope.activities()));
        }
        if (scope.from() != null) {
            statement = statement.param("from", Timestamps.time(scope.from()));
        }
        if (scope.to() != null) {
            statement = statement.param("to", Timestamps.time(scope.to()));
        }
        return statement;
    }
}
