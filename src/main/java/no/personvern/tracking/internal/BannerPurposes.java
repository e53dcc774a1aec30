package no.personvern.tracking.internal;

import java.util.ArrayList;
import java.util.List;
import no.personvern.catalog.Activity;
import no.personvern.catalog.Catalog;
import no.personvern.catalog.LegalBasis;
import no.personvern.catalog.Taxonomy;
import org.springframework.stereotype.Component;

/**
 * Which catalog purposes the banner's two optional categories stand for: the purposes of the
 * consent-based activities that use cookies or pixels. Advertising, campaign measurement and
 * personalisation are marketing; other analytics is statistics.
 */
@Component
class BannerPurposes {

    private final List<String> statistics = new ArrayList<>();
    private final List<String> marketing = new ArrayList<>();

    BannerPurposes(Catalog catalog) {
        for (Activity activity : catalog.activities()) {
            if (activity.legalBasis() != LegalBasis.CONSENT || activity.technologies().isEmpty()) {
                continue;
            }
            for (String purpose : activity.purposes()) {
                List<String> category = isMarketing(purpose) ? marketing : statistics;
                if (!category.contains(purpose)) {
                    category.add(purpose);
                }
            }
        }
    }

    static boolean isMarketing(String purpose) {
        return Taxonomy.isWithin(purpose, "marketing") || Taxonomy.isWithin(purpose, "personalize")
                || Taxonomy.isWithin(purpose, "analytics.reporting.campaign_insights")
                || Taxonomy.isWithin(purpose, "analytics.reporting.ad_performance");
    }

    List<String> statistics() {
        return statistics;
    }

    List<String> marketing() {
        return marketing;
    }
}
