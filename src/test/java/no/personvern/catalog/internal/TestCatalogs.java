package no.personvern.catalog.internal;

import java.io.Reader;
import java.util.function.Function;
import no.personvern.catalog.Catalog;
import no.personvern.catalog.Taxonomy;

/** Reads a catalog file without starting the application, for tests outside this package. */
public final class TestCatalogs {

    private TestCatalogs() {
    }

    public static Catalog read(String file, Reader source, Function<String, String> environment, Taxonomy taxonomy) {
        return CatalogReader.read(file, source, environment, taxonomy);
    }
}
