package no.personvern.catalog;

import java.time.Duration;
import java.time.Instant;
import java.time.Period;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * How long what the website collects is kept (Art. 5(1)(e)), from the catalog and the configured
 * values, so that the sweep and the notice say the same: the tracking module publishes the terms it
 * keeps, and the notice states them.
 *
 * @param hitsByDefault how long page views and campaign hits are kept for an activity whose retention
 *        names no period from collection (only {@code until: next-visit}): a hit cannot see the visit after it
 * @param choiceLifetime how long a banner choice (the {@code pv_consent} cookie) is valid; then the banner asks again
 * @param visitCookieLifetime the longest life of the statistics cookie {@code pv_visit}, replaced at every visit
 * @param consentProof how long an anonymous visitor's consent record is kept after the choice ends
 *        (superseded by a newer choice of the visitor, or expired), as proof of the consent (Art. 7(1))
 */
public record WebsiteTerms(Period hitsByDefault, Duration choiceLifetime, Duration visitCookieLifetime,
        Period consentProof) {

    /** The values Personvern runs with unless configured otherwise. */
    public static final WebsiteTerms DEFAULTS = new WebsiteTerms(Period.ofMonths(13), Duration.ofDays(182),
            Duration.ofDays(395), Period.ofYears(3));

    /** What a pixel hit is: a page view (statistics consent) or a campaign hit (marketing consent). */
    public enum Kind {
        PAGE_VIEWS, CAMPAIGN_HITS
    }

    /**
     * The activities the banner asks consent for: consent-based, storing on or reading from the
     * device ({@code technologies}, or a cookie identifier).
     */
    public static List<Activity> bannerActivities(Catalog catalog) {
        return catalog.activities().stream().filter(activity -> activity.legalBasis() == LegalBasis.CONSENT
                && !activity.onDevice().isEmpty()).toList();
    }

    /** Campaign measurement, advertising and personalisation are the banner's marketing; other purposes statistics. */
    public static boolean isMarketing(String purpose) {
        return Taxonomy.isWithin(purpose, "marketing") || Taxonomy.isWithin(purpose, "personalize")
                || Taxonomy.isWithin(purpose, "analytics.reporting.campaign_insights")
                || Taxonomy.isWithin(purpose, "analytics.reporting.ad_performance");
    }

    /** Whether hits of this kind are collected under the activity's consent. */
    public static boolean collects(Activity activity, Kind kind) {
        return activity.purposes().stream().anyMatch(purpose -> isMarketing(purpose) == (kind == Kind.CAMPAIGN_HITS));
    }

    /**
     * How long the activity keeps the hits collected under it, from collection: its {@code after}
     * when its clock starts at collection, or when it names a delay; otherwise {@link #hitsByDefault}
     * (a hit is tied to no person, visit or withdrawal that could start another clock).
     */
    public IsoPeriod hitsKeptFor(Activity activity) {
        RetentionRule rule = activity.retention();
        if (rule.trigger() == RetentionRule.Trigger.COLLECTION || !rule.after().isZero()) {
            return rule.after();
        }
        return new IsoPeriod(hitsByDefault, Duration.ZERO);
    }

    /**
     * How long hits of this kind are kept: the shortest period among the banner's activities that
     * collect them (a hit serves all of them, and none may keep it longer than it says); empty when
     * the catalog has no such activity.
     */
    public Optional<IsoPeriod> hitsKeptFor(Catalog catalog, Kind kind) {
        return bannerActivities(catalog).stream().filter(activity -> collects(activity, kind))
                .map(this::hitsKeptFor).min(Comparator.comparing(period -> period.addTo(Instant.EPOCH)));
    }

    /** {@link #consentProof} as a catalog duration, for words and arithmetic. */
    public IsoPeriod proof() {
        return new IsoPeriod(consentProof, Duration.ZERO);
    }
}
