package no.personvern.consent.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import no.personvern.catalog.Catalog;
import no.personvern.catalog.LegalBasis;
import no.personvern.catalog.MailingList;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Consent records made before consents were kept per activity (migration V30) get their activity
 * where the catalog tells it: the record's source names a subscription list (a sign-up's consent,
 * or its unsubscribe), or one activity alone bases the purpose on consent. A record whose activity
 * cannot be told keeps none and counts for every activity of its purpose. Idempotent; runs at every
 * start, and two instances may run it at once.
 */
@Component
class ConsentActivityBackfill {

    private final JdbcClient jdbc;
    private final Catalog catalog;

    ConsentActivityBackfill(JdbcClient jdbc, Catalog catalog) {
        this.jdbc = jdbc;
        this.catalog = catalog;
    }

    /** The number of records given an activity. */
    @EventListener(ApplicationReadyEvent.class)
    int fillIn() {
        int filled = 0;
        for (MailingList list : catalog.lists()) {
            filled += jdbc.sql("UPDATE consent_record SET activity = :activity WHERE activity IS NULL"
                    + " AND subject_id IS NOT NULL AND source = :list AND purpose IN (:purposes)")
                    .param("activity", list.activity()).param("list", list.name())
                    .param("purposes", catalog.activity(list.activity()).orElseThrow().purposes()).update();
        }
        Map<String, List<String>> activitiesOfPurpose = new LinkedHashMap<>();
        catalog.activities().stream().filter(a -> a.legalBasis() == LegalBasis.CONSENT)
                .forEach(a -> a.purposes().forEach(p -> activitiesOfPurpose.computeIfAbsent(p, k -> new ArrayList<>())
                        .add(a.key())));
        for (Map.Entry<String, List<String>> purpose : activitiesOfPurpose.entrySet()) {
            if (purpose.getValue().size() == 1) {
                filled += jdbc.sql("UPDATE consent_record SET activity = :activity WHERE activity IS NULL"
                        + " AND purpose = :purpose").param("activity", purpose.getValue().get(0))
                        .param("purpose", purpose.getKey()).update();
            }
        }
        return filled;
    }
}
