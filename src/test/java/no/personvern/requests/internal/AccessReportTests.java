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
                "<li><strong>Delivery &lt;script&gt;</strong>: Providing the service (contract, GDPR Art. 6(1)(b))</li>",
                "<ul><li>Name</li></ul>", "<ul><li>None</li></ul>",
                "Transfers outside the EEA and safeguards (Art. 15(2)): none</p>",
                "<li>Delivery &lt;script&gt;: while the contract runs</li>", "You can complain to Datatilsynet",
                "<ul><li>go</li></ul>", "We make no decisions about you based solely on automated processing.")
                .doesNotContain("<script>", "Disclosures of your data", "Opplysninger", "bokstav a)</small></h2>\n<ul></ul>");
    }
}
