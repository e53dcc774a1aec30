package no.personvern.catalog.internal;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The catalog module's settings, under {@code personvern.*} and described in the README.
 *
 * @param catalog {@code PERSONVERN_CATALOG}: a catalog YAML file (or {@code classpath:…}); empty: the bundled example
 */
@ConfigurationProperties("personvern")
record CatalogProperties(String catalog) {

    CatalogProperties {
        catalog = catalog == null ? "" : catalog.strip();
    }
}
