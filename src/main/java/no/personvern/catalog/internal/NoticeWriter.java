package no.personvern.catalog.internal;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.Map;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import no.personvern.catalog.Activity;
import no.personvern.catalog.Catalog;
import no.personvern.catalog.ControllerDetails;
import no.personvern.catalog.DataSystem;
import no.personvern.catalog.IsoPeriod;
import no.personvern.catalog.Language;
import no.personvern.catalog.LegalBasis;
import no.personvern.catalog.LocalizedText;
import no.personvern.catalog.OwnProcessing;
import no.personvern.catalog.PrivacyNotice.Block;
import no.personvern.catalog.PrivacyNotice.Section;
import no.personvern.catalog.Processor;
import no.personvern.catalog.RetentionException;
import no.personvern.catalog.Role;
import no.personvern.catalog.Taxonomy;
import no.personvern.catalog.WebsiteTerms;
import org.springframework.context.MessageSource;
import org.springframework.context.support.ResourceBundleMessageSource;

/**
 * Writes the sections of the privacy notice from the catalog, with the prose of
 * {@code notice/messages_*.properties}. It covers what Art. 13 requires: the controller and
 * contact (13(1)(a)–(b)), purposes and legal basis of each activity (13(1)(c)–(d)), recipients
 * (13(1)(e)), transfers (13(1)(f)), retention (13(2)(a)), every right (13(2)(b)–(c)), the
 * complaint to Datatilsynet (13(2)(d)), whether data is required (13(2)(e)) and automated
 * decisions (13(2)(f)). It never claims that browsing is consent: cookies and pixels that are not
 * strictly necessary wait for an active choice (ekomloven, EDPB guidelines 05/2020).
 */
final class NoticeWriter {

    private final Catalog catalog;
    private final Language language;
    private final Taxonomy taxonomy;
    private final MessageSource messages;
    private final Locale locale;
    private final WebsiteTerms website;

    NoticeWriter(Catalog catalog, Language language, MessageSource messages, WebsiteTerms website) {
        this.catalog = catalog;
        this.website = website;
        this.language = language;
        this.taxonomy = catalog.taxonomy();
        this.messages = messages;
        this.locale = Locale.forLanguageTag(language.code());
    }

    /** The notice's prose in every language; every pattern goes through MessageFormat. */
    static MessageSource messages() {
        ResourceBundleMessageSource source = new ResourceBundleMessageSource();
        source.setBasename("notice/messages");
        source.setDefaultEncoding("UTF-8");
        source.setFallbackToSystemLocale(false);
        source.setAlwaysUseMessageFormat(true);
        return source;
    }

    List<Section> sections() {
        return List.of(controller(), dataWeRegister(), purposes(), cookies(), sharing(), transfers(), retention(),
                rights(), complaint(), automatedDecisions(), security());
    }

    private Section controller() {
        ControllerDetails c = catalog.controller();
        List<Block> blocks = new ArrayList<>();
        // Only a catalog with activities of role processor processes data on behalf of customers.
        boolean processor = catalog.activities().stream().anyMatch(activity -> activity.role() == Role.PROCESSOR);
        blocks.add(paragraph(m(processor ? "notice.controller.intro.both" : "notice.controller.intro.controller",
                c.name())));
        for (Activity activity : catalog.activities()) {
            if (activity.role() == Role.PROCESSOR) {
                blocks.add(paragraph(m("notice.controller.as-processor", activity.name().in(language),
                        text(activity.description()))));
            }
        }
        List<String> contact = new ArrayList<>();
        contact.add(m("notice.controller.email", c.email()));
        if (c.phone() != null) {
            contact.add(m("notice.controller.phone", c.phone()));
        }
        if (c.visitingAddress() != null) {
            contact.add(m("notice.controller.visiting-address", c.visitingAddress()));
        }
        contact.add(m("notice.controller.postal-address", c.postalAddress()));
        if (!c.websites().isEmpty()) {
            contact.add(m(c.websites().size() == 1 ? "notice.controller.website" : "notice.controller.websites",
                    String.join(", ", c.websites())));
        }
        if (c.organizationNumber() != null) {
            contact.add(m("notice.controller.organization-number", c.organizationNumber()));
        }
        blocks.add(list(m("notice.controller.contact"), contact));
        // Art. 13(1)(b): the DPO's contact details; without one, where privacy questions go instead.
        if (c.hasDataProtectionOfficer()) {
            ControllerDetails.Contact dpo = c.dataProtectionOfficer();
            blocks.add(paragraph(m("notice.controller.dpo", (dpo.name() == null ? "" : dpo.name() + ", ")
                    + dpo.email() + (dpo.phone() == null ? "" : ", " + dpo.phone()))));
        } else {
            blocks.add(paragraph(m("notice.controller.no-dpo", c.privacyMailbox())));
        }
        return section("controller", "notice.controller.title", blocks);
    }

    private Section dataWeRegister() {
        List<Block> blocks = new ArrayList<>();
        // Art. 14: where data comes from others (an employer registering its staff), the notice says so.
        List<Activity> fromOthers = controllerActivities().stream().filter(a -> !a.sources().isEmpty()).toList();
        blocks.add(list(m(fromOthers.isEmpty() ? "notice.data.systems" : "notice.data.systems.sources"),
                catalog.systems().stream()
                .filter(system -> !controllerActivitiesOf(system.key()).isEmpty())
                .map(this::systemLine).toList()));
        if (!fromOthers.isEmpty()) {
            blocks.add(list(m("notice.data.sources"), fromOthers.stream()
                    .map(activity -> activity.name().in(language) + ": " + sources(activity)).toList()));
        }
        Set<String> categories = new LinkedHashSet<>();
        controllerActivities().forEach(activity -> categories.addAll(activity.dataCategories()));
        blocks.add(list(m("notice.data.categories"),
                categories.stream().map(key -> taxonomy.categoryName(key, language)).toList()));
        if (categories.stream().anyMatch(key -> Taxonomy.isWithin(key, "user.device"))) {
            blocks.add(paragraph(m("notice.data.devices")));
        }
        return section("data-we-register", "notice.data.title", blocks);
    }

    private Section purposes() {
        List<Block> blocks = new ArrayList<>();
        blocks.add(paragraph(m("notice.purposes.intro")));
        for (Activity activity : controllerActivities()) {
            List<String> lines = new ArrayList<>();
            lines.add(m("notice.purposes.purpose", names(activity.purposes())));
            lines.add(m("notice.purposes.basis", basis(activity)));
            lines.add(m("notice.purposes.data", categoryNames(activity.dataCategories())));
            lines.add(m("notice.purposes.subjects", activity.dataSubjects().stream()
                    .map(key -> taxonomy.subjectName(key, language)).collect(Collectors.joining(", "))));
            if (!activity.sources().isEmpty()) {
                lines.add(m("notice.purposes.sources", sources(activity)));
            }
            lines.add(m("notice.purposes.retention", retentionOf(activity)));
            List<String> recipients = recipients(activity);
            if (!recipients.isEmpty()) {
                lines.add(m("notice.purposes.recipients", String.join("; ", recipients)));
            }
            lines.add(m("notice.requirement." + activity.legalBasis().key()));
            blocks.add(activityBlock(activity, lines));
        }
        return section("purposes", "notice.purposes.title", blocks);
    }

    private Section cookies() {
        // Named technologies, or a cookie identifier under consent (what the banner asks for).
        List<Activity> tracking = controllerActivities().stream().filter(a -> !a.technologies().isEmpty()
                || (a.legalBasis() == LegalBasis.CONSENT && !a.onDevice().isEmpty())).toList();
        if (tracking.isEmpty()) {
            return section("cookies", "notice.cookies.title", List.of(paragraph(m("notice.cookies.none"))));
        }
        List<Block> blocks = new ArrayList<>();
        blocks.add(paragraph(m("notice.cookies.cookie")));
        blocks.add(paragraph(m("notice.cookies.pixel")));
        blocks.add(paragraph(m("notice.cookies.consent")));
        blocks.add(paragraph(m("notice.cookies.own", days(website.choiceLifetime()), days(website.visitCookieLifetime()))));
        if (!WebsiteTerms.bannerActivities(catalog).isEmpty()) {
            blocks.add(paragraph(m("notice.cookies.proof", website.proof().describe(language))));
        }
        for (Activity activity : tracking) {
            String kind = activity.onDevice().stream()
                    .map(tech -> m(tech.equals("pixel") ? "notice.cookies.pixels" : "notice.cookies.cookies"))
                    .collect(Collectors.joining(" " + m("notice.cookies.and") + " "));
            List<String> lines = new ArrayList<>();
            lines.add(m("notice.cookies.used-for", names(activity.purposes())));
            lines.add(m("notice.cookies.technology", kind));
            lines.add(m("notice.cookies.lifetime", activity.retention().describe(language)));
            hitsKept(activity).forEach((hits, period) -> lines.add(m(hits == WebsiteTerms.Kind.PAGE_VIEWS
                    ? "notice.cookies.pageviews" : "notice.cookies.campaigns", period)));
            lines.add(activity.recipients().isEmpty() ? m("notice.cookies.no-third-party")
                    : m("notice.cookies.read-by", String.join("; ", recipients(activity))));
            blocks.add(activityBlock(activity, lines));
        }
        return section("cookies", "notice.cookies.title", blocks);
    }

    private Section sharing() {
        List<Block> blocks = new ArrayList<>();
        blocks.add(paragraph(m("notice.sharing.intro")));
        if (!catalog.processors().isEmpty()) {
            blocks.add(list(m("notice.sharing.processors"), catalog.processors().stream()
                    .map(p -> p.name() + " – " + p.service().in(language) + " (" + String.join(", ", p.countries())
                            + ")")
                    .toList()));
        }
        for (Activity activity : controllerActivities()) {
            if (!activity.recipientCategories().isEmpty()) {
                blocks.add(new Block(null, lines(activity.description()), activity.recipientCategories().stream()
                        .map(category -> category.in(language)).toList()));
            }
        }
        return section("sharing", "notice.sharing.title", blocks);
    }

    private Section transfers() {
        List<String> lines = new ArrayList<>();
        for (Processor processor : catalog.processors()) {
            List<String> third = processor.thirdCountries();
            if (!third.isEmpty()) {
                lines.add(processor.name() + ": " + String.join(", ", third) + " – "
                        + m("notice.safeguard." + processor.transferMechanism().key()));
            }
        }
        Block block = lines.isEmpty() ? paragraph(m("notice.transfers.none")) : list(m("notice.transfers.intro"), lines);
        return section("transfers", "notice.transfers.title", List.of(block));
    }

    private Section retention() {
        List<Block> blocks = new ArrayList<>();
        blocks.add(paragraph(m("notice.retention.intro")));
        blocks.add(new Block(null, List.of(), controllerActivities().stream()
                .map(activity -> activity.name().in(language) + " (" + systemNames(activity) + "): "
                        + retentionOf(activity))
                .toList()));
        for (RetentionException exception : catalog.retentionExceptions()) {
            blocks.add(paragraph(m("notice.retention.exception", exception.law(),
                    categoryNames(exception.dataCategories()), exception.describe(language))
                    + " " + text(exception.description())));
        }
        return section("retention", "notice.retention.title", blocks);
    }

    private Section rights() {
        String requestsGoTo = requestsGoTo();
        List<String> rights = List.of(m("notice.rights.access"), m("notice.rights.rectification"),
                m("notice.rights.erasure", requestsGoTo), m("notice.rights.restriction"),
                m("notice.rights.portability"), m("notice.rights.objection"), m("notice.rights.withdrawal"));
        return section("rights", "notice.rights.title", List.of(list(m("notice.rights.intro"), rights),
                paragraph(m("notice.rights.how", requestsGoTo, catalog.controller().email()))));
    }

    private Section complaint() {
        ControllerDetails.SupervisoryAuthority authority = catalog.controller().supervisoryAuthority();
        return Section.of("complaint", m("notice.complaint.title", authority.name()),
                List.of(paragraph(m("notice.complaint.text", authority.name(), authority.url()))));
    }

    private Section automatedDecisions() {
        return section("automated-decisions", "notice.automated.title",
                List.of(paragraph(m("notice.automated.text"))));
    }

    private Section security() {
        return section("security", "notice.security.title", List.of(list(m("notice.security.intro"),
                catalog.securityMeasures().stream().map(measure -> measure.in(language)).toList())));
    }

    // ---- helpers -------------------------------------------------------------------------

    /**
     * An activity's retention in words, with what a retention exception keeps longer (from the end
     * of the financial year); for the banner's activities also how long the hits are kept.
     */
    private String retentionOf(Activity activity) {
        StringBuilder text = new StringBuilder(catalog.retentionText(activity, language));
        hitsKept(activity).forEach((kind, period) -> text.append("; ").append(m(kind == WebsiteTerms.Kind.PAGE_VIEWS
                ? "notice.retention.pageviews" : "notice.retention.campaigns", period)));
        return text.toString();
    }

    /**
     * For an activity of the banner, how long the sweep keeps the hits of each kind collected under
     * it (the shortest period among the activities collecting that kind), in words; empty otherwise.
     */
    private Map<WebsiteTerms.Kind, String> hitsKept(Activity activity) {
        Map<WebsiteTerms.Kind, String> kept = new EnumMap<>(WebsiteTerms.Kind.class);
        if (WebsiteTerms.bannerActivities(catalog).contains(activity)) {
            for (WebsiteTerms.Kind kind : WebsiteTerms.Kind.values()) {
                if (WebsiteTerms.collects(activity, kind)) {
                    website.hitsKeptFor(catalog, kind).ifPresent(period -> kept.put(kind, period.describe(language)));
                }
            }
        }
        return kept;
    }

    private String days(java.time.Duration duration) {
        return new IsoPeriod(java.time.Period.ofDays((int) duration.toDays()), java.time.Duration.ZERO).describe(language);
    }

    /** Where requests go: the system of the catalog's activity for them (the customer centre), or us. */
    private String requestsGoTo() {
        return catalog.activityFor(OwnProcessing.DATA_SUBJECT_REQUESTS).filter(activity -> !activity.builtIn())
                .flatMap(activity -> catalog.system(activity.systems().get(0)))
                .map(system -> system.name().in(language))
                .map(name -> name.startsWith("The ") ? "the " + name.substring(4) : name)
                .orElse(m("notice.rights.us"));
    }

    /** The sources an activity declares besides the person (Art. 14(2)(f)). */
    private String sources(Activity activity) {
        return activity.sources().stream().map(source -> source.in(language)).collect(Collectors.joining("; "));
    }

    private String basis(Activity activity) {
        LegalBasis basis = activity.legalBasis();
        String article = m("notice.basis.article", basis.article().substring("Art. ".length()));
        return m("notice.basis." + basis.key(), article, text(activity.legitimateInterest()));
    }

    private List<String> recipients(Activity activity) {
        List<String> recipients = new ArrayList<>();
        for (String key : activity.recipients()) {
            Processor processor = catalog.processor(key).orElseThrow();
            recipients.add(m("notice.recipient.processor", processor.name(), processor.service().in(language)));
        }
        activity.recipientCategories().forEach(category -> recipients.add(category.in(language)));
        return recipients;
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

    /** An activity under its own sub-heading: its description, then the facts about it. */
    private Block activityBlock(Activity activity, List<String> facts) {
        return new Block(activity.name().in(language), lines(activity.description()), facts);
    }

    /**
     * A description as paragraphs, one per line of the catalog text. A missing description is one
     * empty paragraph, so that the text form keeps its blank line there; the page shows none.
     */
    private List<String> lines(LocalizedText description) {
        return List.of(text(description).split("\n", -1));
    }

    private String text(LocalizedText text) {
        return text == null ? "" : text.in(language);
    }

    private String m(String key, Object... arguments) {
        return messages.getMessage(key, arguments, locale);
    }

    private static Block paragraph(String text) {
        return new Block(null, List.of(text), List.of());
    }

    private static Block list(String intro, List<String> items) {
        return new Block(null, List.of(intro), items);
    }

    private Section section(String id, String titleKey, List<Block> blocks) {
        return Section.of(id, m(titleKey), blocks);
    }
}
