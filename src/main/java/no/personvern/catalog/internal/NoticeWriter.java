package no.personvern.catalog.internal;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import no.personvern.catalog.Activity;
import no.personvern.catalog.Catalog;
import no.personvern.catalog.ControllerDetails;
import no.personvern.catalog.DataSystem;
import no.personvern.catalog.Language;
import no.personvern.catalog.LegalBasis;
import no.personvern.catalog.LocalizedText;
import no.personvern.catalog.OwnProcessing;
import no.personvern.catalog.PrivacyNotice.Section;
import no.personvern.catalog.Processor;
import no.personvern.catalog.RetentionException;
import no.personvern.catalog.Role;
import no.personvern.catalog.Taxonomy;

/**
 * Writes the sections of the privacy notice from the catalog. It covers what Art. 13 requires:
 * the controller and contact (13(1)(a)–(b)), purposes and legal basis of each activity
 * (13(1)(c)–(d)), recipients (13(1)(e)), transfers (13(1)(f)), retention (13(2)(a)), every right
 * (13(2)(b)–(c)), the complaint to Datatilsynet (13(2)(d)), whether data is required (13(2)(e))
 * and automated decisions (13(2)(f)). It never claims that browsing is consent: cookies and pixels
 * that are not strictly necessary wait for an active choice (ekomloven, EDPB guidelines 05/2020).
 */
final class NoticeWriter {

    private final Catalog catalog;
    private final Language language;
    private final Taxonomy taxonomy;

    NoticeWriter(Catalog catalog, Language language) {
        this.catalog = catalog;
        this.language = language;
        this.taxonomy = catalog.taxonomy();
    }

    List<Section> sections() {
        return List.of(controller(), dataWeRegister(), purposes(), cookies(), sharing(), transfers(), retention(),
                rights(), complaint(), automatedDecisions(), security());
    }

    private Section controller() {
        ControllerDetails c = catalog.controller();
        List<String> paragraphs = new ArrayList<>();
        // Only a catalog with activities of role processor processes data on behalf of customers.
        boolean processor = catalog.activities().stream().anyMatch(activity -> activity.role() == Role.PROCESSOR);
        paragraphs.add(t(
                c.name() + " er behandlingsansvarlig for behandlingen av personopplysningene dine som er beskrevet her. "
                        + (processor ? "Vi behandler personopplysninger både som behandlingsansvarlig og som databehandler"
                                : "Vi behandler personopplysninger som behandlingsansvarlig")
                        + ", etter personopplysningsloven og personvernforordningen (GDPR, forordning (EU) 2016/679).",
                c.name() + " is the controller responsible for the processing of your personal data described here. "
                        + (processor ? "We process personal data both as data controller and as data processor"
                                : "We process personal data as data controller")
                        + ", under the Norwegian Personal Data Act and the General Data Protection Regulation (GDPR,"
                        + " Regulation (EU) 2016/679)."));
        for (Activity activity : catalog.activities()) {
            if (activity.role() == Role.PROCESSOR) {
                paragraphs.add(t("Som databehandler: ", "As data processor: ") + activity.name().in(language) + ". "
                        + text(activity.description())
                        + t(" Her er kunden behandlingsansvarlig, og henvendelser om disse opplysningene sender vi videre til kunden.",
                                " Here the customer is the controller, and we pass requests about this data on to the customer."));
            }
        }
        List<String> contact = new ArrayList<>();
        contact.add(t("E-post: ", "E-mail: ") + c.email());
        if (c.phone() != null) {
            contact.add(t("Telefon: ", "Phone: ") + c.phone());
        }
        if (c.visitingAddress() != null) {
            contact.add(t("Besøksadresse: ", "Visiting address: ") + c.visitingAddress());
        }
        contact.add(t("Postadresse: ", "Postal address: ") + c.postalAddress());
        if (!c.websites().isEmpty()) {
            contact.add((c.websites().size() == 1 ? t("Nettsted: ", "Website: ") : t("Nettsteder: ", "Websites: "))
                    + String.join(", ", c.websites()));
        }
        if (c.organizationNumber() != null) {
            contact.add(t("Organisasjonsnummer: ", "Organisation number: ") + c.organizationNumber());
        }
        paragraphs.add(t("Slik kontakter du oss:", "How to contact us:") + "\n" + list(contact));
        if (c.dataProtectionOfficer() != null) {
            ControllerDetails.Contact dpo = c.dataProtectionOfficer();
            paragraphs.add(t("Personvernombud: ", "Data protection officer: ")
                    + (dpo.name() == null ? "" : dpo.name() + ", ") + dpo.email()
                    + (dpo.phone() == null ? "" : ", " + dpo.phone()));
        }
        return section("controller", t("Hvem som er ansvarlig", "Who is responsible"), paragraphs);
    }

    private Section dataWeRegister() {
        List<String> paragraphs = new ArrayList<>();
        paragraphs.add(t(
                "Vi registrerer bare opplysninger som du selv gir oss, og opplysninger om hvordan du bruker tjenestene våre. "
                        + "Kontaktinformasjonen din registreres når du bruker:",
                "We register only data that you give us yourself, and data about how you use our services. "
                        + "Your contact information is registered when you use:")
                + "\n" + list(catalog.systems().stream()
                        .filter(system -> !controllerActivitiesOf(system.key()).isEmpty())
                        .map(this::systemLine).toList()));
        Set<String> categories = new LinkedHashSet<>();
        controllerActivities().forEach(activity -> categories.addAll(activity.dataCategories()));
        paragraphs.add(t("Opplysningene kan være:", "The data can be:") + "\n"
                + list(categories.stream().map(key -> taxonomy.categoryName(key, language)).toList()));
        boolean deviceData = categories.stream().anyMatch(key -> Taxonomy.isWithin(key, "user.device"));
        if (deviceData) {
            paragraphs.add(t(
                    "Enhetene dine sender også ut opplysninger når de kobler seg til tjenestene våre: enhetstype, "
                            + "operativsystem, nettleserinformasjon og IP-adresse, og – bare hvis du sier ja – "
                            + "informasjonskapsler og pikselkoder.",
                    "Your devices also send information when they connect to our services: device type, operating "
                            + "system, browser information and IP address, and — only if you say yes — cookies and "
                            + "pixel tags."));
        }
        return section("data-we-register", t("Hvilke opplysninger vi registrerer", "What data we register"), paragraphs);
    }

    private Section purposes() {
        List<String> paragraphs = new ArrayList<>();
        paragraphs.add(t("Vi bruker opplysningene bare til formålene under, hvert med sitt rettslige grunnlag:",
                "We use the data only for the purposes below, each on its own legal basis:"));
        for (Activity activity : controllerActivities()) {
            List<String> lines = new ArrayList<>();
            lines.add(t("Formål: ", "Purpose: ") + names(activity.purposes()));
            lines.add(t("Rettslig grunnlag: ", "Legal basis: ") + basis(activity));
            lines.add(t("Opplysninger: ", "Data: ") + categoryNames(activity.dataCategories()));
            lines.add(t("Hvem opplysningene gjelder: ", "Whom the data is about: ") + activity.dataSubjects().stream()
                    .map(key -> taxonomy.subjectName(key, language)).collect(Collectors.joining(", ")));
            lines.add(t("Lagring: ", "Retention: ") + activity.retention().describe(language));
            List<String> recipients = recipients(activity);
            if (!recipients.isEmpty()) {
                lines.add(t("Mottakere: ", "Recipients: ") + String.join("; ", recipients));
            }
            lines.add(requirement(activity.legalBasis()));
            paragraphs.add(heading(activity) + text(activity.description()) + "\n" + list(lines));
        }
        return section("purposes", t("Hva vi bruker opplysningene til, og hvorfor vi har lov",
                "How we use the data, and on what legal basis"), paragraphs);
    }

    private Section cookies() {
        List<String> paragraphs = new ArrayList<>();
        // Named technologies, or a cookie identifier under consent (what the banner asks for).
        List<Activity> tracking = controllerActivities().stream().filter(a -> !a.technologies().isEmpty()
                || (a.legalBasis() == LegalBasis.CONSENT && !a.onDevice().isEmpty())).toList();
        if (tracking.isEmpty()) {
            paragraphs.add(t("Vi bruker ingen informasjonskapsler eller pikselkoder som krever samtykke.",
                    "We use no cookies or pixel tags that need your consent."));
            return section("cookies", t("Informasjonskapsler og pikselkoder", "Cookies and pixel tags"), paragraphs);
        }
        paragraphs.add(t(
                "En informasjonskapsel (cookie) er en liten tekstfil som lagres på datamaskinen, telefonen eller "
                        + "nettbrettet ditt. Den kan inneholde for eksempel innstillinger du gjør på nettstedet, teknisk "
                        + "informasjon om enheten din, hvilke sider du besøker og hvordan du navigerer mellom dem.",
                "A cookie is a small text file stored on your computer, phone or tablet. It can hold, for example, "
                        + "settings you make on the site, technical information about your device, which pages you "
                        + "visit and how you navigate between them."));
        paragraphs.add(t(
                "En pikselkode er en liten grafikk med en unik identifikator. Den har samme funksjon som en "
                        + "informasjonskapsel og samler inn informasjon på samme måte.",
                "A pixel tag is a small graphic with a unique identifier. It has the same function as a cookie and "
                        + "collects information the same way."));
        paragraphs.add(t(
                "Vi bruker bare informasjonskapsler og pikselkoder som ikke er strengt nødvendige når du aktivt har sagt "
                        + "ja til dem i samtykkebanneret vårt. Å besøke eller bla på nettstedet er ikke et samtykke, og "
                        + "ingenting er forhåndsavkrysset. «Avvis alle» er like enkelt som «Godta alle», og du kan når som "
                        + "helst endre valget ditt fra lenken «Innstillinger for informasjonskapsler» på sidene våre.",
                "We use cookies and pixel tags that are not strictly necessary only when you have actively said yes to "
                        + "them in our consent banner. Visiting or browsing the website is not consent, and nothing is "
                        + "pre-ticked. \"Reject all\" is as easy as \"Accept all\", and you can change your choice at any "
                        + "time from the \"Cookie settings\" link on our pages."));
        paragraphs.add(t(
                "Valget ditt lagres i informasjonskapselen pv_consent, som er strengt nødvendig for å huske det, i 6 "
                        + "måneder; deretter spør vi på nytt. Statistikk-kapselen pv_visit settes bare med samtykke, "
                        + "erstattes ved hvert besøk og varer til neste besøk, høyst 13 måneder. Ingen tredjeparter kan "
                        + "lese dem.",
                "Your choice is stored in the cookie pv_consent, which is strictly necessary to remember it, for 6 "
                        + "months; then we ask again. The statistics cookie pv_visit is set only with consent, is "
                        + "replaced at every visit and lasts until the next visit, at most 13 months. No third party "
                        + "can read them."));
        for (Activity activity : tracking) {
            String kind = activity.onDevice().stream()
                    .map(tech -> tech.equals("pixel") ? t("pikselkoder", "pixel tags") : t("informasjonskapsler", "cookies"))
                    .collect(Collectors.joining(t(" og ", " and ")));
            List<String> lines = new ArrayList<>();
            lines.add(t("Brukes til: ", "Used for: ") + names(activity.purposes()));
            lines.add(t("Teknologi: ", "Technology: ") + kind);
            lines.add(t("Levetid: ", "Lifetime: ") + activity.retention().describe(language));
            lines.add(activity.recipients().isEmpty()
                    ? t("Ingen tredjeparter kan lese dem.", "No third party can read them.")
                    : t("Kan leses av: ", "Can be read by: ") + String.join("; ", recipients(activity)));
            paragraphs.add(heading(activity) + text(activity.description()) + "\n" + list(lines));
        }
        return section("cookies", t("Informasjonskapsler og pikselkoder", "Cookies and pixel tags"), paragraphs);
    }

    private Section sharing() {
        List<String> paragraphs = new ArrayList<>();
        paragraphs.add(t(
                "Vi deler personopplysninger med andre bare når vi har inngått en databehandleravtale på forhånd, og da "
                        + "bare som en del av å levere våre egne tjenester. Vi selger ikke personopplysninger til noen.",
                "We share personal data with others only under a data processing agreement made beforehand, and then "
                        + "only as part of delivering our own services. We sell personal data to no one."));
        if (!catalog.processors().isEmpty()) {
            paragraphs.add(t("Databehandlerne våre:", "Our processors:") + "\n" + list(catalog.processors().stream()
                    .map(p -> p.name() + " – " + p.service().in(language) + " (" + countries(p.countries()) + ")")
                    .toList()));
        }
        for (Activity activity : controllerActivities()) {
            if (!activity.recipientCategories().isEmpty()) {
                paragraphs.add(text(activity.description()) + "\n" + list(activity.recipientCategories().stream()
                        .map(category -> category.in(language)).toList()));
            }
        }
        return section("sharing", t("Hvem vi deler opplysninger med", "Who we share data with"), paragraphs);
    }

    private Section transfers() {
        List<String> lines = new ArrayList<>();
        for (Processor processor : catalog.processors()) {
            List<String> third = processor.thirdCountries();
            if (!third.isEmpty()) {
                lines.add(processor.name() + ": " + countries(third) + " – " + safeguard(processor));
            }
        }
        String text = lines.isEmpty()
                ? t("Vi overfører ikke personopplysninger til land utenfor EØS.",
                        "We do not transfer personal data to countries outside the EEA.")
                : t("Noen databehandlere behandler opplysninger utenfor EØS, med disse garantiene:",
                        "Some processors process data outside the EEA, with these safeguards:") + "\n" + list(lines);
        return section("transfers", t("Overføring til land utenfor EØS", "Transfers outside the EEA"), List.of(text));
    }

    private Section retention() {
        List<String> paragraphs = new ArrayList<>();
        paragraphs.add(t(
                "Vi lagrer personopplysninger bare så lenge det er nødvendig for formålet med behandlingen og for å "
                        + "oppfylle rettslige forpliktelser. Når tiden er ute, sletter systemet opplysningene av seg selv.",
                "We keep personal data only as long as the purpose of the processing and our legal obligations "
                        + "require. When the time is up, the system deletes the data by itself."));
        paragraphs.add(list(controllerActivities().stream()
                .map(activity -> activity.name().in(language) + " (" + systemNames(activity) + "): "
                        + activity.retention().describe(language))
                .toList()));
        for (RetentionException exception : catalog.retentionExceptions()) {
            paragraphs.add(t("Unntak etter ", "Exception under ") + exception.law() + ": "
                    + categoryNames(exception.dataCategories())
                    + t(" oppbevares i ", " are kept for ") + exception.keepFor().describe(language)
                    + t(", også etter en sletteforespørsel, og brukes da ikke til noe annet. ",
                            ", also after a request for erasure, and are then used for nothing else. ")
                    + text(exception.description()));
        }
        return section("retention", t("Hvor lenge vi lagrer opplysningene", "How long we keep the data"), paragraphs);
    }

    private Section rights() {
        ControllerDetails c = catalog.controller();
        List<String> rights = List.of(
                t("Innsyn: du kan få vite hvilke opplysninger vi har om deg, og få en kopi (art. 15).",
                        "Access: you can learn what data we hold about you, and get a copy (Art. 15)."),
                t("Retting: du kan få rettet opplysninger som er feil eller ufullstendige (art. 16).",
                        "Rectification: you can have wrong or incomplete data corrected (Art. 16)."),
                t("Sletting: du kan få slettet opplysninger om deg ved å sende en forespørsel til " + requestsGoTo()
                        + " (art. 17).", "Erasure: you can have data about you deleted by sending a request to "
                                + requestsGoTo() + " (Art. 17)."),
                t("Begrensning: du kan be oss begrense behandlingen, slik at opplysningene bare lagres (art. 18).",
                        "Restriction: you can ask us to restrict the processing, so that the data is only stored (Art. 18)."),
                t("Dataportabilitet: du kan få opplysningene du har gitt oss i et maskinlesbart format (art. 20).",
                        "Portability: you can get the data you gave us in a machine-readable format (Art. 20)."),
                t("Protest: du kan protestere mot behandling som bygger på berettiget interesse. Protesterer du mot "
                        + "direkte markedsføring, stanser vi den alltid og for godt (art. 21).",
                        "Objection: you can object to processing based on legitimate interests. If you object to direct "
                                + "marketing, we always stop it, for good (Art. 21)."),
                t("Trekke samtykke: du kan når som helst trekke et samtykke, like enkelt som du ga det. Det påvirker "
                        + "ikke behandlingen før du trakk det (art. 7(3)).",
                        "Withdrawing consent: you can withdraw a consent at any time, as easily as you gave it. It does "
                                + "not affect the processing before you withdrew it (Art. 7(3))."));
        List<String> paragraphs = new ArrayList<>();
        paragraphs.add(t("Du har disse rettighetene:", "You have these rights:") + "\n" + list(rights));
        paragraphs.add(t(
                "Send forespørselen din til " + requestsGoTo() + " på " + c.email() + ". Vi svarer uten ugrunnet opphold og "
                        + "senest innen én måned; er forespørselen særlig omfattende, kan fristen forlenges med inntil "
                        + "to måneder, og da får du vite hvorfor innen den første måneden. Det er gratis.",
                "Send your request to " + requestsGoTo() + " at " + c.email() + ". We answer without undue delay and "
                        + "within one month at the latest; if the request is particularly complex, the deadline can be "
                        + "extended by up to two months, and you will be told why within the first month. It is free "
                        + "of charge."));
        return section("rights", t("Dine rettigheter", "Your rights"), paragraphs);
    }

    private Section complaint() {
        ControllerDetails.SupervisoryAuthority authority = catalog.controller().supervisoryAuthority();
        return section("complaint", t("Klage til " + authority.name(), "Complaint to " + authority.name()), List.of(t(
                "Mener du at vi behandler personopplysningene dine i strid med regelverket, kan du klage til "
                        + authority.name() + " (" + authority.url() + "). Du kan også gå til domstolene.",
                "If you believe we process your personal data in breach of the rules, you have the right to complain to "
                        + authority.name() + " (" + authority.url() + "). You can also take the matter to court.")));
    }

    private Section automatedDecisions() {
        return section("automated-decisions", t("Automatiserte avgjørelser", "Automated decisions"), List.of(t(
                "Vi tar ingen avgjørelser om deg som bare bygger på automatisert behandling, og vi bruker ingen "
                        + "profilering som har rettsvirkning eller tilsvarende betydelig virkning for deg.",
                "We make no decisions about you based solely on automated processing, and we use no profiling that "
                        + "has legal or similarly significant effects for you.")));
    }

    private Section security() {
        List<String> paragraphs = new ArrayList<>();
        paragraphs.add(t("Løsningene og lagringen våre oppfyller strenge sikkerhetskrav:",
                "Our solutions and storage meet strict security requirements:")
                + (catalog.securityMeasures().isEmpty() ? ""
                        : "\n" + list(catalog.securityMeasures().stream().map(m -> m.in(language)).toList())));
        return section("security", t("Informasjonssikkerhet", "Security"), paragraphs);
    }

    // ---- helpers -------------------------------------------------------------------------

    /** Where requests go: the system of the catalog's activity for them (the customer centre), or us. */
    private String requestsGoTo() {
        return catalog.activityFor(OwnProcessing.DATA_SUBJECT_REQUESTS).filter(activity -> !activity.builtIn())
                .flatMap(activity -> catalog.system(activity.systems().get(0)))
                .map(system -> system.name().in(language))
                .map(name -> name.startsWith("The ") ? "the " + name.substring(4) : name)
                .orElse(t("oss", "us"));
    }

    private String basis(Activity activity) {
        LegalBasis basis = activity.legalBasis();
        String article = " (" + (language == Language.NB ? basis.article().replace("Art.", "GDPR art.")
                : "GDPR " + basis.article()) + ")";
        return switch (basis) {
            case CONSENT -> t("samtykke", "consent") + article
                    + t(" – du kan trekke det tilbake når som helst", " — you can withdraw it at any time");
            case CONTRACT -> t("avtale", "contract") + article
                    + t(" – nødvendig for å levere tjenesten du har bestilt", " — necessary to deliver the service you ordered");
            case LEGAL_OBLIGATION -> t("rettslig forpliktelse", "legal obligation") + article;
            case VITAL_INTERESTS -> t("vitale interesser", "vital interests") + article;
            case PUBLIC_TASK -> t("oppgave i allmennhetens interesse", "task in the public interest") + article;
            case LEGITIMATE_INTERESTS -> t("berettiget interesse", "legitimate interests") + article + ": "
                    + text(activity.legitimateInterest());
        };
    }

    /** Art. 13(2)(e): whether the person must provide the data, and what happens if not. */
    private String requirement(LegalBasis basis) {
        return switch (basis) {
            case CONSENT -> t("Det er frivillig å samtykke, og å si nei får ingen følger for tjenestene du bruker.",
                    "Consenting is voluntary, and saying no has no consequences for the services you use.");
            case CONTRACT -> t("Opplysningene trengs for å levere tjenesten; uten dem kan vi ikke levere den.",
                    "The data is needed to deliver the service; without it we cannot deliver it.");
            case LEGAL_OBLIGATION -> t("Vi er pålagt ved lov å behandle disse opplysningene.",
                    "We are required by law to process this data.");
            case LEGITIMATE_INTERESTS -> t("Du kan protestere mot denne behandlingen (se rettighetene dine).",
                    "You can object to this processing (see your rights).");
            case VITAL_INTERESTS, PUBLIC_TASK -> t("Opplysningene trengs for formålet.", "The data is needed for the purpose.");
        };
    }

    private List<String> recipients(Activity activity) {
        List<String> recipients = new ArrayList<>();
        for (String key : activity.recipients()) {
            Processor processor = catalog.processor(key).orElseThrow();
            recipients.add(processor.name() + t(" (databehandler, ", " (processor, ") + processor.service().in(language) + ")");
        }
        activity.recipientCategories().forEach(category -> recipients.add(category.in(language)));
        return recipients;
    }

    private String safeguard(Processor processor) {
        return switch (processor.transferMechanism()) {
            case ADEQUACY -> t("landet har et vedtak om tilstrekkelig beskyttelsesnivå fra EU-kommisjonen (art. 45)",
                    "the country has an adequacy decision of the European Commission (Art. 45)");
            case SCC -> t("EU-kommisjonens standard personvernbestemmelser (art. 46)",
                    "the European Commission's standard contractual clauses (Art. 46)");
            case BCR -> t("bindende virksomhetsregler (art. 47)", "binding corporate rules (Art. 47)");
            case NONE -> t("ingen", "none");
        };
    }

    private List<Activity> controllerActivities() {
        return catalog.activities().stream().filter(activity -> activity.role() == Role.CONTROLLER).toList();
    }

    private List<Activity> controllerActivitiesOf(String system) {
        return controllerActivities().stream().filter(activity -> activity.usesSystem(system)).toList();
    }

    private String systemLine(DataSystem system) {
        return system.name().in(language) + (system.description() == null ? "" : " – " + system.description().in(language));
    }

    private String systemNames(Activity activity) {
        return activity.systems().stream()
                .map(key -> catalog.system(key).map(system -> system.name().in(language)).orElse(key))
                .collect(Collectors.joining(", "));
    }

    private String names(List<String> uses) {
        return uses.stream().map(key -> taxonomy.useName(key, language)).collect(Collectors.joining(", "));
    }

    private String categoryNames(List<String> categories) {
        return categories.stream().map(key -> taxonomy.categoryName(key, language)).collect(Collectors.joining(", "));
    }

    private static String countries(List<String> codes) {
        return String.join(", ", codes);
    }

    /** A sub-heading line: the notice text marks it with "### ", as Markdown would. */
    private String heading(Activity activity) {
        return "### " + activity.name().in(language) + "\n";
    }

    private String text(LocalizedText text) {
        return text == null ? "" : text.in(language);
    }

    private static String list(List<String> items) {
        return items.stream().map(item -> "- " + item).collect(Collectors.joining("\n"));
    }

    private String t(String nb, String en) {
        return language == Language.NB ? nb : en;
    }

    private static Section section(String id, String title, List<String> paragraphs) {
        return new Section(id, title, String.join("\n\n", paragraphs));
    }
}
