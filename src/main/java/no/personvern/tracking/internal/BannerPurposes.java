package no.personvern.tracking.internal;

import java.util.ArrayList;
import java.util.List;
import no.personvern.catalog.Activity;
import no.personvern.catalog.Catalog;
import no.personvern.catalog.WebsiteTerms;
import org.springframework.stereotype.Component;

/**
 * Which catalog purposes the banner's two optional categories stand for: the purposes of the
 * consent-based activities that store on or read from the visitor's device — those naming
 * {@code technologies}, or else declaring a cookie identifier ({@code user.device.cookie_id}).
 * Advertising, campaign measurement and personalisation are marketing; other analytics is
 * statistics. The consent records name those activities' systems as their source.
 */
@Component
class BannerPurposes {

    private final List<String> statistics = new ArrayList<>();
    private final List<String> marketing = new ArrayList<>();
    private final List<String> systems = new ArrayList<>();

    BannerPurposes(Catalog catalog) {
        for (Activity activity : WebsiteTerms.bannerActivities(catalog)) {
            activity.systems().stream().filter(system -> !systems.contains(system)).forEach(systems::add);
            for (String purpose : activity.purposes()) {
                List<String> category = isMarketing(purpose) ? marketing : statistics;
                if (!category.contains(purpose)) {
                    category.add(purpose);
                }
            }
        }
    }

    static boolean isMarketing(String purpose) {
        return WebsiteTerms.isMarketing(purpose);
    }

    List<String> statistics() {
        return statistics;
    }

    List<String> marketing() {
        return marketing;
    }

    /**
     * The channel a banner choice is recorded as coming from: the systems of the banner's
     * activities, cut to fit a consent record's source (at most 100 characters with a GPC note).
     */
    String source() {
        String joined = systems.isEmpty() ? "cookie-banner" : String.join(",", systems);
        return joined.length() <= 80 ? joined : joined.substring(0, 80);
    }
}
