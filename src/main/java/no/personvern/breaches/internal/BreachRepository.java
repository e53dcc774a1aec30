package no.personvern.breaches.internal;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import no.personvern.breaches.Breach;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/** The tables {@code breach}, {@code breach_transition}, {@code breach_person_notice} and {@code breach_reminder}. */
@Repository
class BreachRepository {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final TypeReference<Map<String, Long>> COUNTS = new TypeReference<>() {
    };
    private static final String COLUMNS = """
            id, discovered_at, recorded_at, summary, data_categories, systems, activities, window_from, window_to,
            measures, likely_consequences, affected_people, affected_records, affected_by_system, affected_by_activity,
            status, risk, risk_reasons, notified_at, authority_reference, late_reasons, outcome, people_status,
            people_lang, people_total, people_sent, people_without, people_cursor""";

    /** One row of {@code breach}. */
    record BreachRow(UUID id, Instant discoveredAt, Instant recordedAt, String summary, List<String> categories,
            List<String> systems, List<String> activities, Instant from, Instant to, String measures,
            String consequences, Breach.Affected affected, String status, String risk, String riskReasons,
            Instant notifiedAt, String reference, String lateReasons, String outcome, String peopleStatus,
            String peopleLang, Long peopleTotal, long peopleSent, long peopleWithout, UUID peopleCursor) {
    }

    private final JdbcClient jdbc;
    private final JdbcTemplate batch;

    BreachRepository(JdbcClient jdbc, JdbcTemplate batch) {
        this.jdbc = jdbc;
        this.batch = batch;
    }

    void insert(BreachRow row) {
        jdbc.sql("""
                INSERT INTO breach (id, discovered_at, recorded_at, summary, data_categories, systems, activities,
                    window_from, window_to, measures, likely_consequences, affected_people, affected_records,
                    affected_by_system, affected_by_activity, status)
                VALUES (:id, :discovered, :recorded, :summary, :categories, :systems, :activities, :from, :to,
                    :measures, :consequences, :people, :records, :bySystem, :byActivity, :status)""")
                .param("id", row.id()).param("discovered", time(row.discoveredAt()))
                .param("recorded", time(row.recordedAt())).param("summary", row.summary())
                .param("categories", String.join(" ", row.categories())).param("systems", String.join(" ", row.systems()))
                .param("activities", row.activities().isEmpty() ? null : String.join(" ", row.activities()))
                .param("from", time(row.from())).param("to", time(row.to())).param("measures", row.measures())
                .param("consequences", row.consequences()).param("people", row.affected().people())
                .param("records", row.affected().records())
                .param("bySystem", JSON.writeValueAsString(row.affected().bySystem()))
                .param("byActivity", JSON.writeValueAsString(row.affected().byActivity()))
                .param("status", row.status())
                .update();
    }

    Optional<BreachRow> find(UUID id) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM breach WHERE id = :id").param("id", id).query(this::row).optional();
    }

    /** The row, locked until the transaction ends: one change (or one mailing batch) at a time. */
    Optional<BreachRow> lock(UUID id) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM breach WHERE id = :id FOR UPDATE").param("id", id)
                .query(this::row).optional();
    }

    List<BreachRow> all() {
        return jdbc.sql("SELECT " + COLUMNS + " FROM breach ORDER BY discovered_at DESC, id").query(this::row).list();
    }

    void assess(UUID id, String risk, String reasons, String status) {
        jdbc.sql("UPDATE breach SET risk = :risk, risk_reasons = :reasons, status = :status WHERE id = :id")
                .param("risk", risk).param("reasons", reasons).param("status", status).param("id", id).update();
    }

    void notified(UUID id, Instant at, String reference, String lateReasons) {
        jdbc.sql("""
                UPDATE breach SET notified_at = :at, authority_reference = :reference, late_reasons = :late,
                    status = 'notified' WHERE id = :id""")
                .param("at", time(at)).param("reference", reference).param("late", lateReasons).param("id", id)
                .update();
    }

    /** The mailing is to start: the people are listed by the first run of the job ({@code people_total} null until then). */
    void startMailing(UUID id, String lang) {
        jdbc.sql("""
                UPDATE breach SET people_status = 'running', people_lang = :lang, people_total = NULL,
                    people_sent = 0, people_without = 0, people_cursor = NULL WHERE id = :id""")
                .param("lang", lang).param("id", id).update();
    }

    /** Lists people to tell (those listed already are left as they are). */
    void listPeople(UUID breachId, List<UUID> subjects) {
        Set<UUID> listed = listed(breachId, subjects);
        List<Object[]> rows = subjects.stream().filter(subject -> !listed.contains(subject))
                .map(subject -> new Object[] {breachId, subject}).toList();
        batch.batchUpdate("INSERT INTO breach_person_notice (breach_id, subject_id) VALUES (?, ?)", rows);
    }

    void listed(UUID breachId) {
        jdbc.sql("""
                UPDATE breach SET people_total = (SELECT COUNT(*) FROM breach_person_notice WHERE breach_id = :id)
                WHERE id = :id""").param("id", breachId).update();
    }

    /** The next people still to tell, after the cursor, in id order (the primary key's order). */
    List<UUID> toTell(UUID breachId, UUID after, int limit) {
        return jdbc.sql("SELECT subject_id FROM breach_person_notice WHERE breach_id = :breach AND mailed IS NULL"
                + (after == null ? "" : " AND subject_id > :after") + " ORDER BY subject_id LIMIT :limit")
                .params(after == null ? Map.of("breach", breachId, "limit", limit)
                        : Map.of("breach", breachId, "after", after, "limit", limit))
                .query(UUID.class).list();
    }

    void close(UUID id, String outcome) {
        jdbc.sql("UPDATE breach SET status = 'closed', outcome = :outcome WHERE id = :id").param("outcome", outcome)
                .param("id", id).update();
    }

    /** Breaches whose mailing is still to go on. */
    List<UUID> mailing() {
        return jdbc.sql("SELECT id FROM breach WHERE people_status = 'running' ORDER BY id").query(UUID.class).list();
    }

    void advance(UUID id, UUID cursor, long sent, long without) {
        jdbc.sql("""
                UPDATE breach SET people_cursor = :cursor, people_sent = people_sent + :sent,
                    people_without = people_without + :without WHERE id = :id""")
                .param("cursor", cursor).param("sent", sent).param("without", without).param("id", id).update();
    }

    void finishMailing(UUID id) {
        jdbc.sql("""
                UPDATE breach SET people_status = 'completed', people_total = people_sent + people_without
                WHERE id = :id""").param("id", id).update();
    }

    private Set<UUID> listed(UUID breachId, Collection<UUID> subjects) {
        if (subjects.isEmpty()) {
            return Set.of();
        }
        return Set.copyOf(jdbc.sql("SELECT subject_id FROM breach_person_notice WHERE breach_id = :breach"
                + " AND subject_id IN (:subjects)").param("breach", breachId).param("subjects", List.copyOf(subjects))
                .query(UUID.class).list());
    }

    /** Records the person as told; false if they were already (the row is claimed once). */
    boolean told(UUID breachId, UUID subjectId, boolean mailed) {
        return jdbc.sql("UPDATE breach_person_notice SET mailed = :mailed WHERE breach_id = :breach"
                + " AND subject_id = :subject AND mailed IS NULL")
                .param("breach", breachId).param("subject", subjectId).param("mailed", mailed).update() == 1;
    }

    void transition(UUID breachId, Instant at, String action, String status, Breach.Actor actor) {
        jdbc.sql("""
                INSERT INTO breach_transition (breach_id, at, action, status, actor_id, actor_name)
                VALUES (:breach, :at, :action, :status, :actor, :name)""")
                .param("breach", breachId).param("at", time(at)).param("action", action)
                .param("status", status).param("actor", actor.tokenId()).param("name", actor.name()).update();
    }

    List<Breach.Transition> history(UUID breachId) {
        return jdbc.sql("""
                SELECT at, action, status, actor_id, actor_name FROM breach_transition WHERE breach_id = :breach
                ORDER BY seq""").param("breach", breachId)
                .query((rs, n) -> new Breach.Transition(instant(rs, "at"), rs.getString("action"),
                        rs.getString("status"), new Breach.Actor(rs.getObject("actor_id", UUID.class),
                                rs.getString("actor_name"))))
                .list();
    }

    /** Breaches not yet notified (and not closed) whose deadline is before {@code by}. */
    List<BreachRow> dueBefore(Instant by) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM breach WHERE status IN ('open', 'assessed')"
                + " AND (risk IS NULL OR risk <> 'unlikely') AND discovered_at < :by ORDER BY discovered_at").param("by", time(by.minusSeconds(72 * 3600)))
                .query(this::row).list();
    }

    /** Records today's reminder; false if one was recorded already (by this or another instance). */
    boolean remind(UUID breachId, LocalDate day) {
        boolean already = jdbc.sql("SELECT COUNT(*) FROM breach_reminder WHERE breach_id = :breach AND reminded_on = :day")
                .param("breach", breachId).param("day", day).query(Long.class).single() > 0;
        if (already) {
            return false;
        }
        jdbc.sql("INSERT INTO breach_reminder (breach_id, reminded_on) VALUES (:breach, :day)").param("breach", breachId)
                .param("day", day).update();
        return true;
    }

    private BreachRow row(ResultSet rs, int n) throws SQLException {
        String activities = rs.getString("activities");
        Long total = rs.getObject("people_total", Long.class);
        return new BreachRow(rs.getObject("id", UUID.class), instant(rs, "discovered_at"), instant(rs, "recorded_at"),
                rs.getString("summary"), keys(rs.getString("data_categories")), keys(rs.getString("systems")),
                activities == null ? List.of() : keys(activities), instant(rs, "window_from"), instant(rs, "window_to"),
                rs.getString("measures"), rs.getString("likely_consequences"),
                new Breach.Affected(rs.getLong("affected_people"), rs.getLong("affected_records"),
                        JSON.readValue(rs.getString("affected_by_system"), COUNTS),
                        JSON.readValue(rs.getString("affected_by_activity"), COUNTS)),
                rs.getString("status"), rs.getString("risk"), rs.getString("risk_reasons"), instant(rs, "notified_at"),
                rs.getString("authority_reference"), rs.getString("late_reasons"), rs.getString("outcome"),
                rs.getString("people_status"), rs.getString("people_lang"), total, rs.getLong("people_sent"),
                rs.getLong("people_without"), rs.getObject("people_cursor", UUID.class));
    }

    private static List<String> keys(String stored) {
        return Arrays.asList(stored.split(" "));
    }

    private static OffsetDateTime time(Instant instant) {
        return instant == null ? null : OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime time = rs.getObject(column, OffsetDateTime.class);
        return time == null ? null : time.toInstant();
    }
}
