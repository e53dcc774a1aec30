package no.personvern.catalog;

import java.util.List;

/**
 * A legal obligation to keep data that overrides erasure and retention (Art. 17(3)(b)), e.g.
 * bokføringsloven § 13: accounting documentation is kept for five years.
 */
public record RetentionException(
        String key, String law, LocalizedText description, List<String> dataCategories, IsoPeriod keepFor) {
}
