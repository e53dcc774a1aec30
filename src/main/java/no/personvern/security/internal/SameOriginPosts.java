package no.personvern.security.internal;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Set;
import org.springframework.security.web.access.AccessDeniedHandler;
import org.springframework.security.web.csrf.CsrfException;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * A page's form is posted from the page itself: a post the browser marks ({@code Sec-Fetch-Site})
 * as coming from another origin — another site, or a sibling subdomain of this one — is refused
 * before its token is even read, as a forged form. Browsers that send no such header are left to
 * the token. The API (bearer tokens) and the paths that take posts from anywhere (one-click
 * unsubscribe from a mail client, the pixel) are not concerned.
 */
final class SameOriginPosts extends OncePerRequestFilter {

    private static final Set<String> SAFE = Set.of("GET", "HEAD", "OPTIONS", "TRACE");
    private static final Set<String> OWN = Set.of("same-origin", "none");

    private final RequestMatcher exempt;
    private final AccessDeniedHandler refuse;

    SameOriginPosts(RequestMatcher exempt, AccessDeniedHandler refuse) {
        this.exempt = exempt;
        this.refuse = refuse;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return SAFE.contains(request.getMethod()) || exempt.matches(request);
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String site = request.getHeader("Sec-Fetch-Site");
        if (site != null && !OWN.contains(site.strip().toLowerCase(java.util.Locale.ROOT))) {
            refuse.handle(request, response, new CsrfException("A form posted from another origin"));
            return;
        }
        chain.doFilter(request, response);
    }
}
