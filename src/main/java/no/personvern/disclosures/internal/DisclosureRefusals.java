package no.personvern.disclosures.internal;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import no.personvern.disclosures.Disclosure;
import no.personvern.disclosures.DisclosureBasis;
import no.personvern.disclosures.DisclosureLog;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * Refused disclosures, kept in {@code disclosure_refusal} in a transaction of their own (the refused
 * call's own is rolled back), and {@link DisclosureLog}: the log and the refusals, newest first.
 */
@Component
class DisclosureRefusals implements DisclosureLog {

    static final int MAX_PAGE = 200;

    private final JdbcClient jdbc;
    private final Clock clock;

    DisclosureRefusals(JdbcClient jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    @Transactional(propagation = Propagation.REQUIRES_NEW)
    void record(String recipient, String basis, List<String> reasons, String actor) {
        jdbc.sql("""
                INSERT INTO disclosure_refusal (id, refused_at, refused_by, recipient, basis, reasons)
                VALUES (:id, :at, :by, :recipient, :basis, :reasons)""")
                .param("id", UUID.randomUUID()).param("at", OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC))
                .param("by", actor.length() > 200 ? actor.substring(0, 200) : actor).param("recipient", recipient)
                .param("basis", basis).param("reasons", String.join(",", reasons)).update();
    }

    @Override
    @Transactional(readOnly = true)
    public List<Disclosure> page(Cursor after, int limit) {
        String where = after == null ? "" : " WHERE disclosed_at < :at OR (disclosed_at = :at AND id < :id)";
        var statement = jdbc.sql("""
                SELECT id, subject_id, recipient, recipient_name, categories, basis, reference, note, disclosed_at
                FROM disclosure""" + where + " ORDER BY disclosed_at DESC, id DESC LIMIT :limit")
                .param("limit", Math.max(1, Math.min(limit, MAX_PAGE)));
        if (after != null) {
            statement = statement.param("at", OffsetDateTime.ofInstant(after.at(), ZoneOffset.UTC)).param("id", after.id());
        }
        return statement.query(DisclosureRefusals::disclosure).list();
    }

    @Override
    @Transactional(readOnly = true)
    public List<Refused> refused(Cursor after, int limit) {
        String where = after == null ? "" : " WHERE refused_at < :at OR (refused_at = :at AND id < :id)";
        var statement = jdbc.sql("SELECT id, refused_at, refused_by, recipient, basis, reasons FROM disclosure_refusal"
                + where + " ORDER BY refused_at DESC, id DESC LIMIT :limit")
                .param("limit", Math.max(1, Math.min(limit, MAX_PAGE)));
        if (after != null) {
            statement = statement.param("at", OffsetDateTime.ofInstant(after.at(), ZoneOffset.UTC)).param("id", after.id());
        }
        return statement.query((rs, n) -> new Refused(rs.getObject("id", UUID.class),
                rs.getObject("refused_at", OffsetDateTime.class).toInstant(), rs.getString("refused_by"),
                rs.getString("recipient"), rs.getString("basis"), List.of(rs.getString("reasons").split(","))))
                .list();
    }

    private static Disclosure disclosure(ResultSet rs, int n) throws SQLException {
        return new Disclosure(rs.getObject("id", UUID.class), rs.getObject("subject_id", UUID.class),
                rs.getString("recipient"), rs.getString("recipient_name"),
                List.of(rs.getString("categories").split(",")),
                DisclosureBasis.fromKey(rs.getString("basis")).orElseThrow(), rs.getString("reference"),
                rs.getString("note"), rs.getObject("disclosed_at", OffsetDateTime.class).toInstant());
    }
}
