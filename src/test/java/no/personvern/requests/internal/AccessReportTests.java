package no.personvern.requests.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
import no.personvern.catalog.DataSystem;
import no.personvern.catalog.MailingList;
import no.personvern.catalog.TransferMechanism;
import no.personvern.consent.ConsentRecord;
import no.personvern.disclosures.Disclosure;
import no.personvern.disclosures.DisclosureBasis;
import no.personvern.requests.RequestStatus;
import no.personvern.subjects.DocumentInfo;
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

    /**
     * A person with every kind of thing a report shows: values and documents under an activity and
     * under none the catalog knows, lists, consents given and withdrawn, a request in every status,
     * a disclosure on every basis, what was withheld, and identities of every kind.
     */
    private AccessReport.Held everything() {
        SubjectView hostile = hostile();
        when(catalog.list("news")).thenReturn(Optional.of(new MailingList("news",
                new LocalizedText("Nyhetsbrev", "Newsletter"), "go", "service")));
        when(catalog.requestHandling()).thenReturn(new Catalog.Source("go", "gone"));
        when(catalog.system("crm")).thenReturn(Optional.of(new DataSystem("crm",
                new LocalizedText("Kunderegister", "Customer register"), null, null)));
        for (Language language : Language.values()) {
            when(taxonomy.categoryName("user.contact", language)).thenReturn("contact-" + language.code());
        }
        Instant at = Instant.parse("2026-02-10T10:00:00Z");
        List<SubjectView.StoredValue> values = new ArrayList<>(hostile.data());
        values.add(new SubjectView.StoredValue("user.contact", "Storgata 1", "crm", "gone", List.of(), at, null));
        List<DocumentInfo> documents = new ArrayList<>(hostile.documents());
        documents.add(new DocumentInfo(UUID.randomUUID(), "scan", "crm", "gone", "user.contact", "application/pdf",
                3 * 1024 * 1024 + 100, at, null));
        SubjectView person = new SubjectView(hostile.id(), new SubjectView.IdentityView("kari@example.no", "+4791234567",
                Map.of("crm", "C-1"), List.of("x{1}@example.no"), List.of("+4790000000"),
                List.of(new SubjectView.Unverified("email", null, "ny@example.no"))), values, documents);
        List<PackageBuilder.PackageData.PastRequest> requests = new ArrayList<>();
        for (RequestStatus status : RequestStatus.values()) {
            requests.add(new PackageBuilder.PackageData.PastRequest(UUID.randomUUID().toString(), "access",
                    status.key(), "web", "2026-01-02T10:00:00Z", "2026-02-02T10:00:00Z"));
        }
        List<Disclosure> disclosed = new ArrayList<>();
        for (DisclosureBasis basis : DisclosureBasis.values()) {
            disclosed.add(new Disclosure(UUID.randomUUID(), person.id(), "r", "Mottaker AS", List.of("user.name"), basis,
                    basis.toAuthority() ? "REF-1" : null, null, at));
        }
        List<ConsentRecord> consents = List.of(
                new ConsentRecord(UUID.randomUUID(), person.id(), null, "essential.service", true, "web-form", null,
                        "1", at, null, "h", "service"),
                new ConsentRecord(UUID.randomUUID(), person.id(), null, "essential.service", false, "web-form", null,
                        "1", at, "h", "i", null),
                new ConsentRecord(UUID.randomUUID(), person.id(), null, "essential.service", false, "web-form", null,
                        "1", at, "i", "j", "gone"));
        return new AccessReport.Held(person, disclosed, consents, List.of("news", "old"), Map.of(), requests,
                List.of(new PackageBuilder.Withheld("category:user.name", "the rights of others"),
                        new PackageBuilder.Withheld("disclosure:" + UUID.randomUUID(), "an ongoing investigation")),
                at, "portability");
    }

    @Test
    void theHeadingsGoDownOneLevelAtATimeInBothLanguages() {
        AccessReport.Held held = everything();
        AccessReport report = new AccessReport(catalog);
        for (Language language : Language.values()) {
            String html = report.render(held, language);
            List<Integer> levels = new ArrayList<>();
            Matcher heading = Pattern.compile("<h([1-6])[\\s>]").matcher(html);
            while (heading.find()) {
                levels.add(Integer.parseInt(heading.group(1)));
            }
            assertThat(levels).as("every level of heading is there, h1 once and first (%s)", language)
                    .contains(1, 2, 3, 4).startsWith(1).containsOnlyOnce(1);
            for (int i = 1; i < levels.size(); i++) {
                assertThat(levels.get(i)).as("heading %d of %s in %s comes after an h%d", i + 1, levels, language,
                        levels.get(i - 1)).isLessThanOrEqualTo(levels.get(i - 1) + 1);
            }
            assertThat(html).as("what no activity claims, under its own h2 (%s)", language)
                    .contains("<h3 id=\"other-values\">", "<h3 id=\"other-documents\">", "<h3 id=\"other-lists\">",
                            "<h3 id=\"other-consents\">", "<h3 id=\"other-requests\">", "<h4 id=\"use-1-values\">");
        }
    }

    @Test
    void everyTextOfTheReportComesFromBothBundlesAndNoneIsMissing() throws Exception {
        Map<Language, java.util.Properties> bundles = new java.util.HashMap<>();
        for (Language language : Language.values()) {
            java.util.Properties bundle = new java.util.Properties();
            try (var in = getClass().getResourceAsStream("/requests/report_" + language.code() + ".properties")) {
                bundle.load(new java.io.InputStreamReader(in, StandardCharsets.UTF_8));
            }
            bundles.put(language, bundle);
        }
        Set<String> used = new LinkedHashSet<>();
        for (String template : List.of("report.html", "report-parts.html")) {
            String text = Files.readString(Path.of("src/main/resources/templates/requests", template));
            Matcher key = Pattern.compile("\\bt(?:\\.([A-Za-z0-9_]+)|\\['([^']+)'])").matcher(text);
            while (key.find()) {
                used.add(key.group(1) != null ? key.group(1) : key.group(2));
            }
        }
        String java = Files.readString(Path.of("src/main/java/no/personvern/requests/internal/AccessReport.java"));
        Matcher literal = Pattern.compile("(?:say|getOrDefault)\\(t?,? ?\"([^\"]+)\"[,)]").matcher(java);
        while (literal.find()) {
            used.add(literal.group(1));
        }
        assertThat(used).as("keys found in the templates and the code").contains("heading", "point.a",
                "valuesCaption", "identity.email", "withheld.disclosure", "article");
        for (LegalBasis basis : LegalBasis.values()) {
            used.add("basis." + basis.key());
        }
        for (TransferMechanism mechanism : TransferMechanism.values()) {
            used.add("mechanism." + mechanism.key());
        }
        for (RequestStatus status : RequestStatus.values()) {
            used.add("status." + status.key());
        }
        for (DisclosureBasis basis : DisclosureBasis.values()) {
            used.add("disclosureBasis." + basis.key());
        }
        for (Language language : Language.values()) {
            assertThat(bundles.get(language).stringPropertyNames()).as("report_%s.properties", language.code())
                    .containsAll(used);
        }

        AccessReport.Held held = everything();
        AccessReport report = new AccessReport(catalog);
        String en = report.render(held, Language.EN);
        String nb = report.render(held, Language.NB);
        for (String html : List.of(en, nb)) {
            assertThat(html.replace("x{1}@example.no", "")).as("no text missing, no place left unfilled")
                    .doesNotContain("??", "null", "{0}", "{1}");
        }
        assertThat(en).contains("E-mail: kari@example.no", "E-mail: x{1}@example.no", "Phone: +4790000000",
                "Id in Customer register: C-1", "ny@example.no (not confirmed)", "3.0 MB", "2.0 kB", "refused",
                "locked after wrong codes", "data processing agreement)", "court order, REF-1)", "regulation, REF-1)",
                "A disclosure of your data: an ongoing investigation",
                "name-en: the rights of others", "(Art. 15(1)(a))", "Your consent (GDPR Art. 6(1)(a))");
        assertThat(nb).contains("E-post: kari@example.no", "E-post: x{1}@example.no", "Telefon: +4791234567",
                "Id hos Kunderegister: C-1", "ny@example.no (ikke bekreftet)", "3,0 MB", "2,0 kB", "avslått",
                "slått sammen med en annen", "databehandleravtale)", "rettslig kjennelse, REF-1)", "lov, REF-1)",
                "En utlevering av opplysninger: an ongoing investigation", "(art. 15 nr. 1 bokstav h)",
                "Samtykke fra deg (personvernforordningen art. 6 nr. 1 bokstav a)");
    }
}
