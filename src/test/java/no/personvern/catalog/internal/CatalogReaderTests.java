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
import no.personvern.catalog.DocumentKind;
import no.personvern.catalog.IsoPeriod;
import no.personvern.catalog.LegalBasis;
import no.personvern.catalog.MailingList;
import no.personvern.catalog.OwnProcessing;
import no.personvern.catalog.RetentionRule.Trigger;
import no.personvern.catalog.Role;
import no.personvern.catalog.Taxonomy;
import org.junit.jupiter.api.Test;

class CatalogReaderTests {

    private static final Taxonomy FIDESLANG = Taxonomy.fideslang();
    private static final String EXAMPLE = resource("/catalog/example-catalog.yaml");
    private static final String SECOND = resource("/catalogs/second.yaml");

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

    // ---- any catalog: Personvern's own processing, documents, lists ---------------------------------

    @Test
    void aCatalogThatDeclaresNoneOfPersonvernsOwnProcessingGetsBuiltInActivitiesOnSystemPersonvern() {
        Catalog catalog = read(SECOND);

        assertThat(catalog.systems()).extracting("key").contains("personvern");
        assertThat(catalog.requestHandling()).isEqualTo(new Catalog.Source("personvern",
                "personvern-data-subject-requests"));
        for (OwnProcessing processing : OwnProcessing.values()) {
            Activity builtIn = catalog.activityFor(processing).orElseThrow();
            assertThat(builtIn.builtIn()).isTrue();
            assertThat(builtIn.key()).isEqualTo("personvern-" + processing.key());
            assertThat(builtIn.systems()).containsExactly("personvern");
            assertThat(builtIn.legalBasis()).isEqualTo(LegalBasis.LEGAL_OBLIGATION);
            assertThat(builtIn.retention().trigger()).isEqualTo(Trigger.PROOF);
            assertThat(builtIn.name().nb()).isNotBlank();
            assertThat(builtIn.description().en()).isNotBlank();
        }
        assertThat(catalog.activityFor(OwnProcessing.DATA_SUBJECT_REQUESTS).orElseThrow().dataCategories())
                .containsExactly("user.contact.email", "user.content.private");
        assertThat(catalog.activityFor(OwnProcessing.CONSENT_PROOF).orElseThrow().dataSubjects())
                .as("the subjects of the consent-based activities").containsExactlyInAnyOrder("customer", "prospect",
                        "visitor");
        assertThat(catalog.activityFor(OwnProcessing.AUDIT_TRAIL).orElseThrow().dataSubjects())
                .as("everyone, and the staff the trail names").contains("customer", "visitor", "employee");
    }

    @Test
    void anActivityMarkedAsPersonvernsOwnIsUsedAndOnlyTheRestIsBuiltIn() {
        Catalog catalog = read(EXAMPLE);

        assertThat(catalog.requestHandling()).isEqualTo(new Catalog.Source("customer-center", "privacy-requests"));
        assertThat(catalog.activity("personvern-data-subject-requests")).isEmpty();
        assertThat(catalog.activityFor(OwnProcessing.CONSENT_PROOF).orElseThrow().builtIn()).isTrue();
        assertThat(catalog.activityFor(OwnProcessing.AUDIT_TRAIL).orElseThrow().builtIn()).isTrue();
    }

    @Test
    void aCatalogThatAsksForNoConsentNeedsNoProofOfConsent() {
        // Without consent nothing can be withdrawn and no visit cookie is set: the clocks run from collection.
        String noConsent = SECOND.replace("legalBasis: consent", "legalBasis: legitimate_interests\n"
                + "    legitimateInterest: {nb: interesse, en: interest}")
                .replace("{until: withdrawal}", "{after: P1Y}").replace("{until: next-visit}", "{after: P1Y}")
                // Marketing without consent is unlawful (the lawfulness checks): the digest becomes service notices.
                .replace("purposes: [marketing.communications.email]", "purposes: [essential.service.notifications.email]");
        Catalog catalog = read(noConsent);
        assertThat(catalog.activityFor(OwnProcessing.CONSENT_PROOF)).isEmpty();
        assertThat(catalog.activityFor(OwnProcessing.AUDIT_TRAIL)).isPresent();
    }

    @Test
    void onlyOneActivityMayBeMarkedForEachOfPersonvernsProcessings() {
        String twice = EXAMPLE.replaceFirst("    role: controller\n    systems: \\[customer-center\\]",
                        "    role: controller\n    personvern: data-subject-requests\n    systems: [customer-center]");
        assertProblem(twice, "personvern: data-subject-requests", "activity 'support' is already personvern:"
                + " data-subject-requests; mark only one activity for each", 2);
        assertProblem(EXAMPLE.replace("personvern: data-subject-requests", "personvern: newsletters"),
                "personvern: newsletters", "unknown processing of Personvern's own 'newsletters'");
    }

    @Test
    void theActivityForRequestsMustHoldTheRequestersAddress() {
        String withoutEmail = EXAMPLE.replace("    dataCategories: [user.contact.email, user.content.private]\n"
                + "    # Example value: long", "    dataCategories: [user.name, user.content.private]\n"
                + "    # Example value: long");
        assertProblem(withoutEmail, "personvern: data-subject-requests", "activity 'privacy-requests' handles"
                + " data-subject requests, which holds the requester's e-mail address: add user.contact.email to its"
                + " dataCategories");
    }

    @Test
    void theActivityForRequestsMustHaveACategoryForWhatThePersonWrites() {
        String withoutContent = EXAMPLE.replace("    dataCategories: [user.contact.email, user.content.private]\n",
                "    dataCategories: [user.contact.email]\n");
        assertThat(withoutContent).isNotEqualTo(EXAMPLE);
        assertProblem(withoutContent, "personvern: data-subject-requests", "activity 'privacy-requests' handles"
                + " data-subject requests, which keep what the person writes with a request: add user.content.private"
                + " (or a user.content category of your own) to its dataCategories");
        assertThat(read(EXAMPLE).requestMessageCategory()).isEqualTo("user.content.private");
        assertThat(read(SECOND).requestMessageCategory()).isEqualTo("user.content.private");
    }

    @Test
    void aKeyOfABuiltInActivityIsReservedUnlessTheActivityIsMarked() {
        String taken = SECOND.replace("- key: company-books", "- key: personvern-audit-trail");
        assertProblem(taken, "- key: personvern-audit-trail", "activity key 'personvern-audit-trail' is Personvern's"
                + " built-in activity for audit-trail: rename it, or mark it personvern: audit-trail");
    }

    @Test
    void aDocumentKindGoesUnderTheCategoryTheDocumentsMapNamesElseTheSingleContentCategory() {
        Catalog second = read(SECOND);
        Activity capture = second.activity("expense-capture").orElseThrow();
        assertThat(capture.documentCategory(DocumentKind.VOUCHER)).hasValue("user.content.expense_document");
        assertThat(capture.documentCategory(DocumentKind.TRAVEL)).hasValue("user.content.trip_log");

        Catalog example = read(EXAMPLE);
        Activity support = example.activity("support").orElseThrow();
        assertThat(support.documentCategory(DocumentKind.IMAGE)).as("the single user.content category")
                .hasValue("user.content.support_message");
        assertThat(example.activity("service-delivery").orElseThrow().takesDocuments()).isFalse();
    }

    @Test
    void severalContentCategoriesWithoutADocumentsMapForEveryKindFailAtStartUp() {
        String withoutMap = SECOND.replaceFirst("    documents: \\{[^}]*}\n", "");
        assertProblem(withoutMap, "- key: expense-capture", "activity 'expense-capture' declares several user.content"
                + " categories (user.content.expense_document, user.content.trip_log), so an upload's category must be"
                + " named: add documents: {image: <category>, travel: <category>, voucher: <category>}");
        String partial = SECOND.replace("travel: user.content.trip_log, ", "");
        assertProblem(partial, "documents:", "add documents: {travel: <category>}");
    }

    @Test
    void aDocumentsMapNamesKnownKindsAndCategoriesTheActivityDeclares() {
        assertProblem(SECOND.replace("image: user.content.expense_document", "selfie: user.content.expense_document"),
                "selfie", "unknown document kind 'selfie' in activity 'expense-capture' (expected one of image, travel,"
                        + " voucher)");
        assertProblem(SECOND.replace("travel: user.content.trip_log", "travel: user.content.self_image"),
                "documents:", "documents of kind 'travel' go under 'user.content.self_image', which activity"
                        + " 'expense-capture' does not declare: add it to its dataCategories");
    }

    @Test
    void aSubscriptionListIsNamedByItsListFieldElseByItsFirstSystem() {
        assertThat(read(EXAMPLE).lists()).containsExactly(
                new MailingList("newsletter", read(EXAMPLE).system("newsletter").orElseThrow().name(), "newsletter",
                        "newsletter"),
                new MailingList("courses", read(EXAMPLE).system("courses").orElseThrow().name(), "courses",
                        "course-invitations"));
        Catalog named = read(SECOND.replace("    systems: [digest]\n", "    systems: [digest]\n    list: tips\n"));
        assertThat(named.list("tips")).hasValueSatisfying(list -> {
            assertThat(list.system()).isEqualTo("digest");
            assertThat(list.activity()).isEqualTo("monthly-digest");
        });
        assertThat(named.list("digest")).isEmpty();
    }

    @Test
    void twoActivitiesUnderOneListNameFailAtStartUp() {
        String ambiguous = EXAMPLE.replace("    systems: [courses]\n", "    systems: [newsletter]\n");
        assertProblem(ambiguous, "- key: course-invitations", "activities 'newsletter' and 'course-invitations' are"
                + " both the subscription list 'newsletter': give each its own name with the activity field list:"
                + " <name>");
        Catalog resolved = read(ambiguous.replace("    systems: [newsletter]\n    purposes: [marketing.communications.email]\n"
                + "    legalBasis: consent\n    dataSubjects: [customer, prospect, trainee]",
                "    systems: [newsletter]\n    list: courses\n    purposes: [marketing.communications.email]\n"
                        + "    legalBasis: consent\n    dataSubjects: [customer, prospect, trainee]"));
        assertThat(resolved.list("courses").orElseThrow().activity()).isEqualTo("course-invitations");
    }

    @Test
    void aListIsAConsentBasedEmailActivityThatHoldsTheAddress() {
        assertProblem(SECOND.replace("    systems: [ledger, pocket]\n", "    systems: [ledger, pocket]\n    list: news\n"),
                "list: news", "activity 'accounts' is a subscription list, so it needs legalBasis consent and the"
                        + " purpose marketing.communications.email");
        assertProblem(SECOND.replace("    dataCategories: [user.name, user.contact.email]\n    retention: {until: withdrawal}",
                "    dataCategories: [user.name]\n    retention: {until: withdrawal}"), "- key: monthly-digest",
                "activity 'monthly-digest' is the subscription list 'digest', which holds the subscriber's e-mail"
                        + " address: add user.contact.email to its dataCategories");
    }

    @Test
    void aCookieIdentifierUnderConsentIsOnTheDeviceEvenWithoutTechnologies() {
        Catalog second = read(SECOND);
        assertThat(second.activity("site-analytics").orElseThrow().onDevice()).containsExactly("cookie");
        assertThat(second.activity("monthly-digest").orElseThrow().onDevice()).isEmpty();
        assertThat(read(EXAMPLE).activity("campaign-pixels").orElseThrow().onDevice()).containsExactly("pixel");
    }

    @Test
    void theDataProtectionOfficerIsReadFromControllerDpo() {
        assertThat(read(SECOND).controller().dataProtectionOfficer())
                .isEqualTo(new no.personvern.catalog.ControllerDetails.Contact("Ada Vern", "dpo@kvitto.example", null));
        assertProblem(SECOND.replace("email: dpo@kvitto.example", "email: ada at kvitto"), "ada at kvitto",
                "the data protection officer's email 'ada at kvitto' is not an e-mail address");
        assertProblem(SECOND.replace("dpo: {name: Ada Vern, ", "dpo: {"), "dpo:",
                "missing required field 'name' in dpo");
    }

    private static final String MINIMAL = resource("/catalogs/minimal.yaml");

    @Test
    void theControllersAddressMustBeAnEmailAddressMailCanReach() {
        assertThat(read(MINIMAL).controller().email()).isEqualTo("post@liten.example");
        for (String bad : new String[] {"post at liten.example", "post@liten", "Liten <post@liten.example>",
                "(kontor)post@liten.example", "post@@liten.example", "post@liten..example", "post@-liten.example",
                "\"post kontor\"@liten.example", "post@liten.example, dpo@liten.example"}) {
            String yaml = MINIMAL.replace("email: post@liten.example", "email: '" + bad + "'");
            assertProblem(yaml, "email: '", "the controller's email '" + bad + "' is not an e-mail address", 1);
        }
        assertThat(read(MINIMAL.replace("post@liten.example", "Post.Kontor+personvern@xn--liten-fra.example"))
                .controller().email()).isEqualTo("Post.Kontor+personvern@xn--liten-fra.example");
    }

    @Test
    void aRetentionClockThatNothingCanStartFailsAtStartUpNamingWhatToChange() {
        // Only a withdrawn consent or an unsubscribe starts "until withdrawal": a contract cannot be withdrawn.
        String withdrawal = MINIMAL.replace("retention: {until: contract-end}", "retention: {until: withdrawal}");
        assertProblem(withdrawal, "retention: {until: withdrawal}", "activity 'repairs' keeps its data until"
                + " withdrawal, but nothing can be withdrawn for it");
        assertProblem(withdrawal, "retention: {until: withdrawal}", "legalBasis: consent");
        // Only the banner's visit cookie is replaced on the next visit: a name would be kept for good.
        String nextVisit = MINIMAL.replace("retention: {until: contract-end}", "retention: {until: next-visit}");
        assertProblem(nextVisit, "retention: {until: next-visit}", "activity 'repairs' keeps its data until the"
                + " next visit, but only a visit cookie is replaced on a visit");
        // Withdrawal on consent and the next visit on the banner's statistics cookie are startable.
        assertThat(read(SECOND).activity("monthly-digest").orElseThrow().retention().trigger())
                .isEqualTo(Trigger.WITHDRAWAL);
        assertThat(read(SECOND).activity("site-analytics").orElseThrow().retention().trigger())
                .isEqualTo(Trigger.NEXT_VISIT);
    }

    @Test
    void theSupervisoryAuthoritysAddressAndTheWebsitesMustBeWebAddresses() {
        assertProblem(SECOND.replace("url: https://www.datatilsynet.no", "url: datatilsynet"),
                "supervisoryAuthority:", "malformed url 'datatilsynet' of the supervisory authority (expected https://...)");
        assertProblem(SECOND.replace("websites: [https://www.kvitto.example]", "websites: [www.kvitto.example]"),
                "websites:", "malformed website 'www.kvitto.example' (expected https://...)");
        assertThat(read(SECOND).controller().websites()).containsExactly("https://www.kvitto.example");
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

    @Test
    void aCategoryOfTextOthersWriteIsMarkedInTheTaxonomyAndCoversTheCategoriesBelowIt() {
        String marked = SECOND.replace("""
                    - key: user.content.trip_log
                      name: {nb: Reiselogg, en: Trip logs}
                """, """
                    - key: user.content.trip_log
                      name: {nb: Reiselogg, en: Trip logs}
                      writtenByOthers: true
                    - key: user.content.trip_log.approval
                      name: {nb: Godkjenning, en: Approval}
                """);
        Catalog catalog = read(marked);

        assertThat(catalog.taxonomy().writtenByOthers("user.content.trip_log")).isTrue();
        assertThat(catalog.taxonomy().writtenByOthers("user.content.trip_log.approval")).isTrue();
        assertThat(catalog.taxonomy().writtenByOthers("user.content.expense_document")).isFalse();
        assertThat(read(SECOND).taxonomy().writtenByOthers("user.content.trip_log")).isFalse();
        assertProblem(marked.replace("writtenByOthers: true", "writtenByOthers: often"), "writtenByOthers",
                "writtenByOthers is true or false");
    }

    // ---- lawfulness checks -----------------------------------------------------------------------

    @Test
    void marketingOnABasisOtherThanConsentIsRefusedNamingTheLineAndTheFix() {
        String yaml = resource("/catalogs/unlawful/marketing-without-consent.yaml");
        int basisLine = lineOf(yaml, "legalBasis: legitimate_interests", 1);
        assertThatThrownBy(() -> read(yaml)).isInstanceOf(CatalogInvalidException.class)
                .hasMessageContaining("catalog.yaml:" + basisLine + ": activity 'monthly-digest' has the marketing"
                        + " purpose marketing.communications.email on legalBasis legitimate_interests")
                .hasMessageContaining("Set legalBasis: consent, or")
                .hasMessageContaining("softOptIn: true");
    }

    @Test
    void aDeclaredSoftOptInIsAWarningNamingItsConditionsAndOnlyForCustomers() {
        String softOptIn = resource("/catalogs/unlawful/marketing-without-consent.yaml")
                .replace("    dataSubjects: [customer, prospect]\n    dataCategories: [user.name, user.contact.email]\n"
                        + "    retention: {until: withdrawal}",
                        "    softOptIn: true\n    dataSubjects: [customer]\n    dataCategories: [user.name, user.contact.email]\n"
                        + "    retention: {after: P2Y}");
        Catalog catalog = read(softOptIn);
        assertThat(catalog.warnings()).singleElement().satisfies(warning -> assertThat(warning)
                .startsWith("catalog.yaml:" + lineOf(softOptIn, "- key: monthly-digest", 1) + ": ")
                .contains("markedsføringsloven § 15(3)", "existing customer", "similar", "free of charge",
                        "every message"));
        assertProblem(softOptIn.replace("    softOptIn: true\n    dataSubjects: [customer]\n",
                "    softOptIn: true\n    dataSubjects: [customer, prospect]\n"),
                "dataSubjects: [customer, prospect]", "covers existing customers only");
        assertProblem(SECOND.replace("    legalBasis: consent\n    dataSubjects: [customer, prospect]",
                "    legalBasis: consent\n    softOptIn: true\n    dataSubjects: [customer, prospect]"),
                "- key: monthly-digest", "softOptIn, which is only for marketing without consent");
        assertThat(read(SECOND).warnings()).isEmpty();
        assertThat(read(EXAMPLE).warnings()).as("the example's only warnings are its contract activities with sources")
                .allSatisfy(warning -> assertThat(warning).contains("rests on contract", "declares sources"));
    }

    @Test
    void aContractActivityWithDataFromSomeoneElseIsAWarningToCheckWhoIsPartyToTheContract() {
        Catalog example = read(EXAMPLE);
        java.util.List<String> expected = example.activities().stream()
                .filter(activity -> activity.legalBasis() == LegalBasis.CONTRACT
                        && activity.role() == Role.CONTROLLER && !activity.sources().isEmpty())
                .map(Activity::key).toList();
        assertThat(expected).as("the example registers users and course participants through their employer")
                .hasSize(2);
        assertThat(example.warnings()).hasSize(expected.size());
        for (String key : expected) {
            assertThat(example.warnings()).anySatisfy(warning -> assertThat(warning)
                    .startsWith("catalog.yaml:" + legalBasisLine(EXAMPLE, key) + ": activity '" + key + "'")
                    .contains("Art. 6(1)(b)", "party to a contract", "legitimate interests"));
        }
        assertThat(read(SECOND).warnings()).as("no contract activity of the second catalog names a source").isEmpty();
    }

    @Test
    void contractForDataSubjectsWhoAreNoPartyToItIsRefused() {
        String yaml = resource("/catalogs/unlawful/contract-for-non-parties.yaml");
        assertProblem(yaml, "dataSubjects: [customer, employee, prospect, visitor]", "activity 'accounts' rests on"
                + " contract (Art. 6(1)(b)), but its data subjects prospect, visitor are not a party to a contract");
        assertThat(LawfulnessChecks.NOT_PARTY_TO_A_CONTRACT).as("every one a data subject of the taxonomy")
                .allMatch(FIDESLANG::isDataSubject);
    }

    @Test
    void aSpecialCategoryWithoutAnArticle9ConditionIsRefusedAndWithOneIsRead() {
        String yaml = resource("/catalogs/unlawful/special-category-without-condition.yaml");
        assertProblem(yaml, "user.health_and_medical]", "activity 'expense-capture' declares the special categories"
                + " user.health_and_medical (GDPR Art. 9(1), 10)");
        Catalog allowed = read(yaml.replace("    retention: {after: P3M}",
                "    retention: {after: P3M}\n    article9Condition: employment_and_social_security"));
        assertThat(allowed.activity("expense-capture").orElseThrow().article9Condition())
                .isEqualTo(no.personvern.catalog.Article9Condition.EMPLOYMENT_AND_SOCIAL_SECURITY);
        assertProblem(yaml.replace("    retention: {after: P3M}", "    retention: {after: P3M}\n    article9Condition: because"),
                "article9Condition: because", "unknown Art. 9(2) condition 'because'");
        assertThat(LawfulnessChecks.SPECIAL_CATEGORIES).as("every one a category of the taxonomy")
                .allMatch(FIDESLANG::isDataCategory);
        for (String special : LawfulnessChecks.SPECIAL_CATEGORIES) {
            assertProblem(SECOND.replace("[user.content.expense_document, user.content.trip_log]",
                    "[user.content.expense_document, user.content.trip_log, " + special + "]"), special + "]",
                    "declares the special categories " + special);
        }
    }

    @Test
    void processingForCustomersIsTheCustomersToJudgeAndIsNotChecked() {
        Catalog catalog = read(EXAMPLE);
        assertThat(catalog.activity("customer-ledgers").orElseThrow().dataSubjects()).contains("employee", "supplier_vendor");
        String health = EXAMPLE.replace("dataCategories: [user.name, user.contact.address, user.financial.bank_account, user.content.receipt]",
                "dataCategories: [user.name, user.contact.address, user.financial.bank_account, user.content.receipt, user.health_and_medical]");
        assertThat(read(health).activity("customer-ledgers").orElseThrow().dataCategories()).contains("user.health_and_medical");
    }

    @Test
    void theExampleSeparatesCourseDeliveryFromInvitationsAndStatesTheInterestInImprovingTheServices() {
        Catalog catalog = read(EXAMPLE);
        assertThat(catalog.activity("course-delivery").orElseThrow().legalBasis()).isEqualTo(LegalBasis.CONTRACT);
        assertThat(catalog.activity("course-invitations").orElseThrow().legalBasis()).isEqualTo(LegalBasis.CONSENT);
        Activity improvement = catalog.activity("service-improvement").orElseThrow();
        assertThat(improvement.legalBasis()).isEqualTo(LegalBasis.LEGITIMATE_INTERESTS);
        assertThat(improvement.legitimateInterest().en()).contains("better");
        assertThat(catalog.activity("service-delivery").orElseThrow().purposes())
                .doesNotContain("essential.service.operations.improve");
        assertThat(catalog.activity("service-delivery").orElseThrow().sources()).isNotEmpty();
        assertProblem(EXAMPLE.replace("    legitimateInterest:\n      nb: å gjøre tjenestene bedre og mer tilpasset brukerne,"
                + " ut fra hvordan de faktisk brukes\n      en: making the services better and better suited to their users,"
                + " from how they are actually used\n", ""), "- key: service-improvement", "legitimateInterest");
    }

    @Test
    void theFinancialYearEndIsReadAndAMalformedOneIsRefused() {
        assertThat(read(SECOND).controller().financialYearEnd()).isEqualTo(java.time.MonthDay.of(12, 31));
        Catalog june = read(SECOND.replace("  dpo: {name: Ada Vern, email: dpo@kvitto.example}",
                "  dpo: {name: Ada Vern, email: dpo@kvitto.example}\n  financialYearEnd: \"06-30\""));
        assertThat(june.retentionExceptions().get(0).financialYearEnd()).isEqualTo(java.time.MonthDay.of(6, 30));
        assertProblem(SECOND.replace("  dpo: {name: Ada Vern, email: dpo@kvitto.example}",
                "  dpo: {name: Ada Vern, email: dpo@kvitto.example}\n  financialYearEnd: 31.12"),
                "financialYearEnd: 31.12", "malformed financialYearEnd '31.12'");
    }

    @Test
    void theTestCatalogsStillLoad() {
        for (String name : new String[] {"/catalogs/second.yaml", "/catalogs/minimal.yaml", "/catalogs/connected.yaml",
                "/catalogs/statistics-only.yaml", "/catalogs/with-connector.yaml"}) {
            assertThat(CatalogReader.read(name, new StringReader(resource(name)), variable -> "http://127.0.0.1:9/hook",
                    FIDESLANG).activities()).as(name).isNotEmpty();
        }
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
    /** The line of the {@code legalBasis} of activity {@code key}. */
    private static int legalBasisLine(String yaml, String key) {
        String[] lines = yaml.split("\n", -1);
        int start = lineOf(yaml, "- key: " + key, 1);
        for (int i = start; i < lines.length; i++) {
            if (lines[i].trim().startsWith("legalBasis:")) {
                return i + 1;
            }
        }
        throw new AssertionError("no legalBasis for " + key);
    }

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

    private static String resource(String name) {
        try (InputStream in = CatalogReaderTests.class.getResourceAsStream(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
