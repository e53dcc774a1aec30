package no.personvern.security.internal;

import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import no.personvern.security.ClientAddresses;
import no.personvern.security.RateLimits;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.security.config.annotation.method.configuration.EnableMethodSecurity;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.AnonymousAuthenticationFilter;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.OrRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.util.unit.DataSize;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.cors.CorsConfigurationSource;
import org.springframework.web.cors.UrlBasedCorsConfigurationSource;

/**
 * Public paths need no token; everything under {@code /api/} needs one, and each endpoint names
 * its scope with {@code @PreAuthorize("hasAuthority('<scope>')")} (checked by a test).
 */
@Configuration(proxyBeanMethods = false)
@EnableMethodSecurity
class SecurityConfiguration {

    static final String[] PUBLIC = {
        "/privacy", "/api/v1/public/**", "/consent.js", "/t.gif", "/u/**", "/privacy-center/**",
        "/subscriptions/confirm/**", "/actuator/health", "/actuator/health/**", "/v3/api-docs", "/v3/api-docs/**", "/swagger-ui.html",
        "/swagger-ui/**", "/error"
    };

    /** Public paths that are limited per client address (health and API docs are not). */
    static final String[] RATE_LIMITED = {
        "/privacy", "/api/v1/public/**", "/consent.js", "/t.gif", "/u/**", "/privacy-center/**",
        "/subscriptions/confirm/**"
    };

    /** The SPEC's public endpoints: rate-limited, and with the smaller body limit. */
    static RequestMatcher publicEndpoints() {
        return new OrRequestMatcher(Arrays.stream(RATE_LIMITED)
                .<RequestMatcher>map(path -> PathPatternRequestMatcher.withDefaults().matcher(path)).toList());
    }

    /** Before everything that could read a body (Spring's form filter, the security chain, MVC). */
    @Bean
    FilterRegistrationBean<BodyLimit> bodyLimit(ProblemWriter problems,
            @Value("${personvern.max-body-public:16KB}") DataSize publicLimit,
            @Value("${personvern.max-body:4MB}") DataSize limit) {
        FilterRegistrationBean<BodyLimit> registration =
                new FilterRegistrationBean<>(new BodyLimit(publicEndpoints(), publicLimit, limit, problems));
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 20);
        return registration;
    }

    @Bean
    TrustedProxies trustedProxies(@Value("${personvern.trusted-proxies:}") List<String> cidrs,
            @Value("${personvern.forwarded-header:X-Forwarded-For}") String header) {
        return new TrustedProxies(cidrs, header);
    }

    /** First of all, so that every later filter and controller sees the client's address. */
    @Bean
    FilterRegistrationBean<TrustedProxies> clientAddressFilter(TrustedProxies trustedProxies) {
        FilterRegistrationBean<TrustedProxies> registration = new FilterRegistrationBean<>(trustedProxies);
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 10);
        return registration;
    }

    @Bean
    BufferedRateLimiter publicRateLimiter(@Value("${personvern.public.rate-limit-per-minute:300}") int perMinute,
            @Value("${personvern.rate-limits.flush-interval:PT1S}") Duration flushInterval, RateLimitCounters counters,
            RateLimits exact, KeyHasher hasher, TransactionTemplate transactions, Clock clock) {
        return new BufferedRateLimiter("public", perMinute, Duration.ofMinutes(1), flushInterval, counters, exact, hasher,
                transactions, clock);
    }

    @Bean
    SecurityFilterChain api(HttpSecurity http, TokenService tokens, ProblemWriter problems,
            BufferedRateLimiter publicRateLimiter, ClientAddresses clients,
            @Value("${personvern.website.origins:}") List<String> websiteOrigins) throws Exception {
        RequestMatcher limited = publicEndpoints();
        http.authorizeHttpRequests(requests -> requests
                        .requestMatchers(PUBLIC).permitAll()
                        .requestMatchers("/api/**", "/actuator/**").authenticated()
                        .anyRequest().permitAll())
                .addFilterBefore(new PublicRateLimit(limited, publicRateLimiter, clients, problems), AnonymousAuthenticationFilter.class)
                .addFilterBefore(new BearerTokenFilter(tokens, problems, new SystemTokenConfinement(PUBLIC)),
                        AnonymousAuthenticationFilter.class)
                .cors(cors -> cors.configurationSource(websiteCors(websiteOrigins)))
                .sessionManagement(sessions -> sessions.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                // Bearer tokens are not sent by browsers on their own, so API calls cannot be forged cross-site.
                // One-click unsubscribe (RFC 8058) and confirmation come from mail clients and plain forms
                // without a session; their unguessable tokens are what authorise them.
                .csrf(csrf -> csrf.ignoringRequestMatchers("/api/**", "/u/**", "/subscriptions/confirm/**", "/t.gif"))
                .httpBasic(basic -> basic.disable())
                .formLogin(form -> form.disable())
                .logout(logout -> logout.disable())
                .requestCache(cache -> cache.disable())
                .exceptionHandling(errors -> errors
                        .authenticationEntryPoint(problems.entryPoint())
                        .accessDeniedHandler(problems.accessDeniedHandler()));
        return http.build();
    }

    /**
     * The company's web pages may live on another origin than Personvern: the banner then saves the
     * choice cross-origin, with the visitor's cookies. Only the origins listed in
     * {@code personvern.website.origins} may; with none listed, only Personvern's own origin.
     */
    static CorsConfigurationSource websiteCors(List<String> origins) {
        UrlBasedCorsConfigurationSource source = new UrlBasedCorsConfigurationSource();
        List<String> allowed = origins.stream().map(String::strip).filter(origin -> !origin.isEmpty()).toList();
        if (!allowed.isEmpty()) {
            CorsConfiguration website = new CorsConfiguration();
            website.setAllowedOrigins(allowed);
            website.setAllowedMethods(List.of("GET", "POST"));
            website.setAllowedHeaders(List.of("Content-Type"));
            website.setAllowCredentials(true);
            website.setMaxAge(3600L);
            source.registerCorsConfiguration("/api/v1/public/**", website);
        }
        return source;
    }
}
