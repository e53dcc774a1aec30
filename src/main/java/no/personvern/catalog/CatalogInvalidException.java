package no.personvern.catalog;

import java.util.List;

/** The catalog cannot be loaded; each problem names the file, the line and the offending value. */
public class CatalogInvalidException extends RuntimeException {

    private final List<String> problems;

    public CatalogInvalidException(List<String> problems) {
        super(String.join(System.lineSeparator(), problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
