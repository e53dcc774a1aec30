package no.personvern;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import no.personvern.catalog.Catalog;
import no.personvern.catalog.Taxonomy;
import no.personvern.catalog.internal.TestCatalogs;
import org.junit.jupiter.api.Test;

/** SPEC section 2: nothing in Personvern's code names a key of the bundled example catalog. */
class NoExampleKeysInCodeTests {

    @Test
    void noKeyOfTheExampleCatalogIsAStringLiteralInTheCode() throws IOException {
        Catalog example;
        try (InputStream in = getClass().getResourceAsStream("/catalog/example-catalog.yaml")) {
            example = TestCatalogs.read("example-catalog.yaml", new InputStreamReader(in, StandardCharsets.UTF_8),
                    name -> null, Taxonomy.fideslang());
        }
        List<String> keys = new ArrayList<>();
        example.extraDataCategories().forEach(term -> keys.add(term.key()));
        example.systems().stream().filter(system -> !system.key().equals("personvern"))
                .forEach(system -> keys.add(system.key()));
        example.activities().stream().filter(activity -> !activity.builtIn())
                .forEach(activity -> keys.add(activity.key()));
        example.processors().forEach(processor -> keys.add(processor.key()));
        example.retentionExceptions().forEach(exception -> keys.add(exception.key()));
        example.authorities().forEach(authority -> keys.add(authority.key()));
        assertThat(keys).contains("customer-center", "privacy-requests", "user.content.receipt", "website");

        List<String> found = new ArrayList<>();
        try (Stream<Path> sources = Files.walk(Path.of("src", "main", "java"))) {
            for (Path source : sources.filter(path -> path.toString().endsWith(".java")).toList()) {
                String code = Files.readString(source);
                keys.stream().filter(key -> code.contains("\"" + key + "\""))
                        .forEach(key -> found.add(source + ": \"" + key + "\""));
            }
        }
        assertThat(found).isEmpty();
    }
}
