package no.personvern.tracking.web;

import no.personvern.PublicPaths;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The banner, its saved choice and the pixel are public; the pixel is loaded from any site. */
@Configuration(proxyBeanMethods = false)
class TrackingPublicPaths {

    @Bean
    PublicPaths bannerPaths() {
        return PublicPaths.endpoints("/consent.js", "/consent.css", "/api/v1/public/cookie-consent");
    }

    @Bean
    PublicPaths pixelPaths() {
        return PublicPaths.endpoints("/t.gif").fromAnySite();
    }
}
