package no.personvern.catalog.internal;

import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import no.personvern.catalog.Catalog;
import no.personvern.catalog.CatalogInvalidException;
import no.personvern.catalog.Taxonomy;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.core.io.Resource;
import org.springframework.core.io.ResourceLoader;

/** Loads the catalog named by {@code PERSONVERN_CATALOG} (default: the bundled example) at start-up. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(CatalogProperties.class)
class CatalogConfiguration {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(CatalogConfiguration.class);

    static final String EXAMPLE = "classpath:catalog/example-catalog.yaml";

    @Bean
    Catalog catalog(CatalogProperties settings, ResourceLoader resources, Environment environment) {
        String name = settings.catalog().isEmpty() ? EXAMPLE : settings.catalog();
        boolean prefixed = name.startsWith("classpath:") || name.startsWith("file:");
        Resource resource = resources.getResource(prefixed ? name : "file:" + name);
        if (!resource.exists()) {
            throw new CatalogInvalidException(List.of(name + ": catalog file not found"));
        }
        try (Reader reader = new InputStreamReader(resource.getInputStream(), StandardCharsets.UTF_8)) {
            // ${NAME} comes from the environment; through Spring's Environment, so a property of that name works too.
            Catalog catalog = CatalogReader.read(name, reader, environment::getProperty, Taxonomy.fideslang());
            // Declarations that need judgement (a soft opt-in): printed at every start, never a refusal.
            catalog.warnings().forEach(warning -> LOG.warn("Catalog: {}", warning));
            return catalog;
        } catch (IOException e) {
            throw new CatalogInvalidException(List.of(name + ": cannot read the catalog: " + e.getMessage()));
        }
    }
}
