package no.personvern.security.internal;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import no.personvern.security.ApiToken;
import no.personvern.security.Scope;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Authenticates {@code Authorization: Bearer <token>}. A request without the header goes on
 * anonymously (public endpoints); one with an unknown token is answered 401 at once, and a token
 * bound to a connected system is answered 403 outside the few endpoints a system may call.
 */
class BearerTokenFilter extends OncePerRequestFilter {

    private final TokenService tokens;
    private final ProblemWriter problems;
    private final AuthenticationEntryPoint entryPoint;
    private final SystemTokenConfinement confinement;

    BearerTokenFilter(TokenService tokens, ProblemWriter problems, SystemTokenConfinement confinement) {
        this.tokens = tokens;
        this.problems = problems;
        this.entryPoint = problems.entryPoint();
        this.confinement = confinement;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String header = request.getHeader(HttpHeaders.AUTHORIZATION);
        if (header == null) {
            chain.doFilter(request, response);
            return;
        }
        String presented = header.regionMatches(true, 0, "Bearer ", 0, 7) ? header.substring(7).strip() : null;
        ApiToken token = presented == null ? null : tokens.authenticate(presented).orElse(null);
        if (token == null) {
            SecurityContextHolder.clearContext();
            entryPoint.commence(request, response, new BadCredentialsException("unknown or revoked token"));
            return;
        }
        if (token.system() != null && !confinement.allows(request)) {
            problems.write(request, response, HttpStatus.FORBIDDEN, "This token is bound to system '" + token.system()
                    + "' and acts only as that system: it may not call this endpoint, whatever its scopes.");
            return;
        }
        SecurityContextHolder.getContext().setAuthentication(new TokenAuthentication(token));
        try {
            chain.doFilter(request, response);
        } finally {
            SecurityContextHolder.clearContext();
        }
    }

    /** An authenticated token; its authorities are its scopes, all of them for {@code admin}. */
    static final class TokenAuthentication extends AbstractAuthenticationToken {

        private final ApiToken token;

        TokenAuthentication(ApiToken token) {
            super(authorities(token));
            this.token = token;
            setAuthenticated(true);
        }

        /**
         * Its scopes, all of them for {@code admin}; a token bound to a system keeps only the scopes
         * a system may have, whatever an earlier version let it be stored with.
         */
        private static List<GrantedAuthority> authorities(ApiToken token) {
            Set<Scope> scopes = token.scopes();
            Stream<Scope> granted = scopes.contains(Scope.ADMIN) ? Arrays.stream(Scope.values()) : scopes.stream();
            if (token.system() != null) {
                granted = granted.filter(Scope.FOR_SYSTEMS::contains);
            }
            return granted.<GrantedAuthority>map(s -> new SimpleGrantedAuthority(s.value())).toList();
        }

        @Override
        public Object getCredentials() {
            return "";
        }

        @Override
        public ApiToken getPrincipal() {
            return token;
        }

        @Override
        public String getName() {
            return "token:" + token.id();
        }
    }
}
