package no.personvern.catalog.internal;

import no.personvern.catalog.CatalogInvalidException;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Turns an invalid catalog into a start-up report that lists each problem by file and line. */
class CatalogFailureAnalyzer extends AbstractFailureAnalyzer<CatalogInvalidException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, CatalogInvalidException cause) {
        return new FailureAnalysis(
                "The catalog is not valid:" + System.lineSeparator() + "    "
                        + String.join(System.lineSeparator() + "    ", cause.problems()),
                "Correct the catalog (PERSONVERN_CATALOG) and start Personvern again.", cause);
    }
}
