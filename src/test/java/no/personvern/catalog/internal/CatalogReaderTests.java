package no.personvern.catalog.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import no.personvern.catalog.Activity;
import no.personvern.catalog.Catalog;
import no.personvern.catalog.CatalogInvalidException;
import no.personvern.catalog.IsoPeriod;
import no.personvern.catalog.LegalBasis;
import no.personvern.catalog.RetentionRule.Trigger;
import no.personvern.catalog.Role;
import no.personvern.catalog.Taxonomy;
import org.junit.jupiter.api.Test;

class CatalogReaderTests {

    private static final Taxonomy FIDESLANG = Taxonomy.fideslang();
    private static final String EXAMPLE = example();

    @Test
    void theExampleCatalogReproducesTheSeed() {
        Catalog catalog = read(EXAMPLE);

        assertThat(catalog.controller().email()).isEqualTo("firmapost@poweroffice.no");
        assertThat(catalog.controller().phone()).isEqualTo("755 00 670");
        assertThat(catalog.controller().visitingAddress()).isEqualTo("Torvgata 2, 8006 Bodø");
        assertThat(catalog.controller().postalAddress()).isEqualTo("Postboks 404, 8001 Bodø");
        assertThat(catalog.systems()).extracting("key")
                .contains("go", "win", "go-mobile", "website", "newsletter", "courses", "customer-center");

        Activity uploads = catalog.activity("mobile-uploads").orElseThrow();
        assertThat(uploads.systems()).containsExactly("go-mobile");
        assertThat(uploads.retention().trigger()).isEqualTo(Trigger.COLLECTION);
        assertThat(uploads.retention().after()).hasToString("P3M");

        assertThat(catalog.activity("service-delivery").orElseThrow().retention().trigger())
                .isEqualTo(Trigger.CONTRACT_END);
        assertThat(catalog.activity("newsletter").orElseThrow().retention().trigger()).isEqualTo(Trigger.WITHDRAWAL);
        assertThat(catalog.activity("course-invitations").orElseThrow().legalBasis()).isEqualTo(LegalBasis.CONSENT);
        assertThat(catalog.activity("website-statistics").orElseThrow().retention().trigger())
                .isEqualTo(Trigger.NEXT_VISIT);
        assertThat(catalog.activity("campaign-pixels").orElseThrow().legalBasis()).isEqualTo(LegalBasis.CONSENT);
        assertThat(catalog.activity("legal-disclosure").orElseThrow().legalBasis())
                .isEqualTo(LegalBasis.LEGAL_OBLIGATION);
        assertThat(catalog.activity("customer-ledgers").orElseThrow().role()).isEqualTo(Role.PROCESSOR);
        assertThat(catalog.processors()).allSatisfy(processor -> assertThat(processor.dpa()).isNotNull());
        assertThat(catalog.retentionExceptions()).singleElement()
                .satisfies(exception -> assertThat(exception.law()).isEqualTo("bokføringsloven § 13"));
    }

    @Test
    void anUnknownDataCategoryNamesFileLineAndValue() {
        assertProblem(EXAMPLE.replaceFirst("user.account.username", "user.nonexistent.thing"),
                "user.nonexistent.thing", "unknown data category 'user.nonexistent.thing'");
    }

    @Test
    void anUnknownPurposeIsRefused() {
        assertProblem(EXAMPLE.replaceFirst("essential.fraud_detection", "essential.selling_data"),
                "essential.selling_data", "unknown data use 'essential.selling_data'");
    }

    @Test
    void anUnknownLegalBasisIsRefused() {
        assertProblem(EXAMPLE.replaceFirst("legalBasis: legitimate_interests", "legalBasis: because_we_can"),
                "because_we_can", "unknown legal basis 'because_we_can'");
    }

    @Test
    void anUnknownDataSubjectIsRefused() {
        assertProblem(EXAMPLE.replaceFirst("dataSubjects: \\[visitor\\]", "dataSubjects: [martian]"),
                "martian", "unknown data subject 'martian'");
    }

    @Test
    void anUnknownSystemIsRefused() {
        assertProblem(EXAMPLE.replaceFirst("systems: \\[go-mobile\\]", "systems: [go-tablet]"),
                "go-tablet", "unknown system 'go-tablet'");
    }

    @Test
    void anUnknownProcessorIsRefused() {
        assertProblem(EXAMPLE.replaceFirst("recipients: \\[mail-delivery\\]", "recipients: [data-broker]"),
                "data-broker", "unknown processor 'data-broker'");
    }

    @Test
    void aDuplicateKeyIsRefused() {
        String duplicated = EXAMPLE.replaceFirst("- key: fraud-prevention", "- key: service-delivery");
        assertThatThrownBy(() -> read(duplicated))
                .isInstanceOf(CatalogInvalidException.class)
                .hasMessageContaining("catalog.yaml:" + lineOf(duplicated, "- key: service-delivery", 2)
                        + ": duplicate activity key 'service-delivery' (first declared on line "
                        + lineOf(duplicated, "- key: service-delivery", 1) + ")");
    }

    @Test
    void aMalformedDurationIsRefused() {
        assertProblem(EXAMPLE.replaceFirst("after: P3M", "after: 3 months"),
                "after: 3 months", "malformed ISO-8601 duration '3 months'");
    }

    @Test
    void aMissingRequiredFieldIsRefused() {
        String missing = EXAMPLE.replaceFirst("    legalBasis: contract\n", "");
        assertThatThrownBy(() -> read(missing))
                .isInstanceOf(CatalogInvalidException.class)
                .hasMessageContaining("missing required field 'legalBasis' in activity 'service-delivery'")
                .hasMessageContaining("catalog.yaml:" + lineOf(missing, "- key: service-delivery", 1) + ":");
    }

    @Test
    void aMisspelledFieldIsRefusedRatherThanIgnored() {
        assertProblem(EXAMPLE.replaceFirst("retention: \\{after: P3M\\}", "retention: {after: P3M}\n    retension: P1Y"),
                "retension", "unknown field 'retension' in activity 'mobile-uploads'");
    }

    @Test
    void aTransferOutsideTheEeaNeedsASafeguard() {
        assertProblem(EXAMPLE.replaceFirst("countries: \\[SE\\]", "countries: [SE, IN]"),
                "transferMechanism: none", "processes in IN outside the EEA", 2);
        Catalog catalog = read(EXAMPLE.replaceFirst("countries: \\[SE\\]\n    transferMechanism: none",
                "countries: [SE, IN]\n    transferMechanism: scc"));
        assertThat(catalog.processor("mail-delivery").orElseThrow().countries()).containsExactly("SE", "IN");
    }

    @Test
    void adequacyCoversOnlyCountriesWithAnAdequacyDecision() {
        String catalog = EXAMPLE.replaceFirst("countries: \\[SE\\]\n    transferMechanism: none",
                "countries: [CN]\n    transferMechanism: adequacy");
        assertProblem(catalog, "transferMechanism: adequacy", "CN, which has no adequacy decision");
    }

    @Test
    void environmentVariablesAreSubstituted() {
        String withVariable = EXAMPLE.replaceFirst("name: PowerOffice AS", "name: \\${COMPANY_NAME}");
        Catalog catalog = CatalogReader.read("catalog.yaml", new StringReader(withVariable),
                Map.of("COMPANY_NAME", "Eksempel AS")::get, FIDESLANG);
        assertThat(catalog.controller().name()).isEqualTo("Eksempel AS");

        String withDefault = EXAMPLE.replaceFirst("name: PowerOffice AS", "name: \\${COMPANY_NAME:-Standard AS}");
        assertThat(read(withDefault).controller().name()).isEqualTo("Standard AS");

        assertProblem(withVariable, "COMPANY_NAME", "environment variable 'COMPANY_NAME' is not set");
    }

    @Test
    void invalidYamlNamesTheLine() {
        String broken = EXAMPLE.replaceFirst("    role: processor\n", "    role: [processor\n");
        assertThatThrownBy(() -> read(broken))
                .isInstanceOf(CatalogInvalidException.class)
                .hasMessageStartingWith("catalog.yaml:")
                .hasMessageContaining("not valid YAML");
    }

    @Test
    void everyProblemIsReportedAtOnce() {
        String twoProblems = EXAMPLE.replaceFirst("user.account.username", "user.nope")
                .replaceFirst("after: P3M", "after: soon");
        assertThatThrownBy(() -> read(twoProblems))
                .isInstanceOfSatisfying(CatalogInvalidException.class, e -> assertThat(e.problems()).hasSize(2));
    }

    @Test
    void isoPeriodsAreParsedStrictly() {
        assertThat(IsoPeriod.parse("P3M")).hasValueSatisfying(p -> assertThat(p.period().getMonths()).isEqualTo(3));
        assertThat(IsoPeriod.parse("P1Y6M")).map(IsoPeriod::toString).hasValue("P1Y6M");
        assertThat(IsoPeriod.parse("P1DT12H")).map(IsoPeriod::toString).hasValue("P1DT12H");
        assertThat(IsoPeriod.parse("PT30S")).map(IsoPeriod::toString).hasValue("PT30S");
        assertThat(IsoPeriod.parse("P")).isEmpty();
        assertThat(IsoPeriod.parse("PT")).isEmpty();
        assertThat(IsoPeriod.parse("3M")).isEmpty();
        assertThat(IsoPeriod.parse("P3X")).isEmpty();
        assertThat(IsoPeriod.parse("P5Y").orElseThrow().describe(no.personvern.catalog.Language.NB)).isEqualTo("5 år");
        assertThat(IsoPeriod.parse("P3M").orElseThrow().describe(no.personvern.catalog.Language.EN))
                .isEqualTo("3 months");
    }

    private static void assertProblem(String yaml, String lineMarker, String message) {
        assertProblem(yaml, lineMarker, message, 1);
    }

    private static void assertProblem(String yaml, String lineMarker, String message, int occurrence) {
        assertThatThrownBy(() -> read(yaml))
                .isInstanceOf(CatalogInvalidException.class)
                .hasMessageContaining("catalog.yaml:" + lineOf(yaml, lineMarker, occurrence) + ": ")
                .hasMessageContaining(message);
    }

    private static Catalog read(String yaml) {
        return CatalogReader.read("catalog.yaml", new StringReader(yaml), name -> null, FIDESLANG);
    }

    /** The 1-based line of the n-th line containing {@code marker}. */
    private static int lineOf(String yaml, String marker, int occurrence) {
        String[] lines = yaml.split("\n", -1);
        int seen = 0;
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].contains(marker) && ++seen == occurrence) {
                return i + 1;
            }
        }
        throw new AssertionError("no line with " + marker);
    }

    private static String example() {
        try (InputStream in = CatalogReaderTests.class.getResourceAsStream("/catalog/example-catalog.yaml")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
