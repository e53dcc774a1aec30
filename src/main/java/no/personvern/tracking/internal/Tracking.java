package no.personvern.tracking.internal;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import no.personvern.consent.ConsentRecord;
import no.personvern.consent.ConsentRequest;
import no.personvern.consent.Consents;
import org.springframework.stereotype.Service;

/** The website's consent choices, the pixel's decisions and the statistics (from daily roll-ups and hits). */
@Service
public class Tracking {

    static final Pattern VISIT = Pattern.compile("([A-Za-z0-9_-]{16,64})\\.(\\d{1,12})");
    private static final Pattern PATH = Pattern.compile("/[\\x21-\\x7e]{0,511}");
    private static final Pattern CAMPAIGN = Pattern.compile("[\\p{L}\\p{N} _.:-]{1,100}");

    /** The outcome of a choice in the banner: the cookie to set and the receipts written. */
    public record Chosen(String consentCookie, boolean statistics, boolean marketing, List<UUID> receiptIds,
            String noticeVersion) {
    }

    /**
     * The banner's optional categories the catalog declares an activity for: a category without
     * one is neither offered nor granted, and the pixel never counts for it.
     */
    public record Offered(boolean statistics, boolean marketing) {
    }

    /** What the pixel did: the new visit cookie to set, if any. */
    public record PixelResult(boolean recorded, String visitCookie) {
    }

    public record DayViews(LocalDate day, long views, long visitors) {
    }

    public record CampaignHits(String campaign, long hits) {
    }

    private final Consents consents;
    private final CookieSigner signer;
    private final BannerPurposes purposes;
    private final Hits hits;
    private final DailyRollups rollups;
    private final Clock clock;

    Tracking(Consents consents, CookieSigner signer, BannerPurposes purposes, Hits hits, DailyRollups rollups,
            Clock clock) {
        this.consents = consents;
        this.signer = signer;
        this.purposes = purposes;
        this.hits = hits;
        this.rollups = rollups;
        this.clock = clock;
    }

    public Offered offered() {
        return new Offered(!purposes.statistics().isEmpty(), !purposes.marketing().isEmpty());
    }

    /**
     * Records the visitor's choice, one consent record per purpose, synchronously; Global Privacy
     * Control (Art. 21(5)) turns marketing off whatever was ticked. A category the catalog declares
     * no activity for is not granted, whatever was ticked: the cookie says no to it.
     */
    public Chosen choose(String existingCookie, boolean wantedStatistics, boolean marketing,
            boolean globalPrivacyControl) {
        Offered offered = offered();
        boolean statistics = wantedStatistics && offered.statistics();
        boolean allowMarketing = marketing && !globalPrivacyControl && offered.marketing();
        String visitor = signer.verify(existingCookie).map(CookieSigner.Choice::visitorId)
                .orElseGet(CookieSigner::newVisitorId);
        List<ConsentRequest> requests = new ArrayList<>();
        String source = purposes.source();
        purposes.statistics().forEach(p -> requests.add(new ConsentRequest(null, visitor, p, statistics, "cookie-banner",
                source)));
        purposes.marketing().forEach(p -> requests.add(new ConsentRequest(null, visitor, p, allowMarketing,
                "cookie-banner", globalPrivacyControl ? source + " (Sec-GPC: 1)" : source)));
        List<ConsentRecord> records = consents.record(requests);
        String cookie = signer.sign(new CookieSigner.Choice(statistics, allowMarketing, clock.instant().getEpochSecond(),
                visitor));
        String version = records.isEmpty() ? null : records.get(0).noticeVersion();
        return new Chosen(cookie, statistics, allowMarketing, records.stream().map(ConsentRecord::receiptId).toList(),
                version);
    }

    /**
     * A pixel request: counted only with the matching consent in a valid signed cookie; never an
     * identifying cookie or value without it. Returns the replacement visit cookie (S10).
     */
    public PixelResult pixel(String event, String path, String campaign, String consentCookie, String visitCookie,
            boolean globalPrivacyControl, String remoteAddress, String userAgent) {
        Optional<CookieSigner.Choice> choice = signer.verify(consentCookie);
        if (choice.isEmpty() || event == null || (path != null && !PATH.matcher(path).matches())) {
            return new PixelResult(false, null);
        }
        Instant now = clock.instant();
        // A cookie signed under an earlier catalog may grant a category this one no longer declares.
        Offered offered = offered();
        if (event.equals("pageview") && choice.get().statistics() && offered.statistics()) {
            java.util.regex.Matcher visit = VISIT.matcher(visitCookie == null ? "" : visitCookie);
            String visitor = visit.matches() ? visit.group(1) : CookieSigner.newVisitorId();
            hits.add(new Hits.Hit(now, "pageview", path, null, signer.pseudonym(visitor), Hits.truncate(remoteAddress),
                    Hits.browser(userAgent), Hits.os(userAgent)));
            return new PixelResult(true, visitor + "." + now.getEpochSecond());
        }
        boolean marketing = choice.get().marketing() && !globalPrivacyControl && offered.marketing();
        if (event.equals("campaign") && marketing && campaign != null && CAMPAIGN.matcher(campaign).matches()) {
            hits.add(new Hits.Hit(now, "campaign", path, campaign, null, Hits.truncate(remoteAddress),
                    Hits.browser(userAgent), Hits.os(userAgent)));
            return new PixelResult(true, null);
        }
        return new PixelResult(false, null);
    }

    /**
     * Views and distinct visitors of each UTC day from {@code from} to {@code to} that has page views:
     * ended days from their roll-ups, the others (today) from the running totals the flushes keep (or,
     * where those do not cover every hit of the day, from the hits), with the hits still buffered.
     */
    public List<DayViews> pageViews(LocalDate from, LocalDate to) {
        hits.flush();
        return rollups.pageViews(from, to);
    }

    /** Hits per campaign over the UTC days from {@code from} to {@code to}, most first. */
    public List<CampaignHits> campaigns(LocalDate from, LocalDate to) {
        hits.flush();
        return rollups.campaigns(from, to);
    }
}
