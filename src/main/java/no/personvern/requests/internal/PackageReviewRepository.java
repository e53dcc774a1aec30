package no.personvern.requests.internal;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import no.personvern.requests.DataRequest;
import no.personvern.requests.PackageReviews;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The {@code request_package_review} table: packages held for the DPO's review (Art. 15(4)). */
@Repository
class PackageReviewRepository {

    static final String PENDING = "pending";
    static final String RELEASED = "released";

    private final JdbcClient jdbc;

    PackageReviewRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    void hold(UUID requestId, List<String> items, Instant at) {
        jdbc.sql("INSERT INTO request_package_review (request_id, state, reasons, held_at) VALUES (:id, :state,"
                + " :reasons, :at)").param("id", requestId).param("state", PENDING)
                .param("reasons", String.join("\n", items)).param("at", at.atOffset(ZoneOffset.UTC)).update();
    }

    /** Marks a pending review released; false when none was pending (released already, or never held). */
    boolean release(UUID requestId, String reason, List<PackageReviews.Withheld> withheld, Instant at) {
        StringBuilder stored = new StringBuilder();
        withheld.forEach(w -> stored.append(w.item()).append('\t').append(w.reason().replace('\n', ' ')).append('\n'));
        return jdbc.sql("UPDATE request_package_review SET state = :released, released_at = :at,"
                + " release_reason = :reason, withheld = :withheld WHERE request_id = :id AND state = :pending")
                .param("released", RELEASED).param("at", at.atOffset(ZoneOffset.UTC)).param("reason", reason)
                .param("withheld", stored.toString()).param("id", requestId).param("pending", PENDING).update() == 1;
    }

    Optional<DataRequest.Review> of(UUID requestId) {
        return jdbc.sql("SELECT state, reasons, released_at, withheld FROM request_package_review"
                + " WHERE request_id = :id").param("id", requestId).query((rs, row) -> {
                    List<PackageReviews.Withheld> withheld = new ArrayList<>();
                    String stored = rs.getString("withheld");
                    if (stored != null) {
                        for (String line : stored.split("\n")) {
                            int tab = line.indexOf('\t');
                            if (tab > 0) {
                                withheld.add(new PackageReviews.Withheld(line.substring(0, tab), line.substring(tab + 1)));
                            }
                        }
                    }
                    java.time.OffsetDateTime released = rs.getObject("released_at", java.time.OffsetDateTime.class);
                    return new DataRequest.Review(rs.getString("state"), List.of(rs.getString("reasons").split("\n")),
                            released == null ? null : released.toInstant(), stored == null ? null : withheld);
                }).optional();
    }
}
