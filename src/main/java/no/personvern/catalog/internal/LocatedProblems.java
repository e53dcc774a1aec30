package no.personvern.catalog.internal;

import java.util.ArrayList;
import java.util.List;
import no.personvern.catalog.CatalogInvalidException;

/** The problems found in one catalog file, each as {@code file:line: what is wrong}, in the order found. */
final class LocatedProblems {

    private final String file;
    private final List<String> problems = new ArrayList<>();

    LocatedProblems(String file) {
        this.file = file;
    }

    void add(int line, String message) {
        problems.add(file + ":" + line + ": " + message);
    }

    /** Stops reading at a problem that leaves nothing further to check. */
    CatalogInvalidException fatal(int line, String message) {
        return new CatalogInvalidException(List.of(file + ":" + line + ": " + message));
    }

    void throwIfAny() {
        if (!problems.isEmpty()) {
            throw new CatalogInvalidException(problems);
        }
    }
}
