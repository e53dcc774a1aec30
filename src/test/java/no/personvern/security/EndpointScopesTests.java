package no.personvern.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import no.personvern.testing.DatabaseTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

/** Every non-public API endpoint names the scope it needs; none is open to any token by accident. */
@DatabaseTest
@SpringBootTest
class EndpointScopesTests {

    @Autowired
    @Qualifier("requestMappingHandlerMapping")
    RequestMappingHandlerMapping mappings;

    @Test
    void everyProtectedApiEndpointRequiresAScope() {
        List<String> unguarded = new ArrayList<>();
        int guarded = 0;
        for (var entry : mappings.getHandlerMethods().entrySet()) {
            RequestMappingInfo info = entry.getKey();
            HandlerMethod method = entry.getValue();
            for (String path : info.getPatternValues()) {
                if (!path.startsWith("/api/") || path.startsWith("/api/v1/public/")) {
                    continue;
                }
                PreAuthorize rule = method.getMethodAnnotation(PreAuthorize.class);
                if (rule == null || !rule.value().matches("hasAuthority\\('[a-z:]+'\\)")) {
                    unguarded.add(path + " " + method);
                } else {
                    assertThat(Scope.fromValue(rule.value().replaceAll(".*'(.*)'.*", "$1"))).as(path).isPresent();
                    guarded++;
                }
            }
        }
        assertThat(unguarded).isEmpty();
        assertThat(guarded).isGreaterThanOrEqualTo(5);
    }
}
