package no.personvern.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import no.personvern.Personvern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/** A broken catalog stops start-up with a report naming the file, the line and the value. */
@ExtendWith(OutputCaptureExtension.class)
class CatalogStartupTests {

    @Test
    void aBrokenCatalogStopsStartUpNamingFileLineAndValue(@TempDir Path directory, CapturedOutput output)
            throws IOException {
        String example;
        try (InputStream in = getClass().getResourceAsStream("/catalog/example-catalog.yaml")) {
            example = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        Path catalog = directory.resolve("catalog.yaml");
        Files.writeString(catalog, example.replaceFirst("user.account.username", "user.nonexistent.thing"));
        int line = 1 + (int) example.lines().takeWhile(l -> !l.contains("user.account.username")).count();

        assertThatThrownBy(() -> new SpringApplicationBuilder(Personvern.class)
                .run("--personvern.catalog=" + catalog, "--personvern.data-dir=" + directory, "--server.port=0",
                        "--spring.datasource.url=jdbc:h2:mem:broken;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE"))
                .hasRootCauseInstanceOf(CatalogInvalidException.class);

        assertThat(output.getOut() + output.getErr())
                .contains("The catalog is not valid:")
                .contains(catalog + ":" + line + ": unknown data category 'user.nonexistent.thing'");
    }

    @Test
    void aGapThatWouldOnlyShowAtRunTimeStopsStartUpNamingWhatToAdd(@TempDir Path directory, CapturedOutput output)
            throws IOException {
        String second;
        try (InputStream in = getClass().getResourceAsStream("/catalogs/second.yaml")) {
            second = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        Path catalog = directory.resolve("catalog.yaml");
        Files.writeString(catalog, second.replaceFirst("    documents: \\{[^}]*}\n", ""));
        int line = 1 + (int) second.lines().takeWhile(l -> !l.contains("- key: expense-capture")).count();

        assertThatThrownBy(() -> new SpringApplicationBuilder(Personvern.class)
                .run("--personvern.catalog=" + catalog, "--personvern.data-dir=" + directory, "--server.port=0",
                        "--spring.datasource.url=jdbc:h2:mem:gap;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE"))
                .hasRootCauseInstanceOf(CatalogInvalidException.class);

        assertThat(output.getOut() + output.getErr()).contains(catalog + ":" + line + ": activity 'expense-capture'"
                + " declares several user.content categories", "add documents: {image: <category>, travel: <category>,"
                + " voucher: <category>}");
    }
}
