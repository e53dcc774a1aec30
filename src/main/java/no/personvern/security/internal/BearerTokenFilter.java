package no.personvern.security.internal;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import no.personvern.security.ApiToken;
import no.personvern.security.Scope;
import org.springframework.http.HttpHeaders;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Authenticates {@code Authorization: Bearer <token>}. A request without the header goes on
 * anonymously (public endpoints); one with an unknown token is answered 401 at once.
 */
class BearerTokenFilter extends OncePerRequestFilter {

    private final TokenService tokens;
    private final AuthenticationEntryPoint entryPoint;

    BearerTokenFilter(TokenService tokens, AuthenticationEntryPoint entryPoint) {
        this.tokens = tokens;
        this.entryPoint = entryPoint;
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
            super(authorities(token.scopes()));
            this.token = token;
            setAuthenticated(true);
        }

        private static List<GrantedAuthority> authorities(Set<Scope> scopes) {
            Scope[] granted = scopes.contains(Scope.ADMIN) ? Scope.values() : scopes.toArray(Scope[]::new);
            return Arrays.stream(granted).<GrantedAuthority>map(s -> new SimpleGrantedAuthority(s.value())).toList();
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
