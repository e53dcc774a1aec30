package no.personvern.web.internal;

import java.util.List;
import java.util.Optional;
import no.personvern.catalog.Activity;
import no.personvern.catalog.Catalog;
import no.personvern.catalog.Language;
import no.personvern.catalog.LegalBasis;
import no.personvern.catalog.Role;
import org.springframework.stereotype.Component;

/**
 * The privacy centre's plain-language summary, generated from the catalog and nothing else: for
 * each activity the company decides on, what it holds, why, on which basis and for how long; and
 * whether it also processes data for customers (who then decide, Art. 28).
 */
@Component
class CatalogSummary {

    private final Catalog catalog;

    CatalogSummary(Catalog catalog) {
        this.catalog = catalog;
    }

    Summary of(Language language) {
        List<Item> items = catalog.activities().stream()
                .filter(activity -> activity.role() == Role.CONTROLLER)
                .map(activity -> item(activity, language))
                .toList();
        List<String> forCustomers = catalog.activities().stream()
                .filter(activity -> activity.role() == Role.PROCESSOR)
                .map(activity -> activity.name().in(language))
                .toList();
        List<String> lists = catalog.lists().stream().map(list -> list.title().in(language)).toList();
        return new Summary(items, forCustomers, lists);
    }

    private Item item(Activity activity, Language language) {
        List<String> held = activity.dataCategories().stream()
                .map(key -> catalog.taxonomy().categoryName(key, language))
                .distinct()
                .toList();
        // What the activity is for: its own description, else the names of its purposes.
        String why = Optional.ofNullable(activity.description()).map(text -> text.in(language))
                .filter(text -> !text.isBlank())
                .orElseGet(() -> activity.purposes().isEmpty() ? null : String.join(", ", activity.purposes().stream()
                        .map(use -> catalog.taxonomy().useName(use, language)).toList()));
        String interest = activity.legitimateInterest() == null ? null : activity.legitimateInterest().in(language);
        return new Item(activity.key(), activity.name().in(language), why, held,
                activity.legalBasis().key(), interest, catalog.retentionText(activity, language),
                catalog.lists().stream().anyMatch(list -> activity.key().equals(list.activity())),
                !activity.technologies().isEmpty(),
                activity.legalBasis() == LegalBasis.CONSENT);
    }

    /** What the page shows; {@code lists} the titles of the subscription lists a person can manage. */
    record Summary(List<Item> activities, List<String> forCustomers, List<String> lists) {
    }

    /**
     * One activity in words: {@code basis} is the catalog's key, named by the page's messages;
     * {@code subscription} when it is a list a person can leave, {@code onDevice} when it stores or
     * reads something on the visitor's device, {@code consent} when it rests on consent, which can be
     * withdrawn as easily as it was given (Art. 7(3)).
     */
    record Item(String key, String name, String why, List<String> held, String basis, String interest,
            String howLong, boolean subscription, boolean onDevice, boolean consent) {
    }
}
