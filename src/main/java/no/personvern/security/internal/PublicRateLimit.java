package no.personvern.security.internal;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Limits the public endpoints (notice, banner script, pixel, privacy centre) per client address
 * with a token bucket, so no client can flood them; past the limit the answer is a 429 problem
 * with {@code Retry-After}. The buckets live in memory, per instance, for the most recent clients.
 */
class PublicRateLimit extends OncePerRequestFilter {

    private static final int MAX_CLIENTS = 100_000;

    private final RequestMatcher publicPaths;
    private final double capacity;
    private final double refillPerNano;
    private final ProblemWriter problems;
    private final Map<String, Bucket> buckets = new LinkedHashMap<>(1024, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Bucket> eldest) {
            return size() > MAX_CLIENTS;
        }
    };

    PublicRateLimit(RequestMatcher publicPaths, int perMinute, ProblemWriter problems) {
        this.publicPaths = publicPaths;
        this.capacity = perMinute;
        this.refillPerNano = perMinute / 60e9;
        this.problems = problems;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !publicPaths.matches(request);
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        long waitSeconds = take(request.getRemoteAddr(), System.nanoTime());
        if (waitSeconds > 0) {
            response.setHeader("Retry-After", Long.toString(waitSeconds));
            problems.write(request, response, HttpStatus.TOO_MANY_REQUESTS,
                    "Too many requests from this address; try again in " + waitSeconds + " s.");
            return;
        }
        chain.doFilter(request, response);
    }

    /** Takes one token for the client; 0 when granted, else the seconds until one is available. */
    private long take(String client, long now) {
        synchronized (buckets) {
            Bucket bucket = buckets.computeIfAbsent(client, key -> new Bucket(capacity, now));
            bucket.tokens = Math.min(capacity, bucket.tokens + (now - bucket.updated) * refillPerNano);
            bucket.updated = now;
            if (bucket.tokens >= 1) {
                bucket.tokens -= 1;
                return 0;
            }
            return Math.max(1, (long) Math.ceil((1 - bucket.tokens) / refillPerNano / 1e9));
        }
    }

    private static final class Bucket {
        double tokens;
        long updated;

        Bucket(double tokens, long updated) {
            this.tokens = tokens;
            this.updated = updated;
        }
    }
}
