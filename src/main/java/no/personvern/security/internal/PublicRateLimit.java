package no.personvern.security.internal;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import no.personvern.security.ClientAddresses;
import no.personvern.security.RateLimits.Decision;
import org.springframework.http.HttpStatus;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Limits the public endpoints (notice, banner script, pixel, privacy centre) per client — an IPv4
 * address or an IPv6 /64, behind trusted proxies the forwarded client — so no client can flood
 * them; past the limit the answer is a 429 problem with {@code Retry-After} (for a page, a page). The counters are
 * shared by every instance.
 */
class PublicRateLimit extends OncePerRequestFilter {

    private final RequestMatcher publicPaths;
    private final BufferedRateLimiter limiter;
    private final ClientAddresses clients;
    private final ProblemWriter problems;

    PublicRateLimit(RequestMatcher publicPaths, BufferedRateLimiter limiter, ClientAddresses clients,
            ProblemWriter problems) {
        this.publicPaths = publicPaths;
        this.limiter = limiter;
        this.clients = clients;
        this.problems = problems;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !publicPaths.matches(request);
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Decision decision = limiter.tryAcquire(clients.key(request));
        if (!decision.granted()) {
            long seconds = decision.retryAfterSeconds();
            response.setHeader("Retry-After", Long.toString(seconds));
            problems.writeOrPage(request, response, HttpStatus.TOO_MANY_REQUESTS,
                    "Too many requests from this address; try again in " + seconds + " s.");
            return;
        }
        chain.doFilter(request, response);
    }
}
