package no.personvern.requests.web;

import no.personvern.PublicPaths;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** A data subject submits and verifies a request, and fetches its package, without a token. */
@Configuration(proxyBeanMethods = false)
class RequestsPublicPaths {

    @Bean
    PublicPaths requestIntakePaths() {
        return PublicPaths.endpoints("/api/v1/public/requests/**");
    }
}
