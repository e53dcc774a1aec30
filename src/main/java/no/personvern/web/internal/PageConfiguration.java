package no.personvern.web.internal;

import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.web.servlet.LocaleResolver;

/** The pages' language and security headers. */
@Configuration(proxyBeanMethods = false)
class PageConfiguration {

    @Bean
    LocaleResolver localeResolver() {
        return new PageLanguage();
    }

    /** Early, so that error answers written by filters carry the headers too. */
    @Bean
    FilterRegistrationBean<PageHeaders> pageHeaders() {
        FilterRegistrationBean<PageHeaders> registration = new FilterRegistrationBean<>(new PageHeaders());
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 5);
        return registration;
    }
}
