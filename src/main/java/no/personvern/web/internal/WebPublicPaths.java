package no.personvern.web.internal;

import no.personvern.PublicPaths;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The privacy centre's pages are public; so are error answers and the API documentation, unlimited. */
@Configuration(proxyBeanMethods = false)
class WebPublicPaths {

    @Bean
    PublicPaths privacyCentrePaths() {
        return PublicPaths.endpoints("/", "/privacy-center", "/privacy-center/**", "/form-expired");
    }

    @Bean
    PublicPaths errorAndApiDocsPaths() {
        return PublicPaths.unlimited("/error", "/assets/**", "/v3/api-docs", "/v3/api-docs/**", "/swagger-ui.html", "/swagger-ui/**");
    }
}
