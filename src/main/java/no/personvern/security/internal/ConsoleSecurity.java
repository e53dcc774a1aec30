package no.personvern.security.internal;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;
import no.personvern.security.ClientAddresses;
import no.personvern.security.RateLimits;
import no.personvern.security.Scope;
import no.personvern.security.StaffPrincipal;
import no.personvern.security.StaffRole;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpMethod;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.LockedException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.intercept.AuthorizationFilter;
import org.springframework.security.web.csrf.CsrfException;
import org.springframework.security.web.csrf.CsrfFilter;
import org.springframework.security.web.csrf.HttpSessionCsrfTokenRepository;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.session.web.http.CookieSerializer;
import org.springframework.session.web.http.CookieSerializer.CookieValue;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * The staff console's door, beside the API's: {@code /admin/**} signs in with a username and
 * password, keeps a session (shared by every instance, ended after the idle timeout), and checks
 * the role on every page. DPO-only areas are listed in {@link #DPO_ONLY}; everything else is for
 * both roles, and the pages narrow what an agent sees. A member's sessions carry the same scopes an
 * API token of that role would ({@code admin} for the DPO), so both doors lead onto the same rules.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(StaffProperties.class)
class ConsoleSecurity {

    /** Areas a support agent may not enter (SPEC 3): catalog, holds, disclosures, breaches, audit, staff. */
    static final String[] DPO_ONLY = {"/admin/record/**", "/admin/processors/**", "/admin/disclosures/**",
        "/admin/retention/**", "/admin/breaches/**", "/admin/audit/**", "/admin/staff/**"};
    static final String LOGIN = "/admin/login";
    /** Where a refused page goes: the web module's page, with the reason as a request attribute. */
    static final String DENIED = "/admin/denied";
    static final String DENIED_REASON = "personvern.console.denied";
    /** Where a console page opened from another site is held until the member confirms (the web module's page). */
    static final String ELSEWHERE = "/admin/elsewhere";
    static final String ELSEWHERE_TARGET = "personvern.console.target";
    private static final Pattern NEXT = Pattern.compile("/admin(/[A-Za-z0-9._~/-]*)?(\\?[A-Za-z0-9._~=&%+-]*)?");

    @Bean
    PasswordEncoder passwordEncoder() {
        return PasswordEncoderFactories.createDelegatingPasswordEncoder();
    }

    @Bean
    CookieSerializer staffSessionCookie(KeyHasher hasher, no.personvern.PersonvernProperties personvern) {
        return new SignedSessionCookie(hasher, httpsOnly(personvern));
    }

    /**
     * Sessions are read back from the database with a deserialisation filter that admits only what a
     * staff session holds (its security context, form token and language): bytes written into the
     * session table by anyone else cannot run a gadget chain, and a refused attribute reads as absent
     * (the member is asked to sign in).
     */
    @Bean
    org.springframework.session.config.SessionRepositoryCustomizer<org.springframework.session.jdbc.JdbcIndexedSessionRepository>
            staffSessionSerialization() {
        return repository -> repository.setConversionService(SessionAttributes.conversionService());
    }

    private static boolean httpsOnly(no.personvern.PersonvernProperties personvern) {
        return personvern.baseUrl() != null && personvern.baseUrl().toLowerCase(java.util.Locale.ROOT).startsWith("https:");
    }

    @Bean
    @Order(1)
    SecurityFilterChain console(HttpSecurity http, StaffAccounts staff, RateLimits limits, ClientAddresses clients,
            StaffProperties settings, KeyHasher hasher, Clock clock, CookieSerializer cookies,
            no.personvern.PersonvernProperties personvern) throws Exception {
        DeviceCookie devices = new DeviceCookie(hasher, httpsOnly(personvern));
        http.securityMatcher("/admin", "/admin/**")
                .authorizeHttpRequests(requests -> requests
                        .requestMatchers(DENIED, ELSEWHERE).permitAll()
                        .requestMatchers(LOGIN, "/admin/invitation", "/admin/invitation/**").permitAll()
                        .requestMatchers(DPO_ONLY).hasRole(StaffRole.DPO.name())
                        .anyRequest().hasAnyRole(StaffRole.DPO.name(), StaffRole.AGENT.name()))
                .authenticationProvider(new SignInProvider(staff, limits, clients, settings))
                .formLogin(form -> form.loginPage(LOGIN).loginProcessingUrl(LOGIN)
                        .authenticationDetailsSource(request -> new SignInDetails(request.getRemoteAddr(),
                                devices.member(request)))
                        .successHandler((request, response, authentication) -> {
                            UUID member = ((StaffPrincipal) authentication.getPrincipal()).id();
                            staff.recordSession("signed-in", member);
                            devices.issue(member, request, response);
                            response.sendRedirect(next(request.getParameter("next")));
                        })
                        .failureHandler((request, response, exception) -> response.sendRedirect(
                                loginPage(exception instanceof ClientLimit limit ? limit.state : "failed", request))))
                .logout(logout -> logout
                        .logoutRequestMatcher(PathPatternRequestMatcher.withDefaults().matcher(HttpMethod.POST,
                                "/admin/logout"))
                        .addLogoutHandler((request, response, authentication) -> {
                            if (authentication != null && authentication.getPrincipal() instanceof StaffPrincipal member) {
                                staff.recordSession("signed-out", member.id());
                            }
                        })
                        .logoutSuccessHandler((request, response, authentication) -> response.sendRedirect(
                                loginPage("signed-out", request))))
                .sessionManagement(sessions -> sessions
                        .sessionCreationPolicy(SessionCreationPolicy.IF_REQUIRED))
                // A signed-in member's forms carry the session's token; the sign-in form, before any
                // session exists, the signed cookie of the public pages (no session per visitor).
                .csrf(csrf -> csrf.csrfTokenRepository(new ConsoleCsrfTokens(new HttpSessionCsrfTokenRepository(),
                                new SignedCsrfCookie(hasher, clock)))
                        .csrfTokenRequestHandler(new BodyOnlyCsrfTokens()))
                .addFilterBefore(new SameOriginPosts(request -> false, denied()), CsrfFilter.class)
                .addFilterBefore(new CrossSiteNavigation(), CsrfFilter.class)
                .addFilterBefore(new CurrentStaff(staff, cookies, settings.staff().maxSession()),
                        AuthorizationFilter.class)
                .requestCache(cache -> cache.disable())
                .httpBasic(basic -> basic.disable())
                .exceptionHandling(errors -> errors
                        .authenticationEntryPoint((request, response, exception) -> {
                            // A session cookie that no longer names a session: it ended (idle timeout).
                            boolean ended = request.getRequestedSessionId() != null
                                    && !request.isRequestedSessionIdValid();
                            if (ended) {
                                cookies.writeCookieValue(new CookieValue(request, response, ""));
                            }
                            response.sendRedirect(loginPage(ended ? "expired" : null, request, true));
                        })
                        .accessDeniedHandler(denied()));
        return http.build();
    }

    /** 403: a page that says why (a form from a closed session, or a role that may not). */
    private static org.springframework.security.web.access.AccessDeniedHandler denied() {
        return (request, response, exception) -> {
            if (exception instanceof CsrfException) {
                HttpSession session = request.getSession(false);
                boolean signedIn = session != null && session.getAttribute(org.springframework.security.web.context
                        .HttpSessionSecurityContextRepository.SPRING_SECURITY_CONTEXT_KEY) != null;
                if (!signedIn) {
                    response.sendRedirect(loginPage("expired", request));
                    return;
                }
            }
            response.setStatus(HttpServletResponse.SC_FORBIDDEN);
            request.setAttribute(DENIED_REASON, exception instanceof CsrfException ? "form" : "role");
            request.getRequestDispatcher(DENIED).forward(request, response);
        };
    }

    private static String loginPage(String state, HttpServletRequest request) {
        return loginPage(state, request, false);
    }

    /**
     * The sign-in page with its state ({@code ?failed}, {@code ?expired}, …), the language asked for,
     * and where to go after signing in: the page asked for (a GET), or the {@code next} the failed
     * form carried.
     */
    private static String loginPage(String state, HttpServletRequest request, boolean back) {
        UriComponentsBuilder page = UriComponentsBuilder.fromPath(LOGIN);
        if (state != null) {
            page.queryParam(state);
        }
        String lang = request.getParameter("lang");
        if ("nb".equals(lang) || "en".equals(lang)) {
            page.queryParam("lang", lang);
        }
        String next = back && "GET".equals(request.getMethod()) ? request.getRequestURI()
                + (request.getQueryString() == null ? "" : "?" + request.getQueryString())
                : "failed".equals(state) || "limit".equals(state) ? request.getParameter("next") : null;
        if (next != null && !next("/admin".equals(next) ? null : next).equals("/admin")) {
            page.queryParam("next", next);
        }
        return page.encode().build().toUriString();
    }

    /** Only a path of the console itself: never another site (an open redirect). */
    static String next(String asked) {
        if (asked == null || !NEXT.matcher(asked).matches() || asked.contains("..") || asked.contains("//")
                || asked.startsWith(LOGIN)) {
            return "/admin";
        }
        return asked;
    }

    /**
     * A console page opened from a link on another site (the browser says {@code Sec-Fetch-Site:
     * cross-site} or {@code same-site}) is not shown at once: opening a person's page writes an audit
     * entry in the member's name, and another site must not be able to make a member's browser do
     * that. The member sees a page naming the address and opens it with one click (then a
     * same-origin navigation). Links typed or opened from a mail program ({@code none}) and the
     * console's own links go straight through.
     */
    static final class CrossSiteNavigation extends OncePerRequestFilter {

        @Override
        protected boolean shouldNotFilter(HttpServletRequest request) {
            String path = request.getRequestURI();
            return !"GET".equals(request.getMethod()) || path.equals(LOGIN) || path.startsWith("/admin/invitation");
        }

        @Override
        protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
                throws ServletException, IOException {
            String site = request.getHeader("Sec-Fetch-Site");
            if (site != null && java.util.Set.of("cross-site", "same-site").contains(site.strip()
                    .toLowerCase(java.util.Locale.ROOT))) {
                String target = request.getRequestURI()
                        + (request.getQueryString() == null ? "" : "?" + request.getQueryString());
                request.setAttribute(ELSEWHERE_TARGET, next(target));
                request.getRequestDispatcher(ELSEWHERE).forward(request, response);
                return;
            }
            chain.doFilter(request, response);
        }
    }

    /** The authorities of a role: the role, and the scopes an API token for that work would carry. */
    static List<GrantedAuthority> authorities(StaffRole role) {
        List<GrantedAuthority> authorities = new ArrayList<>();
        authorities.add(new SimpleGrantedAuthority("ROLE_" + role.name()));
        List<Scope> scopes = role == StaffRole.DPO ? List.of(Scope.values())
                : List.of(Scope.REQUESTS_MANAGE, Scope.SUBJECTS_READ);
        scopes.forEach(scope -> authorities.add(new SimpleGrantedAuthority(scope.value())));
        return authorities;
    }

    /** A signed-in member of staff. */
    static final class StaffAuthentication extends AbstractAuthenticationToken {

        private final StaffPrincipal principal;

        StaffAuthentication(StaffPrincipal principal) {
            super(authorities(principal.role()));
            this.principal = principal;
            setAuthenticated(true);
        }

        @Override
        public Object getCredentials() {
            return "";
        }

        @Override
        public StaffPrincipal getPrincipal() {
            return principal;
        }

        @Override
        public String getName() {
            return principal.getName();
        }
    }

    /** Too many sign-in attempts from one client ({@code limit}), or too many at once from everyone ({@code busy}). */
    static final class ClientLimit extends AuthenticationException {
        final String state;

        ClientLimit(String state) {
            super("Sign-in refused before the password was checked: " + state);
            this.state = state;
        }
    }

    /** Where a sign-in comes from: the client's address, and the member its device cookie names, if any. */
    record SignInDetails(String remoteAddress, UUID deviceMember) implements java.io.Serializable {
    }

    /** The password check, behind the per-client limit. */
    static final class SignInProvider implements AuthenticationProvider {

        private final StaffAccounts staff;
        private final RateLimits limits;
        private final ClientAddresses clients;
        private final StaffProperties settings;

        SignInProvider(StaffAccounts staff, RateLimits limits, ClientAddresses clients, StaffProperties settings) {
            this.staff = staff;
            this.limits = limits;
            this.clients = clients;
            this.settings = settings;
        }

        @Override
        public Authentication authenticate(Authentication authentication) {
            SignInDetails details = authentication.getDetails() instanceof SignInDetails given ? given : null;
            if (details == null || details.remoteAddress() == null) {
                throw new BadCredentialsException("Bad credentials");
            }
            if (!limits.tryAcquire("staff-sign-in", clients.key(details.remoteAddress()),
                    settings.staff().clientAttempts(), settings.staff().clientWindow()).granted()) {
                throw new ClientLimit("limit");
            }
            StaffAccounts.SignIn result = staff.check(authentication.getName(),
                    authentication.getCredentials() == null ? null : authentication.getCredentials().toString(),
                    details.deviceMember());
            if (result.principal() == null) {
                throw switch (result.failure()) {
                    case BUSY -> new ClientLimit("busy");
                    case LOCKED -> new LockedException("Locked");
                    default -> new BadCredentialsException("Bad credentials");
                };
            }
            return new StaffAuthentication(result.principal());
        }

        @Override
        public boolean supports(Class<?> authentication) {
            return UsernamePasswordAuthenticationToken.class.isAssignableFrom(authentication);
        }
    }

    /**
     * Re-reads the signed-in member on every request: a deactivated member is signed out at once, a
     * changed role takes effect at once.
     */
    static final class CurrentStaff extends OncePerRequestFilter {

        private final StaffAccounts staff;
        private final CookieSerializer cookies;
        private final java.time.Duration maxSession;

        CurrentStaff(StaffAccounts staff, CookieSerializer cookies, java.time.Duration maxSession) {
            this.staff = staff;
            this.cookies = cookies;
            this.maxSession = maxSession;
        }

        @Override
        protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
                throws ServletException, IOException {
            Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
            if (authentication != null && authentication.getPrincipal() instanceof StaffPrincipal member) {
                var now = staff.current(member.id());
                HttpSession current = request.getSession(false);
                boolean tooOld = current != null && System.currentTimeMillis() - current.getCreationTime()
                        > maxSession.toMillis();
                if (now.isEmpty() || tooOld) {
                    HttpSession session = request.getSession(false);
                    if (session != null) {
                        session.invalidate();
                    }
                    SecurityContextHolder.clearContext();
                    cookies.writeCookieValue(new CookieValue(request, response, ""));
                    response.sendRedirect(loginPage(tooOld ? "expired" : "signed-out", request));
                    return;
                }
                if (now.get().role() != member.role()) {
                    var context = SecurityContextHolder.createEmptyContext();
                    context.setAuthentication(new StaffAuthentication(now.get()));
                    SecurityContextHolder.setContext(context);
                    HttpSession session = request.getSession(false);
                    if (session != null) {
                        session.setAttribute(
                                org.springframework.security.web.context.HttpSessionSecurityContextRepository
                                        .SPRING_SECURITY_CONTEXT_KEY, context);
                    }
                }
            }
            chain.doFilter(request, response);
        }
    }
}
