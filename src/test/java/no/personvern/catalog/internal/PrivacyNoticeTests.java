package no.personvern.catalog.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.time.Period;
import java.util.List;
import java.util.stream.Stream;
import no.personvern.catalog.Catalog;
import no.personvern.catalog.Language;
import no.personvern.catalog.PrivacyNotice;
import no.personvern.catalog.Taxonomy;
import no.personvern.catalog.WebsiteTerms;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/**
 * The notice generated from the example catalog covers every statement of the seed (S1–S19) in
 * both languages, and what Art. 13 requires beyond the seed.
 */
class PrivacyNoticeTests {

    private static final Catalog CATALOG = example();
    private static final NoticeService NOTICES = new NoticeService(CATALOG);

    /** Each seed statement, the section that covers it, and phrases of that section in English and Norwegian. */
    static Stream<Arguments> seedStatements() {
        return Stream.of(
                s("S1", "controller", List.of("both as data controller and as data processor", "Regulation (EU) 2016/679"),
                        List.of("både som behandlingsansvarlig og som databehandler", "forordning (EU) 2016/679")),
                // S2 corrected (Art. 14): users whom an employer registers get their data from it, and the source is named.
                s("S2", "data-we-register", List.of("data that you give us yourself, data about how you use our services,"
                                + " and data that others give us about you", "Data we get from others than you (GDPR Art. 14)",
                                "Delivering the services: your employer or the company whose accounts you keep"),
                        List.of("opplysninger som du selv gir oss, opplysninger om hvordan du bruker tjenestene våre, og"
                                + " opplysninger som andre gir oss om deg", "Opplysninger vi får fra andre enn deg")),
                s("S3", "data-we-register", List.of("PowerOffice Go –", "PowerOffice WIN", "PowerOffice Go Mobile",
                                "signing up for the newsletter", "signing up for courses", "messages you send to the customer centre"),
                        List.of("PowerOffice Go –", "PowerOffice WIN", "påmelding til nyhetsbrevet", "påmelding til kurs",
                                "meldinger du sender til kundesenteret")),
                s("S4", "data-we-register", List.of("- Name", "- Address", "- Phone number", "- E-mail address", "- IP address"),
                        List.of("- Navn", "- Adresse", "- Telefonnummer", "- E-postadresse", "- IP-adresse")),
                s("S4", "purposes", List.of("provide and secure delivery of the service you ordered",
                                "### Improving the services", "improve our services"),
                        List.of("levere og sikre leveransen av tjenesten du har bestilt", "### Forbedring av tjenestene")),
                s("S5", "purposes", List.of("prevent fraud and misuse of accounts", "Preventing fraud and misuse"),
                        List.of("hindre svindel og misbruk")),
                s("S6", "data-we-register", List.of("device type, operating system, browser information and IP address",
                                "cookies and pixel tags"),
                        List.of("enhetstype, operativsystem, nettleserinformasjon og IP-adresse")),
                s("S7", "cookies", List.of("small text file stored on your computer, phone or tablet",
                                "which pages you visit and how you navigate between them"),
                        List.of("liten tekstfil som lagres på datamaskinen, telefonen eller nettbrettet ditt")),
                s("S8", "cookies", List.of("small graphic with a unique identifier", "same function as a cookie"),
                        List.of("liten grafikk med en unik identifikator")),
                s("S9", "purposes", List.of("newsletters", "the documents for the courses you sign up for",
                                "follow up your enquiry"),
                        List.of("nyhetsbrev", "dokumenter til kursene", "følge opp henvendelsen")),
                s("S10", "cookies", List.of("statistics and temporary caching", "improve the user experience",
                                "kept until your next visit, and then replaced by a new one with information about the last visit"),
                        List.of("statistikk og midlertidig mellomlagring",
                                "lagres til ditt neste besøk, og erstattes da av en ny med informasjon om siste besøk")),
                s("S11", "cookies", List.of("how effective our advertising campaigns are",
                                "adapt the content of the web pages to visitors' interests"),
                        List.of("hvor effektive annonsekampanjene våre er", "tilpasse innholdet på nettsidene")),
                s("S12", "sharing", List.of("only under a data processing agreement", "as part of delivering our own services",
                                "We sell personal data to no one."),
                        List.of("databehandleravtale på forhånd", "Vi selger ikke personopplysninger til noen.")),
                s("S13", "sharing", List.of("disclose personal data to a public authority as a result of a court decision, a law or a regulation"),
                        List.of("utlevere personopplysninger til en offentlig myndighet som følge av en rettslig kjennelse, en lov eller en forskrift")),
                s("S14", "retention", List.of("only as long as the purpose of the processing and our legal obligations require"),
                        List.of("bare så lenge det er nødvendig for formålet med behandlingen og for å oppfylle rettslige forpliktelser")),
                s("S15", "retention", List.of("Delivering the services (PowerOffice Go, PowerOffice WIN, PowerOffice Go Mobile): kept as long as the service agreement runs"),
                        List.of("lagres så lenge tjenesteavtalen løper")),
                s("S16", "retention", List.of("Uploads in Go Mobile (PowerOffice Go Mobile): deleted 3 months after collection or upload"),
                        List.of("Opplastinger i Go Mobile (PowerOffice Go Mobile): slettes 3 måneder etter")),
                s("S17", "retention", List.of("Newsletter (The newsletter, The website): kept until you unsubscribe",
                                "Course invitations (Courses): kept until you unsubscribe"),
                        List.of("Nyhetsbrev (Nyhetsbrevet, Nettstedet): lagres til du melder deg av")),
                s("S18", "rights", List.of("have data about you deleted by sending a request to the customer centre"),
                        List.of("få slettet opplysninger om deg ved å sende en forespørsel til Kundesenteret")),
                s("S19", "controller", List.of("firmapost@poweroffice.no", "755 00 670", "Torvgata 2, 8006 Bodø",
                                "Postboks 404, 8001 Bodø"),
                        List.of("E-post: firmapost@poweroffice.no", "Telefon: 755 00 670", "Besøksadresse: Torvgata 2, 8006 Bodø",
                                "Postadresse: Postboks 404, 8001 Bodø")),
                s("S20", "security", List.of("strict security requirements", "AES-256-GCM", "tamper-evident audit trail"),
                        List.of("strenge sikkerhetskrav", "AES-256-GCM")));
    }

    /**
     * Every item of GDPR Art. 13, the section of the example's notice that covers it, and a sentence
     * fragment that must appear there in English and Norwegian.
     */
    static Stream<Arguments> article13() {
        return Stream.of(
                s("13(1)(a) identity and contact of the controller", "controller",
                        List.of("PowerOffice AS is the controller", "E-mail: firmapost@poweroffice.no"),
                        List.of("PowerOffice AS er behandlingsansvarlig", "E-post: firmapost@poweroffice.no")),
                s("13(1)(b) the DPO, or where privacy questions go", "controller",
                        List.of("We have not designated a data protection officer. Questions about privacy go to"
                                + " firmapost@poweroffice.no."),
                        List.of("Vi har ikke utpekt noe personvernombud. Spørsmål om personvern går til"
                                + " firmapost@poweroffice.no.")),
                s("13(1)(c) purposes and legal basis", "purposes",
                        List.of("Purpose: Delivering the service", "Legal basis: contract (GDPR Art. 6(1)(b))",
                                "Legal basis: consent (GDPR Art. 6(1)(a))", "Legal basis: legal obligation (GDPR Art. 6(1)(c))"),
                        List.of("Formål: ", "Rettslig grunnlag: avtale (GDPR art. 6(1)(b))")),
                s("13(1)(d) the legitimate interests", "purposes",
                        List.of("legitimate interests (GDPR Art. 6(1)(f)): making the services better",
                                "legitimate interests (GDPR Art. 6(1)(f)): protecting our customers"),
                        List.of("berettiget interesse (GDPR art. 6(1)(f)): å gjøre tjenestene bedre")),
                s("13(1)(e) recipients", "purposes",
                        List.of("Recipients: Eksempel Drift AS (processor"),
                        List.of("Mottakere: Eksempel Drift AS (databehandler")),
                s("13(1)(f) transfers outside the EEA", "transfers",
                        List.of("We do not transfer personal data to countries outside the EEA."),
                        List.of("Vi overfører ikke personopplysninger til land utenfor EØS.")),
                s("13(2)(a) retention, bookkeeping from the end of the financial year", "retention",
                        List.of("kept as long as the service agreement runs", "5 years after the end of the financial year"
                                + " in which they were collected (the financial year ends on 31 December)"),
                        List.of("lagres så lenge tjenesteavtalen løper", "5 år etter utgangen av regnskapsåret de ble samlet"
                                + " inn i (regnskapsåret slutter 31. desember)")),
                s("13(2)(b) access, rectification, erasure, restriction, objection, portability", "rights",
                        List.of("Access:", "Rectification:", "Erasure:", "Restriction:", "Objection:", "Portability:"),
                        List.of("Innsyn:", "Retting:", "Sletting:", "Begrensning:", "Protest:", "Dataportabilitet:")),
                s("13(2)(c) withdrawing consent", "rights",
                        List.of("Withdrawing consent: you can withdraw a consent at any time"),
                        List.of("Trekke samtykke: du kan når som helst trekke et samtykke")),
                s("13(2)(d) the complaint to the supervisory authority", "complaint",
                        List.of("right to complain to Datatilsynet (https://www.datatilsynet.no)"),
                        List.of("klage til Datatilsynet (https://www.datatilsynet.no)")),
                s("13(2)(e) whether the data is required, and what happens if not", "purposes",
                        List.of("Giving the data is a requirement of the contract: without it we cannot deliver the service.",
                                "Giving the data is voluntary: it is neither a statutory nor a contractual requirement.",
                                "Giving the data is a statutory requirement",
                                "Giving the data is neither a statutory nor a contractual requirement; without it"),
                        List.of("Å gi opplysningene er et krav i avtalen", "Det er frivillig å gi opplysningene",
                                "Å gi opplysningene er et lovkrav", "Å gi opplysningene er verken et lovkrav eller et avtalekrav")),
                s("13(2)(f) automated decisions", "automated-decisions",
                        List.of("We make no decisions about you based solely on automated processing"),
                        List.of("Vi tar ingen avgjørelser om deg som bare bygger på automatisert behandling")),
                s("14(2)(f) the source, where not the person", "purposes",
                        List.of("Where the data comes from: from you, and from your employer"),
                        List.of("Hvor opplysningene kommer fra: fra deg, og fra arbeidsgiveren din")));
    }

    @ParameterizedTest(name = "Art. {0} is covered by section {1}")
    @MethodSource("article13")
    void everyItemOfArticle13IsCoveredInBothLanguages(String item, String section, List<String> english,
            List<String> norwegian) {
        assertThat(NOTICES.notice(Language.EN).section(section).text()).contains(english);
        assertThat(NOTICES.notice(Language.NB).section(section).text()).contains(norwegian);
    }

    @Test
    void everyActivityOnEveryLegalBasisSaysWhetherTheDataIsRequiredAndWhatHappensIfNot() {
        for (no.personvern.catalog.LegalBasis basis : no.personvern.catalog.LegalBasis.values()) {
            for (Language language : Language.values()) {
                String text = NoticeWriter.messages().getMessage("notice.requirement." + basis.key(), null,
                        java.util.Locale.forLanguageTag(language.code()));
                assertThat(text).as(basis + " " + language).containsAnyOf("statutory", "lovkrav", "voluntary", "frivillig",
                        "contract", "avtale");
            }
        }
        for (Language language : Language.values()) {
            PrivacyNotice notice = NOTICES.notice(language);
            String[] blocks = notice.section("purposes").text().split("\n### ");
            for (int i = 1; i < blocks.length; i++) {
                assertThat(blocks[i]).as(blocks[i]).containsAnyOf("Giving the data", "Å gi opplysningene",
                        "Det er frivillig å gi opplysningene");
            }
        }
        // Vital interests and public task, which the example does not use, in a catalog that does.
        Catalog other = read(text("/catalogs/second.yaml").replace("    legalBasis: legal_obligation",
                "    legalBasis: public_task"));
        assertThat(new NoticeService(other).notice(Language.EN).section("purposes").text())
                .contains("Giving the data is a statutory requirement of the law that gives us the task");
    }

    @Test
    void aCatalogWithoutSourcesSaysTheDataComesFromThePersonAlone() {
        NoticeService second = new NoticeService(read(text("/catalogs/second.yaml")));
        assertThat(second.notice(Language.EN).section("data-we-register").text())
                .contains("We register only data that you give us yourself, and data about how you use our services")
                .doesNotContain("Art. 14");
        assertThat(second.notice(Language.EN).section("purposes").text()).doesNotContain("Where the data comes from");
    }

    @Test
    void everyTaxonomyKeyTheCatalogsUseHasANorwegianAndAnEnglishName() {
        java.util.Properties nb = properties("/taxonomy/names-nb.properties");
        java.util.Properties en = properties("/taxonomy/names-en.properties");
        for (Catalog catalog : List.of(CATALOG, read(text("/catalogs/second.yaml")))) {
            java.util.Set<String> own = new java.util.HashSet<>();
            catalog.extraDataCategories().forEach(term -> own.add(term.key()));
            java.util.Set<String> used = new java.util.TreeSet<>();
            catalog.activities().forEach(activity -> {
                used.addAll(activity.purposes());
                used.addAll(activity.dataSubjects());
                used.addAll(activity.dataCategories());
            });
            catalog.processors().forEach(processor -> used.addAll(processor.dataCategories()));
            catalog.retentionExceptions().forEach(exception -> used.addAll(exception.dataCategories()));
            used.removeAll(own);
            assertThat(used).as(catalog.source() + ": keys without a Norwegian name").allMatch(nb::containsKey);
            assertThat(used).as(catalog.source() + ": keys without an English name").allMatch(en::containsKey);
            for (Language language : Language.values()) {
                String all = String.join("\n", new NoticeService(catalog).notice(language).sections().stream()
                        .map(PrivacyNotice.Section::text).toList());
                assertThat(all).as("no raw taxonomy name leaks").doesNotContain("Sharing for Legal Obligation",
                        "Essential for Security", "Pseudonymous User ID", "Privacy Preferences");
            }
        }
    }

    private static java.util.Properties properties(String resource) {
        java.util.Properties properties = new java.util.Properties();
        try (InputStream in = PrivacyNoticeTests.class.getResourceAsStream(resource);
                java.io.Reader reader = new java.io.InputStreamReader(in, StandardCharsets.UTF_8)) {
            properties.load(reader);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return properties;
    }

    @ParameterizedTest(name = "{0} is covered by section {1}")
    @MethodSource("seedStatements")
    void everySeedStatementIsCoveredInBothLanguages(String statement, String section, List<String> english,
            List<String> norwegian) {
        assertThat(NOTICES.notice(Language.EN).section(section).text()).contains(english);
        assertThat(NOTICES.notice(Language.NB).section(section).text()).contains(norwegian);
    }

    @Test
    void statesTheLegalBasisOfEveryPurpose() {
        String purposes = NOTICES.notice(Language.EN).section("purposes").text();
        assertThat(purposes).contains("Legal basis: contract (GDPR Art. 6(1)(b))",
                "Legal basis: consent (GDPR Art. 6(1)(a)) — you can withdraw it at any time",
                "Legal basis: legal obligation (GDPR Art. 6(1)(c))",
                "Legal basis: legitimate interests (GDPR Art. 6(1)(f)): protecting our customers");
        assertThat(purposes.split("Legal basis: ", -1)).hasSize(
                (int) CATALOG.activities().stream().filter(a -> a.role() == no.personvern.catalog.Role.CONTROLLER).count() + 1);
    }

    @Test
    void tellsRetentionRecipientsTransfersAndWhetherDataIsRequired() {
        PrivacyNotice notice = NOTICES.notice(Language.EN);
        assertThat(notice.section("purposes").text())
                .contains("Retention: ", "Recipients: Eksempel Drift AS (processor",
                        "Giving the data is a requirement of the contract: without it we cannot deliver the service.",
                        "If you say no, we do not do this, and it has no consequences for the services you use.");
        assertThat(notice.section("retention").text())
                .contains("Exception under bokføringsloven § 13: Name, Address are kept for 5 years after the end of the"
                        + " financial year in which they were collected")
                .as("the bookkeeping activity's own line counts its invoices' name and address from the year's end")
                .contains("Our own bookkeeping (PowerOffice Go, PowerOffice WIN): Name, Address are kept for 5 years"
                        + " after the end of the financial year in which they were collected")
                .doesNotContain("Our own bookkeeping (PowerOffice Go, PowerOffice WIN): deleted")
                .as("the activity's own rule only for what no exception keeps")
                .contains("under bokføringsloven § 13; other data (E-mail address): deleted 5 years after collection");
        assertThat(notice.section("transfers").text())
                .isEqualTo("We do not transfer personal data to countries outside the EEA.");
        assertThat(notice.section("automated-decisions").text()).contains("no decisions about you based solely on automated processing");
    }

    @Test
    void dataUnderARetentionExceptionIsNeverSaidToGoAfterCollectionInEitherCatalog() {
        for (Catalog catalog : List.of(CATALOG, read(text("/catalogs/second.yaml")))) {
            for (no.personvern.catalog.Activity activity : catalog.activities()) {
                boolean excepted = catalog.retentionExceptions().stream().anyMatch(exception -> activity.dataCategories()
                        .stream().anyMatch(category -> exception.covers(category, activity.key())));
                for (Language language : Language.values()) {
                    String text = catalog.retentionText(activity, language);
                    if (!excepted) {
                        assertThat(text).isEqualTo(activity.retention().describe(language));
                        continue;
                    }
                    for (String part : text.split("; ")) {
                        if (part.contains("after collection") || part.contains("etter innsamling")) {
                            assertThat(part).as(activity.key() + ": only data no exception covers goes after collection")
                                    .startsWith(language == Language.NB ? "øvrige opplysninger (" : "other data (");
                        }
                    }
                    assertThat(text).as(activity.key()).contains(language == Language.NB ? "etter utgangen av regnskapsåret"
                            : "after the end of the financial year");
                }
            }
        }
    }

    @Test
    void listsEveryRightIncludingTheAbsoluteObjectionToDirectMarketingAndWithdrawal() {
        assertThat(NOTICES.notice(Language.EN).section("rights").text()).contains("Access:", "Rectification:",
                "Erasure:", "Restriction:", "Portability:", "Objection:",
                "If you object to direct marketing, we always stop it, for good", "Withdrawing consent:",
                "as easily as you gave it", "within one month");
        assertThat(NOTICES.notice(Language.NB).section("rights").text()).contains("Innsyn:", "Retting:", "Sletting:",
                "Begrensning:", "Dataportabilitet:", "Protest:", "Trekke samtykke:");
    }

    @Test
    void namesTheRightToComplainToDatatilsynet() {
        assertThat(NOTICES.notice(Language.EN).section("complaint").text())
                .contains("right to complain to Datatilsynet (https://www.datatilsynet.no)");
        assertThat(NOTICES.notice(Language.NB).section("complaint").text()).contains("klage til Datatilsynet");
    }

    @Test
    void neverClaimsThatBrowsingIsConsentAndExplainsTheActiveChoice() {
        for (Language language : Language.values()) {
            String all = String.join("\n", NOTICES.notice(language).sections().stream()
                    .map(PrivacyNotice.Section::text).toList()).toLowerCase();
            assertThat(all).doesNotContain("by visiting", "you consent to our privacy statement",
                    "ved å besøke", "samtykker du");
        }
        assertThat(NOTICES.notice(Language.EN).section("cookies").text())
                .contains("only when you have actively said yes", "Visiting or browsing the website is not consent",
                        "nothing is pre-ticked", "\"Reject all\" is as easy as \"Accept all\"");
        assertThat(NOTICES.notice(Language.NB).section("cookies").text()).contains("Å besøke eller bla på nettstedet er ikke et samtykke");
    }

    @Test
    void coversTheSecurityMeasuresOfS20() {
        assertThat(NOTICES.notice(Language.EN).section("security").text())
                .contains("strict security requirements", "AES-256-GCM", "tamper-evident audit trail");
    }

    @Test
    void theVersionIsAStableHashOfTheContent() {
        assertThat(NOTICES.notice(Language.NB).version()).isEqualTo(NOTICES.notice(Language.EN).version())
                .isEqualTo(NOTICES.currentVersion()).matches("[0-9a-f]{16}");
        assertThat(new NoticeService(example()).currentVersion()).isEqualTo(NOTICES.currentVersion());

        Catalog changed = read(exampleText().replace("after: P3M", "after: P2M"));
        assertThat(new NoticeService(changed).currentVersion()).isNotEqualTo(NOTICES.currentVersion());
    }

    @Test
    void processorActivitiesAreExplainedAsProcessingForTheCustomer() {
        assertThat(NOTICES.notice(Language.EN).section("controller").text())
                .contains("As data processor: Customers' accounting records", "the customer is the controller");
        assertThat(NOTICES.notice(Language.EN).section("purposes").text()).doesNotContain("Customers' accounting records");
    }

    @Test
    void aCatalogWrittenFromTheSpecGetsItsCookiesPersonvernsOwnProcessingAndItsDpoInTheNotice() {
        NoticeService second = new NoticeService(read(text("/catalogs/second.yaml")));
        PrivacyNotice notice = second.notice(Language.EN);
        assertThat(notice.section("cookies").text()).as("a cookie identifier under consent is a cookie")
                .contains("### Visitor statistics", "### Measuring advertisements", "Technology: cookies")
                .doesNotContain("We use no cookies");
        assertThat(notice.section("purposes").text()).contains("### Handling data protection requests",
                "### Proof of consent", "### Audit trail", "Legal basis: legal obligation (GDPR Art. 6(1)(c))");
        assertThat(notice.section("retention").text()).contains("Proof of consent (Personvern (our privacy service)):"
                + " kept as proof");
        assertThat(notice.section("controller").text()).contains("Data protection officer: Ada Vern, dpo@kvitto.example");
        assertThat(notice.section("rights").text()).contains("by sending a request to us (Art. 17)")
                .doesNotContain("customer centre");
        assertThat(second.notice(Language.NB).section("purposes").text()).contains("### Dokumentasjon av samtykker",
                "### Revisjonslogg", "### Behandling av forespørsler om personvern");
    }

    @Test
    void theControllersWebsitesAreNamedWithItsContactDetails() {
        NoticeService second = new NoticeService(read(text("/catalogs/second.yaml")));
        assertThat(second.notice(Language.EN).section("controller").text()).contains("Website: https://www.kvitto.example");
        assertThat(second.notice(Language.NB).section("controller").text()).contains("Nettsted: https://www.kvitto.example");
        assertThat(second.notice(Language.EN).section("controller").text()).as("no activity of role processor")
                .contains("We process personal data as data controller, under").doesNotContain("data processor");
        assertThat(second.notice(Language.NB).section("controller").text())
                .contains("Vi behandler personopplysninger som behandlingsansvarlig, etter").doesNotContain("databehandler");
        NoticeService two = new NoticeService(read(text("/catalogs/second.yaml").replace("websites: [https://www.kvitto.example]",
                "websites: [https://www.kvitto.example, https://app.kvitto.example]")));
        assertThat(two.notice(Language.EN).section("controller").text())
                .contains("Websites: https://www.kvitto.example, https://app.kvitto.example");
    }

    @Test
    void howLongWebDataIsKeptComesFromTheCatalogAndTheConfiguredPeriodsInBothLanguages() {
        PrivacyNotice en = NOTICES.notice(Language.EN);
        assertThat(en.section("cookies").text()).as("the cookies' own lifetimes, as the server sets them")
                .contains("pv_consent, which is strictly necessary to remember it, for 182 days",
                        "lasts until the next visit, at most 395 days",
                        "as long as the choice is in force, and 3 years after it ends",
                        "are deleted 13 months after they were recorded")
                .doesNotContain("6 months");
        assertThat(en.section("retention").text()).contains("page views are deleted 13 months after they were recorded",
                "campaign hits are deleted 13 months after they were recorded");
        assertThat(NOTICES.notice(Language.NB).section("cookies").text())
                .contains("i 182 dager", "høyst 395 dager", "og 3 år etter at det opphører")
                .doesNotContain("6 måneder");
        assertThat(NOTICES.notice(Language.NB).section("retention").text())
                .contains("sidevisninger slettes 13 måneder etter at de ble registrert");

        WebsiteTerms configured = new WebsiteTerms(Period.ofMonths(9), WebsiteTerms.DEFAULTS.choiceLifetime(),
                WebsiteTerms.DEFAULTS.visitCookieLifetime(), Period.ofYears(1));
        PrivacyNotice shorter = new NoticeService(CATALOG, configured).notice(Language.EN);
        assertThat(shorter.section("retention").text()).contains("page views are deleted 9 months after",
                "campaign hits are deleted 13 months after");
        assertThat(shorter.section("cookies").text()).contains("and 1 year after it ends");

        PrivacyNotice second = new NoticeService(read(text("/catalogs/second.yaml"))).notice(Language.EN);
        assertThat(second.section("retention").text()).as("the second catalog's own periods")
                .contains("page views are deleted 13 months after", "campaign hits are deleted 6 months after");
    }

    private static Arguments s(String statement, String section, List<String> english, List<String> norwegian) {
        return Arguments.of(statement, section, english, norwegian);
    }

    private static Catalog example() {
        return read(exampleText());
    }

    private static Catalog read(String yaml) {
        return CatalogReader.read("example-catalog.yaml", new StringReader(yaml), name -> null, Taxonomy.fideslang());
    }

    private static String exampleText() {
        return text("/catalog/example-catalog.yaml");
    }

    private static String text(String resource) {
        try (InputStream in = PrivacyNoticeTests.class.getResourceAsStream(resource)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
