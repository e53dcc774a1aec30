package no.personvern.requests.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import no.personvern.catalog.Activity;
import no.personvern.catalog.Catalog;
import no.personvern.catalog.ControllerDetails;
import no.personvern.catalog.Language;
import no.personvern.catalog.LegalBasis;
import no.personvern.catalog.LocalizedText;
import no.personvern.catalog.RetentionRule;
import no.personvern.catalog.Taxonomy;
import no.personvern.subjects.SubjectView;
import org.junit.jupiter.api.Test;

class AccessReportTests {

    private final Catalog catalog = mock(Catalog.class);
    private final Activity activity = mock(Activity.class);
    private final Taxonomy taxonomy = mock(Taxonomy.class);
    private final RetentionRule retention = mock(RetentionRule.class);

    @Test
    void theReportIsInThePersonsLanguageAndEscapesWhatTheCatalogSays() {
        when(catalog.controller()).thenReturn(new ControllerDetails("Firma <b>& Co</b>", "123", "personvern@firma.no",
                null, null, null, List.of(), null,
                new ControllerDetails.SupervisoryAuthority("Datatilsynet", "https://www.datatilsynet.no")));
        when(catalog.activity("service")).thenReturn(Optional.of(activity));
        when(catalog.taxonomy()).thenReturn(taxonomy);
        when(catalog.system("go")).thenReturn(Optional.empty());
        when(activity.name()).thenReturn(new LocalizedText("Levering", "Delivery <script>"));
        when(activity.purposes()).thenReturn(List.of("essential.service"));
        when(activity.legalBasis()).thenReturn(LegalBasis.CONTRACT);
        when(activity.recipients()).thenReturn(List.of());
        when(activity.recipientCategories()).thenReturn(List.of());
        when(activity.retention()).thenReturn(retention);
        when(catalog.retentionText(activity, Language.EN)).thenReturn("while the contract runs");
        when(taxonomy.useName("essential.service", Language.EN)).thenReturn("Providing the service");
        when(taxonomy.categoryName("user.name", Language.EN)).thenReturn("Name");
        SubjectView person = new SubjectView(UUID.randomUUID(),
                new SubjectView.IdentityView("kari@example.no", null, Map.of(), List.of(), List.of(), List.of()),
                List.of(new SubjectView.StoredValue("user.name", "Kari", "go", "service", List.of("essential.service"),
                        Instant.parse("2026-01-15T10:00:00Z"), null)),
                List.of());

        String html = new AccessReport(catalog).render(person, List.of(), Language.EN);

        assertThat(html).contains("<html lang=\"en\">", "<title>Access – Firma &lt;b&gt;&amp; Co&lt;/b&gt;</title>",
                "<h1>The data we hold about you</h1>",
                "<li><strong>Delivery &lt;script&gt;</strong>: Providing the service (Needed to fulfil a contract with you,"
                        + " GDPR Art. 6(1)(b))</li>",
                "<ul><li>Name</li></ul>", "<ul><li>None</li></ul>",
                "Transfers outside the EEA and safeguards (Art. 15(2)): none</p>",
                "<li>Delivery &lt;script&gt;: while the contract runs</li>", "You can complain to Datatilsynet",
                "<ul><li>go</li></ul>", "We make no decisions about you based solely on automated processing.")
                .doesNotContain("<script>", "Disclosures of your data", "Opplysninger", "(Art. 15(1)(a))</small></h3>\n<ul></ul>");
    }

    private SubjectView hostile() {
        when(catalog.controller()).thenReturn(new ControllerDetails("Firma AS", "123", "personvern@firma.no",
                null, null, null, List.of(), null,
                new ControllerDetails.SupervisoryAuthority("Datatilsynet", "https://www.datatilsynet.no")));
        when(catalog.activity("service")).thenReturn(Optional.of(activity));
        when(catalog.activities()).thenReturn(List.of(activity));
        when(catalog.taxonomy()).thenReturn(taxonomy);
        when(catalog.system("go")).thenReturn(Optional.empty());
        when(catalog.processor("mailer")).thenReturn(Optional.of(new no.personvern.catalog.Processor("mailer",
                "Postverk Inc", new LocalizedText("e-postutsending", "sending e-mail"), List.of("NO", "US"),
                no.personvern.catalog.TransferMechanism.SCC, null, List.of(), List.of(), null)));
        when(activity.key()).thenReturn("service");
        when(activity.name()).thenReturn(new LocalizedText("Levering", "Delivery"));
        when(activity.description()).thenReturn(new LocalizedText("Vi leverer tjenesten", "We deliver the service"));
        when(activity.purposes()).thenReturn(List.of("essential.service"));
        when(activity.legalBasis()).thenReturn(LegalBasis.CONSENT);
        when(activity.recipients()).thenReturn(List.of("mailer"));
        when(activity.recipientCategories()).thenReturn(List.of(new LocalizedText("Revisor", "Auditor")));
        when(activity.sources()).thenReturn(List.of(new LocalizedText("Arbeidsgiveren din", "Your employer")));
        for (Language language : Language.values()) {
            when(catalog.retentionText(activity, language)).thenReturn("retention-" + language.code());
            when(taxonomy.useName("essential.service", language)).thenReturn("use-" + language.code());
            when(taxonomy.categoryName("user.name", language)).thenReturn("name-" + language.code());
            when(taxonomy.categoryName("user.content.image", language)).thenReturn("image-" + language.code());
        }
        UUID document = UUID.fromString("00000000-0000-0000-0000-00000000000d");
        return new SubjectView(UUID.randomUUID(),
                new SubjectView.IdentityView("kari@example.no", null, Map.of(), List.of(), List.of(), List.of()),
                List.of(new SubjectView.StoredValue("user.name", "<script>alert(1)</script>", "go", "service",
                                List.of("essential.service"), Instant.parse("2026-01-15T23:30:00Z"), null),
                        new SubjectView.StoredValue("user.name", "\"><img src=x onerror=alert(1)>", "go", "service",
                                List.of("essential.service"), Instant.parse("2026-01-15T10:00:00Z"), "disputed")),
                List.of(new no.personvern.subjects.DocumentInfo(document, "image", "go", "service",
                        "user.content.image", "image/png", 2048, Instant.parse("2026-02-01T10:00:00Z"), null)));
    }

    @Test
    void eachValueStandsUnderItsUseWithBasisRecipientsRetentionAndSourceEscapedAndStyledInline() {
        SubjectView person = hostile();
        AccessReport report = new AccessReport(catalog);
        UUID document = person.documents().get(0).id();
        AccessReport.Held held = new AccessReport.Held(person, List.of(), List.of(new no.personvern.consent
                .ConsentRecord(UUID.randomUUID(), person.id(), null, "essential.service", true, "web-form", null, "1",
                        Instant.parse("2026-01-20T10:00:00Z"), null, "h", "service")), List.of(),
                Map.of(document, "documents/" + document + ".png"), List.of(), List.of(),
                Instant.parse("2026-03-31T22:30:00Z"), "access");

        String en = report.render(held, Language.EN);
        String nb = report.render(held, Language.NB);

        for (String html : List.of(en, nb)) {
            assertThat(html).as("person-controlled values appear as text")
                    .contains("&lt;script&gt;alert(1)&lt;/script&gt;", "&quot;&gt;&lt;img src=x onerror=alert(1)&gt;")
                    .doesNotContain("<script", "<img", "<link", "@import", "http://localhost");
            assertThat(html).as("the privacy centre's stylesheet, inline").contains("<style>", "--accent: #0b4fa8;",
                    "dl.facts", ".table-wrap");
            assertThat(html).contains("<th scope=\"col\">", "<a href=\"documents/" + document + ".png\">",
                    "2.0 kB".replace(".", html == nb ? "," : "."), "Postverk Inc", "Datatilsynet",
                    "<a href=\"https://www.datatilsynet.no\">", "personvern@firma.no");
        }
        String group = en.substring(en.indexOf("<h3 id=\"use-1\">Delivery</h3>"), en.indexOf("</section>"));
        assertThat(group).contains("We deliver the service", "use-en",
                "Your consent (GDPR Art. 6(1)(a))", "Postverk Inc – sending e-mail (NO, US)", "Auditor",
                "Postverk Inc: US – the EU standard contractual clauses (Art. 46(2)(c))", "retention-en",
                "Your employer", "Art. 7(3)", "name-en", "&lt;script&gt;alert(1)&lt;/script&gt;",
                "16 January 2026", "(restricted: stored, not used)", "Image", "image-en", "1 February 2026");
        assertThat(en).contains("<html lang=\"en\">", "This package was made on 1 April 2026.", "How to read this",
                "Contents", "<a href=\"#use-1\">Delivery</a>", "Your rights and how to use them", "Art. 22",
                "Complaint to the supervisory authority", "(Art. 15(1)(h))", "Art. 15(2)")
                .doesNotContain("We hold nothing else about you", "Opplysningene");
        String gruppe = nb.substring(nb.indexOf("<h3 id=\"use-1\">Levering</h3>"), nb.indexOf("</section>"));
        assertThat(gruppe).contains("Vi leverer tjenesten", "use-nb",
                "Samtykke fra deg (personvernforordningen art. 6 nr. 1 bokstav a)", "e-postutsending", "Revisor",
                "EUs standardkontrakter", "retention-nb", "Arbeidsgiveren din", "name-nb", "16.1.2026", "Bilde");
        assertThat(nb).contains("<html lang=\"nb\">", "Pakken ble laget 1.4.2026.", "Slik leser du dette",
                "Dine rettigheter og hvordan du bruker dem", "(art. 15 nr. 1 bokstav h)", "Klage til tilsynsmyndigheten")
                .doesNotContain("How to read this");
    }

    @Test
    void aPersonWithNothingHeldIsToldSoInTheirLanguage() {
        hostile();
        SubjectView nobody = new SubjectView(UUID.randomUUID(),
                new SubjectView.IdentityView("ingen@example.no", null, Map.of(), List.of(), List.of(), List.of()),
                List.of(), List.of());
        AccessReport report = new AccessReport(catalog);

        assertThat(report.render(nobody, List.of(), Language.EN)).contains("We hold nothing else about you",
                "ingen@example.no", "We make no decisions about you based solely on automated processing.")
                .doesNotContain("<h3 id=\"use-");
        assertThat(report.render(nobody, List.of(), Language.NB)).contains("Vi har ingen andre opplysninger om deg",
                "Vi tar ingen avgjørelser om deg som bare bygger på automatisert behandling.");
    }

    @Test
    void bothLanguagesHaveTheSameTexts() throws Exception {
        java.util.Properties nb = new java.util.Properties();
        java.util.Properties en = new java.util.Properties();
        try (var a = getClass().getResourceAsStream("/requests/report_nb.properties");
                var b = getClass().getResourceAsStream("/requests/report_en.properties")) {
            nb.load(new java.io.InputStreamReader(a, java.nio.charset.StandardCharsets.UTF_8));
            en.load(new java.io.InputStreamReader(b, java.nio.charset.StandardCharsets.UTF_8));
        }
        assertThat(nb.stringPropertyNames()).isNotEmpty().isEqualTo(en.stringPropertyNames());
    }
}
