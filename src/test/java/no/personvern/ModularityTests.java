package no.personvern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.modulith.core.ApplicationModule;
import org.springframework.modulith.core.ApplicationModules;
import org.springframework.modulith.docs.Documenter;

class ModularityTests {

    private static final Path DOCS = Path.of("docs/modules");

    private final ApplicationModules modules = ApplicationModules.of(Personvern.class);

    @Test
    void modulesOnlyUseTheApiOfTheModulesTheyDeclare() {
        assertThatCode(modules::verify).doesNotThrowAnyException();
    }

    @Test
    void everyCapabilityIsAModuleDirectlyUnderTheBasePackage() {
        assertThat(modules.stream().map(ApplicationModule::getBasePackage).map(p -> p.getName()))
                .allSatisfy(name -> assertThat(name).matches("no\\.personvern\\.[a-z]+"))
                .contains("no.personvern.catalog", "no.personvern.subjects", "no.personvern.consent",
                        "no.personvern.tracking", "no.personvern.requests", "no.personvern.retention",
                        "no.personvern.disclosures", "no.personvern.audit", "no.personvern.security",
                        "no.personvern.web", "no.personvern.mail");
    }

    /**
     * The documentation in {@code docs/modules/} is written with its lists sorted, so that it changes only when
     * the modules do, not with the order in which classes happen to be scanned.
     */
    @Test
    void writesModuleDocumentationToDocsModulesTheSameEveryTime(@TempDir Path again) throws IOException {
        write(DOCS);
        write(again);

        Map<String, String> written = contents(DOCS);
        assertThat(written).containsKeys("components.puml", "module-requests.adoc", "module-subjects.puml");
        assertThat(contents(again)).isEqualTo(written);
    }

    private void write(Path folder) {
        new Documenter(modules, Documenter.Options.defaults().withOutputFolder(folder.toString()))
                .writeModulesAsPlantUml()
                .writeIndividualModulesAsPlantUml()
                .writeModuleCanvases();
        try (Stream<Path> files = Files.list(folder)) {
            files.filter(Files::isRegularFile).forEach(ModularityTests::sortLists);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Map<String, String> contents(Path folder) throws IOException {
        Map<String, String> contents = new TreeMap<>();
        try (Stream<Path> files = Files.list(folder)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                contents.put(file.getFileName().toString(), Files.readString(file));
            }
        }
        return contents;
    }

    private static void sortLists(Path file) {
        try {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            List<String> sorted = file.toString().endsWith(".adoc") ? sortCanvasItems(lines) : sortRelations(lines);
            Files.write(file, sorted, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** PlantUML: each run of consecutive {@code Rel(…)} lines, sorted. */
    static List<String> sortRelations(List<String> lines) {
        List<String> out = new ArrayList<>();
        List<String> run = new ArrayList<>();
        for (String line : lines) {
            if (line.startsWith("Rel(")) {
                run.add(line);
                continue;
            }
            run.sort(null);
            out.addAll(run);
            run.clear();
            out.add(line);
        }
        run.sort(null);
        out.addAll(run);
        return out;
    }

    /**
     * A module canvas (AsciiDoc table): the items of each list in a cell ({@code * `type` -- description}, a
     * description possibly continued over several lines), sorted; the first item of a cell on the cell's own line.
     */
    static List<String> sortCanvasItems(List<String> lines) {
        List<String> out = new ArrayList<>();
        List<List<String>> items = new ArrayList<>();
        boolean startsCell = false;
        for (String line : lines) {
            boolean cellStart = line.startsWith("|");
            boolean heading = line.matches("_[A-Za-z ]+_");
            if (cellStart || heading) {
                boolean listEnds = !items.isEmpty();
                startsCell = flush(items, startsCell, out);
                if (heading && listEnds) {
                    out.add("");
                }
            }
            if (line.equals("|")) {
                startsCell = true;
            } else if (line.startsWith("|* ")) {
                startsCell = true;
                items.add(new ArrayList<>(List.of(line.substring(1))));
            } else if (line.startsWith("* ")) {
                items.add(new ArrayList<>(List.of(line)));
            } else if (!items.isEmpty()) {
                items.get(items.size() - 1).add(line);
            } else {
                startsCell = flush(items, startsCell, out);
                out.add(line);
            }
        }
        flush(items, startsCell, out);
        return out;
    }

    /** Writes the list gathered so far, sorted; answers whether a cell still waits for its first line. */
    private static boolean flush(List<List<String>> items, boolean startsCell, List<String> out) {
        if (items.isEmpty()) {
            if (startsCell) {
                out.add("|");
            }
            return false;
        }
        items.forEach(ModularityTests::dropTrailingBlanks);
        items.sort((a, b) -> a.get(0).compareTo(b.get(0)));
        boolean first = true;
        for (List<String> item : items) {
            out.add(first && startsCell ? "|" + item.get(0) : item.get(0));
            out.addAll(item.subList(1, item.size()));
            first = false;
        }
        items.clear();
        return false;
    }

    private static void dropTrailingBlanks(List<String> item) {
        while (item.size() > 1 && item.get(item.size() - 1).isBlank()) {
            item.remove(item.size() - 1);
        }
    }
}
