package no.personvern.security.internal;

import java.util.List;
import java.util.function.Predicate;
import no.personvern.PublicPaths;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.OrRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;

/** Every module's public paths together, in the shapes the security chain and the filters take. */
final class DeclaredPublicPaths {

    private final List<PublicPaths> declared;

    DeclaredPublicPaths(List<PublicPaths> declared) {
        this.declared = List.copyOf(declared);
    }

    /** Every public path: no token needed, and a token bound to a system may call them too. */
    String[] all() {
        return patterns(paths -> true);
    }

    /** The SPEC's public endpoints: rate-limited per client, with the smaller body limit. */
    RequestMatcher endpoints() {
        return matcher(patterns(PublicPaths::endpoint));
    }

    /** The public paths that take posts from any site, without a session. */
    String[] fromAnySite() {
        return patterns(PublicPaths::crossSitePosts);
    }

    static RequestMatcher matcher(String... patterns) {
        if (patterns.length == 0) {
            return request -> false;
        }
        return new OrRequestMatcher(List.of(patterns).stream()
                .<RequestMatcher>map(path -> PathPatternRequestMatcher.withDefaults().matcher(path)).toList());
    }

    private String[] patterns(Predicate<PublicPaths> which) {
        return declared.stream().filter(which).flatMap(paths -> paths.patterns().stream()).distinct()
                .toArray(String[]::new);
    }
}
