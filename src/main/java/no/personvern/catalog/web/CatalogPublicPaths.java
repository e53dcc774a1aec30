package no.personvern.catalog.web;

import no.personvern.PublicPaths;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The privacy notice, as a page and as JSON, is public. */
@Configuration(proxyBeanMethods = false)
class CatalogPublicPaths {

    @Bean
    PublicPaths noticePaths() {
        return PublicPaths.endpoints("/privacy", "/api/v1/public/notice");
    }
}
