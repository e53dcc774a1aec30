package no.personvern.tracking.internal;

import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import no.personvern.catalog.Catalog;
import no.personvern.catalog.IsoPeriod;
import no.personvern.catalog.WebsiteTerms;
import no.personvern.consent.Consents;
import no.personvern.retention.RetentionParticipant;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The website's data in every retention run (Art. 5(1)(e)), in batches:
 * <ul>
 * <li>page views and campaign hits ({@code page_hit}) once the period of the activities they were
 * collected under has passed since the hit ({@link WebsiteTerms#hitsKeptFor(Catalog, WebsiteTerms.Kind)}:
 * the banner's statistics or marketing activities, found through the catalog), counted as
 * {@code page-hits:pageviews} and {@code page-hits:campaigns}. They are deleted, not kept as
 * counts: the daily roll-ups of the days a batch deletes from go in the same transaction (the
 * statistics then count what is left), so the statistics answer for the days still held;</li>
 * <li>anonymous visitors' banner choices ({@code consent_record} without a person) once the choice
 * has ended — superseded by a newer choice of the same visitor (the random id in the signed
 * {@code pv_consent} cookie) or run out with the cookie — and the proof period after that has
 * passed, counted as {@code consent-records:visitors}. People's consent records are never touched.</li>
 * </ul>
 */
@Component
class WebsiteRetention implements RetentionParticipant {

    static final String PAGEVIEWS = "page-hits:pageviews";
    static final String CAMPAIGNS = "page-hits:campaigns";
    static final String VISITOR_CONSENTS = "consent-records:visitors";

    private final Optional<IsoPeriod> pageViews;
    private final Optional<IsoPeriod> campaignHits;
    private final WebsiteTerms terms;
    private final Consents consents;
    private final Hits hits;
    private final JdbcClient jdbc;
    private final DailyRollups rollups;

    WebsiteRetention(Catalog catalog, WebsiteTerms terms, Consents consents, Hits hits, JdbcClient jdbc,
            DailyRollups rollups) {
        this.pageViews = terms.hitsKeptFor(catalog, WebsiteTerms.Kind.PAGE_VIEWS);
        this.campaignHits = terms.hitsKeptFor(catalog, WebsiteTerms.Kind.CAMPAIGN_HITS);
        this.terms = terms;
        this.consents = consents;
        this.hits = hits;
        this.jdbc = jdbc;
        this.rollups = rollups;
    }

    @Override
    public Batch sweep(Instant asOf, boolean dryRun, int limit) {
        // Hits still in the buffer are written first, so none escapes the sweep by arriving late.
        hits.flush();
        Map<String, Long> deleted = new TreeMap<>();
        boolean more = false;
        more |= hits(deleted, PAGEVIEWS, "pageview", cutoff(pageViews, asOf), limit, dryRun);
        more |= hits(deleted, CAMPAIGNS, "campaign", cutoff(campaignHits, asOf), limit, dryRun);
        Instant proofOver = terms.proof().subtractFrom(asOf);
        long visitorRecords = consents.sweepVisitorRecords(proofOver, proofOver.minus(terms.choiceLifetime()), limit,
                dryRun);
        if (visitorRecords > 0) {
            deleted.put(VISITOR_CONSENTS, visitorRecords);
        }
        return new Batch(deleted, Map.of(), more || visitorRecords >= limit);
    }

    /**
     * Hits of a kind collected at or before the cutoff; a kind the catalog has no activity for is
     * never recorded by the pixel, and whatever an earlier catalog recorded goes at once.
     */
    private static Instant cutoff(Optional<IsoPeriod> period, Instant asOf) {
        return period.map(p -> p.subtractFrom(asOf)).orElse(asOf);
    }

    private boolean hits(Map<String, Long> deleted, String name, String event, Instant cutoff, int limit,
            boolean dryRun) {
        OffsetDateTime before = OffsetDateTime.ofInstant(cutoff, ZoneOffset.UTC);
        long n;
        if (dryRun) {
            n = jdbc.sql("SELECT COUNT(*) FROM page_hit WHERE event = :event AND at <= :cutoff")
                    .param("event", event).param("cutoff", before).query(Long.class).single();
        } else {
            // The oldest first, so that the days the batch deletes from are the run from its first to its last.
            List<LocalDate> days = jdbc.sql("SELECT MIN(hit_day) AS first, MAX(hit_day) AS last FROM (SELECT hit_day FROM"
                    + " page_hit WHERE event = :event AND at <= :cutoff ORDER BY at LIMIT :limit) batch")
                    .param("event", event).param("cutoff", before).param("limit", limit)
                    .query((rs, row) -> Arrays.asList(rs.getObject("first", LocalDate.class),
                            rs.getObject("last", LocalDate.class))).single();
            n = jdbc.sql("DELETE FROM page_hit WHERE id IN (SELECT id FROM page_hit WHERE event = :event"
                    + " AND at <= :cutoff ORDER BY at LIMIT :limit)").param("event", event).param("cutoff", before)
                    .param("limit", limit).update();
            if (n > 0) {
                rollups.deleted(days.get(0), days.get(1));
            }
        }
        if (n > 0) {
            deleted.put(name, n);
        }
        return !dryRun && n >= limit;
    }
}
