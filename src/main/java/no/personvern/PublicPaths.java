package no.personvern;

import java.util.List;

/**
 * Paths a module serves to anyone, without a token; each module declares its own as beans and the
 * security module collects them all. A root type like {@link PeriodicJob}, so that every module may
 * declare them, the catalog (which security uses) included, without a cycle.
 *
 * @param patterns path patterns ({@code /u/**})
 * @param endpoint one of SPEC 4's public endpoints: rate-limited per client, with the smaller body limit
 * @param crossSitePosts posts come from mail clients or pixels without a session, authorised by the
 *     token in the link, so no CSRF token is asked
 */
public record PublicPaths(List<String> patterns, boolean endpoint, boolean crossSitePosts) {

    public PublicPaths {
        patterns = List.copyOf(patterns);
    }

    /** Public endpoints of SPEC 4: rate-limited per client, with the smaller body limit. */
    public static PublicPaths endpoints(String... patterns) {
        return new PublicPaths(List.of(patterns), true, false);
    }

    /** Public, but neither rate-limited nor under the smaller body limit (health, API docs, errors). */
    public static PublicPaths unlimited(String... patterns) {
        return new PublicPaths(List.of(patterns), false, false);
    }

    /** The same paths, also taking posts from any site without a session. */
    public PublicPaths fromAnySite() {
        return new PublicPaths(patterns, endpoint, true);
    }
}
