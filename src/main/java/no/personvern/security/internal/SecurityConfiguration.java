package no.personvern.security.internal;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import no.personvern.PeriodicJob;
import no.personvern.PublicPaths;
import no.personvern.security.ClientAddresses;
import no.personvern.security.RateLimits;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.security.config.annotation.method.configuration.EnableMethodSecurity;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.AnonymousAuthenticationFilter;
import org.springframework.security.web.csrf.CsrfFilter;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.OrRequestMatcher;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.cors.CorsConfigurationSource;
import org.springframework.web.cors.UrlBasedCorsConfigurationSource;

/**
 * Public paths, which each module declares as {@link PublicPaths} beans, need no token; everything
 * under {@code /api/} needs one, and each endpoint names its scope with
 * {@code @PreAuthorize("hasAuthority('<scope>')")} (checked by a test).
 */
@Configuration(proxyBeanMethods = false)
@EnableMethodSecurity
@EnableConfigurationProperties(SecurityProperties.class)
class SecurityConfiguration {

    /**
     * Security's own public paths: health, and the SPEC's public API, all of it, so that an unknown
     * path there is a 404 and not a 401. The modules declare the rest, their public API endpoints
     * among them.
     */
    @Bean
    TokenCache tokenCache(TokenRepository repository, SecurityProperties settings) {
        return new TokenCache(repository, settings.tokenCache());
    }

    /** Keeps the token cache in step with revocations on every instance. */
    @Bean
    PeriodicJob tokenCachePoll(TokenCache cache) {
        return PeriodicJob.atFixedRate("pv-token-cache", cache.pollInterval(), Duration.ofSeconds(1), cache::poll);
    }

    @Bean
    PublicPaths publicApiPaths() {
        return PublicPaths.endpoints("/api/v1/public/**");
    }

    @Bean
    PublicPaths healthPaths() {
        return PublicPaths.unlimited("/actuator/health", "/actuator/health/**");
    }

    @Bean
    DeclaredPublicPaths declaredPublicPaths(List<PublicPaths> declared) {
        return new DeclaredPublicPaths(declared);
    }

    /** Before everything that could read a body (Spring's form filter, the security chain, MVC). */
    @Bean
    FilterRegistrationBean<BodyLimit> bodyLimit(ProblemWriter problems, DeclaredPublicPaths publicPaths,
            SecurityProperties settings) {
        FilterRegistrationBean<BodyLimit> registration = new FilterRegistrationBean<>(
                new BodyLimit(publicPaths.endpoints(), settings.maxBodyPublic(), settings.maxBody(), problems));
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 20);
        return registration;
    }

    @Bean
    TrustedProxies trustedProxies(SecurityProperties settings) {
        return new TrustedProxies(settings.trustedProxies(), settings.forwardedHeader());
    }

    /** First of all, so that every later filter and controller sees the client's address. */
    @Bean
    FilterRegistrationBean<TrustedProxies> clientAddressFilter(TrustedProxies trustedProxies) {
        FilterRegistrationBean<TrustedProxies> registration = new FilterRegistrationBean<>(trustedProxies);
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 10);
        return registration;
    }

    @Bean
    BufferedRateLimiter publicRateLimiter(SecurityProperties settings, RateLimitCounters counters, RateLimits exact,
            KeyHasher hasher, TransactionTemplate transactions, Clock clock) {
        return new BufferedRateLimiter("public", settings.publicEndpoints().rateLimitPerMinute(), Duration.ofMinutes(1),
                settings.rateLimits().flushInterval(), counters, exact, hasher, transactions, clock);
    }

    @Bean
    SecurityFilterChain api(HttpSecurity http, TokenService tokens, ProblemWriter problems,
            BufferedRateLimiter publicRateLimiter, ClientAddresses clients, DeclaredPublicPaths publicPaths,
            SecurityProperties settings, KeyHasher hasher, Clock clock) throws Exception {
        String[] open = publicPaths.all();
        http.authorizeHttpRequests(requests -> requests
                        .requestMatchers(open).permitAll()
                        .requestMatchers("/api/**", "/actuator/**").authenticated()
                        .anyRequest().permitAll())
                .addFilterBefore(new PublicRateLimit(publicPaths.endpoints(), publicRateLimiter, clients, problems),
                        AnonymousAuthenticationFilter.class)
                .addFilterBefore(new BearerTokenFilter(tokens, problems, new SystemTokenConfinement(
                        DeclaredPublicPaths.matcher(open))), AnonymousAuthenticationFilter.class)
                .cors(cors -> cors.configurationSource(websiteCors(settings.website().origins())))
                .sessionManagement(sessions -> sessions.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                // Bearer tokens are not sent by browsers on their own, so API calls cannot be forged cross-site.
                // Paths declared to take posts from any site (one-click unsubscribe, RFC 8058, comes from
                // mail clients without a session) are authorised by the unguessable tokens in their links.
                // Pages' forms: a signed double-submit token in a cookie, so first-time visitors need no session;
                // posts a browser marks as cross-origin are refused before the token is read.
                .addFilterBefore(new SameOriginPosts(new OrRequestMatcher(
                                PathPatternRequestMatcher.withDefaults().matcher("/api/**"),
                                DeclaredPublicPaths.matcher(publicPaths.fromAnySite())), problems.accessDeniedHandler()),
                        CsrfFilter.class)
                .csrf(csrf -> csrf.csrfTokenRepository(new SignedCsrfCookie(hasher, clock))
                        .csrfTokenRequestHandler(new BodyOnlyCsrfTokens())
                        .ignoringRequestMatchers("/api/**")
                        .ignoringRequestMatchers(publicPaths.fromAnySite()))
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
