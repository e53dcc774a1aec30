package no.personvern.security.internal;

import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.HttpMethod;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.OrRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;

/**
 * The endpoints a token bound to a connected system may reach at all (SPEC 3, Tokens): what a
 * product does with the people it serves. Everything else, every requests endpoint but its
 * callback included, is 403 whatever scopes the token carries, so an endpoint added later is
 * closed to systems until it is listed here. The endpoints listed check the system themselves
 * ({@code no.personvern.security.Callers}).
 */
final class SystemTokenConfinement {

    private static final RequestMatcher ALLOWED = new OrRequestMatcher(
            allow(HttpMethod.POST, "/api/v1/subjects"),
            allow(HttpMethod.POST, "/api/v1/subjects/import"),
            allow(HttpMethod.GET, "/api/v1/subjects"),
            allow(HttpMethod.GET, "/api/v1/subjects/{id}"),
            allow(HttpMethod.POST, "/api/v1/subjects/{id}/documents"),
            allow(HttpMethod.GET, "/api/v1/subjects/{id}/documents/{documentId}"),
            allow(HttpMethod.POST, "/api/v1/subjects/{id}/consents"),
            allow(HttpMethod.GET, "/api/v1/subjects/{id}/consents"),
            allow(HttpMethod.POST, "/api/v1/requests/{id}/systems/{system}/callback"),
            allow(HttpMethod.GET, "/api/v1/subscriptions/{list}/recipients"),
            allow(HttpMethod.GET, "/api/v1/catalog"),
            allow(HttpMethod.GET, "/api/v1/ropa"),
            allow(HttpMethod.GET, "/api/v1/processors"));

    private final RequestMatcher publicPaths;

    SystemTokenConfinement(RequestMatcher publicPaths) {
        this.publicPaths = publicPaths;
    }

    /** Whether a token bound to a system may make this call (public paths need no token anyway). */
    boolean allows(HttpServletRequest request) {
        return publicPaths.matches(request) || ALLOWED.matches(request);
    }

    private static RequestMatcher allow(HttpMethod method, String path) {
        return PathPatternRequestMatcher.withDefaults().matcher(method, path);
    }
}
