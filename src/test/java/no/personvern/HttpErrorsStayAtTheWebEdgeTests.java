package no.personvern;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponse;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.server.ResponseStatusException;

/**
 * Modules refuse with a {@link Refusal}; only the web edge turns it into an HTTP status and an
 * RFC 9457 document. A service that builds a problem itself decides the HTTP contract where no
 * reader of the web layer looks for it.
 */
class HttpErrorsStayAtTheWebEdgeTests {

    /**
     * The security filters answer before Spring MVC (and its advice) is reached, so they write their
     * problems themselves: they are the web edge too.
     */
    private static final Set<String> FILTERS_AT_THE_EDGE = Set.of(
            "no.personvern.security.internal.BearerTokenFilter",
            "no.personvern.security.internal.BodyLimit",
            "no.personvern.security.internal.ProblemWriter",
            "no.personvern.security.internal.PublicRateLimit");

    private static final JavaClasses MAIN = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("no.personvern");

    @Test
    void onlyTheWebEdgeSpeaksInHttpStatusesAndProblemDocuments() {
        noClasses().that().resideOutsideOfPackage("..web..").and(DescribedPredicate.not(atTheEdge()))
                .should().dependOnClassesThat().belongToAnyOf(HttpStatus.class, HttpStatusCode.class,
                        ProblemDetail.class, ErrorResponse.class, ErrorResponseException.class,
                        ResponseStatusException.class)
                .because("services refuse with no.personvern.Refusal, which the problem advice answers")
                .check(MAIN);
    }

    private static DescribedPredicate<JavaClass> atTheEdge() {
        return DescribedPredicate.describe("a security filter at the web edge",
                type -> FILTERS_AT_THE_EDGE.contains(type.getName().replaceFirst("\\$.*", "")));
    }
}
