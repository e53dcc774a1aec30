package no.personvern.consent.web;

import no.personvern.PublicPaths;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Sign-up is public; confirmation and unsubscribe links come from mail clients without a session
 * (one-click unsubscribe, RFC 8058), authorised by the token in the link.
 */
@Configuration(proxyBeanMethods = false)
class ConsentPublicPaths {

    @Bean
    PublicPaths signUpPaths() {
        return PublicPaths.endpoints("/api/v1/public/subscriptions");
    }

    @Bean
    PublicPaths subscriptionLinkPaths() {
        return PublicPaths.endpoints("/u/**", "/subscriptions/confirm/**").fromAnySite();
    }
}
