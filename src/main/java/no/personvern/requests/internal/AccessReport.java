package no.personvern.requests.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import no.personvern.PersonvernProperties;
import no.personvern.catalog.Activity;
import no.personvern.catalog.Catalog;
import no.personvern.catalog.ControllerDetails;
import no.personvern.catalog.Language;
import no.personvern.catalog.LegalBasis;
import no.personvern.catalog.LocalizedText;
import no.personvern.catalog.Processor;
import no.personvern.consent.ConsentRecord;
import no.personvern.disclosures.Disclosure;
import no.personvern.disclosures.DisclosureBasis;
import no.personvern.subjects.DocumentInfo;
import no.personvern.subjects.SubjectView;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import org.thymeleaf.context.Context;
import org.thymeleaf.spring6.SpringTemplateEngine;
import org.thymeleaf.templatemode.TemplateMode;
import org.thymeleaf.templateresolver.ClassLoaderTemplateResolver;

/**
 * The {@code report.html} of an access or portability package, answering Art. 15(1)(a)–(h) and 15(2)
 * in the person's language: the person's data grouped by the activity that uses it, each group with
 * its purposes, legal basis, recipients, transfers, retention, source and rights, then the rights,
 * the complaint and a point-by-point summary. The Thymeleaf template is
 * {@code templates/requests/report.html}, its texts {@code requests/report_<lang>.properties}, its
 * style the privacy centre's stylesheet carried inline (the file is opened from disk).
 */
@Component
class AccessReport {

    /** One line under (a): an activity, its purposes and its legal basis in words with the article. */
    record Purpose(String activity, String purposes, String basis, String article) {
    }

    private static final String STYLESHEET = "static/assets/personvern.css";

    /** A place for the n-th argument in a text of the bundle: {@code {0}}, {@code {1}}. */
    private static final Pattern ARGUMENT = Pattern.compile("\\{(\\d)}");

    private final SpringTemplateEngine engine = new SpringTemplateEngine();
    private final Catalog catalog;
    private final String baseUrl;
    private final String css;
    private final Map<Language, Map<String, String>> texts = new HashMap<>();

    AccessReport(Catalog catalog) {
        this(catalog, null);
    }

    @Autowired
    AccessReport(Catalog catalog, PersonvernProperties site) {
        this.catalog = catalog;
        String base = site == null ? null : site.baseUrl();
        this.baseUrl = base == null || base.isBlank() ? null : base.replaceAll("/+$", "");
        this.css = stylesheet();
        for (Language language : Language.values()) {
            texts.put(language, texts(language));
        }
        ClassLoaderTemplateResolver resolver = new ClassLoaderTemplateResolver();
        resolver.setPrefix("templates/requests/");
        resolver.setSuffix(".html");
        resolver.setTemplateMode(TemplateMode.HTML);
        resolver.setCharacterEncoding("UTF-8");
        resolver.setCacheable(true);
        engine.setTemplateResolver(resolver);
    }

    /** The privacy centre's stylesheet, read once; a {@code </} in it could not end the style element. */
    private static String stylesheet() {
        try (InputStream in = AccessReport.class.getClassLoader().getResourceAsStream(STYLESHEET)) {
            if (in == null) {
                return "";
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).replace("</", "<\\/");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Map<String, String> texts(Language language) {
        Properties properties = new Properties();
        String name = "requests/report_" + language.code() + ".properties";
        try (InputStream in = AccessReport.class.getClassLoader().getResourceAsStream(name)) {
            properties.load(new InputStreamReader(Objects.requireNonNull(in, name), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, String> map = new HashMap<>();
        properties.stringPropertyNames().forEach(key -> map.put(key, properties.getProperty(key)));
        return Map.copyOf(map);
    }

    /**
     * Parses and caches the template once at start-up, with nothing in it, so that the first
     * person's package does not pay for the engine's first use (about 12 MiB more allocated while
     * building it, measured by the package benchmark).
     */
    @EventListener(ApplicationReadyEvent.class)
    void parseTemplate() {
        SubjectView nobody = new SubjectView(UUID.randomUUID(), null, List.of(), List.of());
        render(new Held(nobody, List.of(), List.of(), List.of(), Map.of(), List.of(), List.of(), Instant.EPOCH, "access"),
                Language.EN, Writer.nullWriter());
    }

    /**
     * Everything a package holds about the person: values, identities and documents (with the
     * name of each document's file in the ZIP), disclosures, consents, subscribed lists, the
     * requests they made (the request handling is processing too), what the DPO withheld, when
     * the package was made and what was asked for ({@code access} or {@code portability}).
     */
    record Held(SubjectView person, List<Disclosure> disclosed, List<ConsentRecord> consents, List<String> lists,
            Map<UUID, String> files, List<PackageBuilder.PackageData.PastRequest> requests,
            List<PackageBuilder.Withheld> withheld, Instant madeAt, String type) {

        boolean madeRequests() {
            return !requests.isEmpty();
        }
    }

    /** One value as the report shows it: the category named in the person's language. */
    record ValueLine(String category, String value, String source, String collected, boolean restricted) {
    }

    /** One consent decision with its receipt id. */
    record ConsentLine(String purpose, boolean granted, String recorded, String receipt) {
    }

    /** One document, with its file in the ZIP (a relative path the package itself chose). */
    record DocumentLine(String kind, String category, String uploaded, String file, String size) {
    }

    /** One request the person made. */
    record RequestLine(String type, String status, String received, String due) {
    }

    /**
     * One use of the person's data: an activity with what the person has under it and what the
     * catalog says of it. {@code sources} empty means from the person.
     */
    record Group(String id, String name, String description, List<String> purposes, String basis, String interest,
            List<String> recipients, List<String> transfers, String retention, List<String> sources,
            List<String> rights, List<ValueLine> values, List<DocumentLine> documents, List<String> lists,
            List<ConsentLine> consents, List<RequestLine> requests) {

        boolean holdsNothing() {
            return values.isEmpty() && documents.isEmpty() && lists.isEmpty() && consents.isEmpty()
                    && requests.isEmpty();
        }
    }

    String render(SubjectView person, List<Disclosure> disclosed, Language language) {
        StringWriter out = new StringWriter();
        render(new Held(person, disclosed, List.of(), List.of(), Map.of(), List.of(), List.of(), Instant.EPOCH,
                "access"), language, out);
        return out.toString();
    }

    String render(Held held, Language language) {
        StringWriter out = new StringWriter();
        render(held, language, out);
        return out.toString();
    }

    /** Writes the report to {@code out} as the template renders it, not as one string first. */
    void render(Held held, Language language, Writer out) {
        SubjectView person = held.person();
        boolean nb = language == Language.NB;
        Map<String, String> t = texts.get(language);
        Set<String> activityKeys = new LinkedHashSet<>();
        Set<String> systemKeys = new LinkedHashSet<>();
        person.data().forEach(value -> {
            activityKeys.add(value.activity());
            systemKeys.add(value.system());
        });
        Map<UUID, String> documentActivity = new LinkedHashMap<>();
        person.documents().forEach(document -> {
            String activity = documentActivity(document);
            if (activity != null) {
                activityKeys.add(activity);
                documentActivity.put(document.id(), activity);
            }
            systemKeys.add(document.system());
        });
        // A person known only by an identity is processed all the same: for the lists they subscribe
        // to, the consents they gave, the systems whose ids they have, and the requests they made.
        Map<String, String> listActivity = new LinkedHashMap<>();
        for (String list : held.lists()) {
            catalog.list(list).ifPresent(mailingList -> {
                activityKeys.add(mailingList.activity());
                systemKeys.add(mailingList.system());
                listActivity.put(list, mailingList.activity());
            });
        }
        held.consents().stream().filter(ConsentRecord::granted).map(ConsentRecord::purpose).distinct()
                .forEach(purpose -> consentActivities(purpose).forEach(a -> activityKeys.add(a.key())));
        held.consents().stream().map(ConsentRecord::activity).filter(Objects::nonNull).forEach(activityKeys::add);
        SubjectView.IdentityView ids = person.identities();
        if (ids != null && ids.externalIds() != null) {
            for (String system : ids.externalIds().keySet()) {
                systemKeys.add(system);
                List<Activity> ofSystem = catalog.activitiesOf(system);
                if (ofSystem != null && ofSystem.size() == 1) {
                    activityKeys.add(ofSystem.get(0).key());
                }
            }
        }
        String requestActivity = null;
        if (held.madeRequests() && catalog.activities() != null && !catalog.activities().isEmpty()) {
            Catalog.Source handling = catalog.requestHandling();
            if (handling != null) {
                requestActivity = handling.activity();
                activityKeys.add(handling.activity());
                systemKeys.add(handling.system());
            }
        }
        Map<String, Activity> activities = new LinkedHashMap<>();
        activityKeys.forEach(key -> catalog.activity(key).ifPresent(activity -> activities.put(key, activity)));
        ControllerDetails controller = catalog.controller();

        // The person's data, each item under the activity that uses it.
        List<Group> groups = new ArrayList<>();
        int n = 0;
        for (Map.Entry<String, Activity> entry : activities.entrySet()) {
            String key = entry.getKey();
            Activity activity = entry.getValue();
            List<ValueLine> values = person.data().stream().filter(v -> key.equals(v.activity()))
                    .map(v -> valueLine(v, language)).toList();
            List<DocumentLine> documents = person.documents().stream()
                    .filter(d -> key.equals(documentActivity.get(d.id())))
                    .map(d -> documentLine(d, held, language, t)).toList();
            List<String> lists = held.lists().stream().filter(l -> key.equals(listActivity.get(l)))
                    .map(l -> catalog.list(l).map(m -> m.title().in(language)).orElse(l)).toList();
            List<ConsentLine> consents = held.consents().stream()
                    .filter(c -> key.equals(consentActivity(c)))
                    .map(c -> consentLine(c, language)).toList();
            List<RequestLine> requests = key.equals(requestActivity)
                    ? held.requests().stream().map(r -> requestLine(r, nb, t)).toList() : List.of();
            List<String> transfers = new ArrayList<>();
            groups.add(new Group("use-" + (++n), text(activity.name(), language, key),
                    text(activity.description(), language, null), purposeNames(activity, language),
                    basisWords(activity.legalBasis(), t) + " (" + article(activity.legalBasis(), t) + ")",
                    text(activity.legitimateInterest(), language, null),
                    recipients(activity, language, transfers, t), transfers,
                    catalog.retentionText(activity, language),
                    orEmpty(activity.sources()).stream().map(s -> s.in(language)).toList(),
                    rightsHere(activity.legalBasis(), t), values, documents, lists, consents, requests));
        }
        // What no activity of the catalog claims: shown all the same, never left out.
        List<ValueLine> otherValues = person.data().stream().filter(v -> !activities.containsKey(v.activity()))
                .map(v -> valueLine(v, language)).toList();
        List<DocumentLine> otherDocuments = person.documents().stream()
                .filter(d -> !activities.containsKey(documentActivity.get(d.id())))
                .map(d -> documentLine(d, held, language, t)).toList();
        List<String> otherLists = held.lists().stream().filter(l -> !activities.containsKey(listActivity.get(l)))
                .map(l -> catalog.list(l).map(m -> m.title().in(language)).orElse(l)).toList();
        List<ConsentLine> otherConsents = held.consents().stream()
                .filter(c -> !activities.containsKey(consentActivity(c)))
                .map(c -> consentLine(c, language)).toList();
        List<RequestLine> otherRequests = requestActivity != null && activities.containsKey(requestActivity)
                ? List.of() : held.requests().stream().map(r -> requestLine(r, nb, t)).toList();

        // The summary, point by point of Art. 15.
        List<Activity> used = List.copyOf(activities.values());
        List<Purpose> purposes = activities.entrySet().stream().map(e -> new Purpose(
                text(e.getValue().name(), language, e.getKey()),
                String.join(", ", purposeNames(e.getValue(), language)),
                basisWords(e.getValue().legalBasis(), t), article(e.getValue().legalBasis(), t))).toList();
        Set<String> categories = new LinkedHashSet<>();
        person.data().forEach(value -> categories.add(catalog.taxonomy().categoryName(value.category(), language)));
        person.documents().stream().filter(d -> d.category() != null)
                .forEach(d -> categories.add(catalog.taxonomy().categoryName(d.category(), language)));
        if (categories.isEmpty()) {
            used.forEach(a -> orEmpty(a.dataCategories())
                    .forEach(c -> categories.add(catalog.taxonomy().categoryName(c, language))));
        }
        List<String> recipients = new ArrayList<>();
        List<String> transfers = new ArrayList<>();
        for (Activity activity : used) {
            List<String> own = new ArrayList<>();
            recipients(activity, language, own, t).forEach(r -> {
                if (!recipients.contains(r)) {
                    recipients.add(r);
                }
            });
            own.stream().filter(line -> !transfers.contains(line)).forEach(transfers::add);
        }
        List<String> disclosures = held.disclosed().stream().map(d -> Letters.date(d.disclosedAt(), nb) + ": "
                + d.recipientName() + " – " + String.join(", ", d.dataCategories().stream()
                        .map(c -> catalog.taxonomy().categoryName(c, language)).toList())
                + " (" + say(t, "disclosureBasis." + d.basis().key()) + (d.reference() == null ? "" : ", " + d.reference()) + ")")
                .toList();
        List<String> retention = activities.entrySet().stream().map(e -> text(e.getValue().name(), language,
                e.getKey()) + ": " + catalog.retentionText(e.getValue(), language)).toList();
        Set<String> sources = new LinkedHashSet<>();
        systemKeys.forEach(system -> sources.add(catalog.system(system).map(s -> s.name().in(language)).orElse(system)));
        // Art. 15(1)(g): where the data did not come from the person, the source the activity names.
        used.forEach(activity -> orEmpty(activity.sources()).forEach(source -> sources.add(source.in(language))));
        List<String> identities = identityLines(ids, language, t);
        List<String> withheld = held.withheld().stream().map(w -> withheldName(w.item(), language, t) + ": " + w.reason())
                .toList();
        boolean nothing = groups.stream().allMatch(Group::holdsNothing) && otherValues.isEmpty()
                && otherDocuments.isEmpty() && otherLists.isEmpty() && otherConsents.isEmpty()
                && otherRequests.isEmpty();

        Map<String, Object> variables = new HashMap<>();
        variables.put("lang", language.code());
        variables.put("t", t);
        variables.put("css", css);
        variables.put("controller", controller);
        variables.put("made", Letters.date(held.madeAt(), nb));
        variables.put("type", typeName(held.type(), nb));
        variables.put("centre", baseUrl == null ? null : baseUrl + "/privacy-center?lang=" + language.code());
        String authorityUrl = controller.supervisoryAuthority() == null ? null : controller.supervisoryAuthority().url();
        variables.put("authorityLink", authorityUrl != null && authorityUrl.matches("https?://[^\\s\"<>]+")
                ? authorityUrl : null);
        variables.put("groups", groups);
        variables.put("nothing", nothing);
        variables.put("hasOther", !(otherValues.isEmpty() && otherDocuments.isEmpty() && otherLists.isEmpty()
                && otherConsents.isEmpty() && otherRequests.isEmpty()));
        variables.put("otherValues", otherValues);
        variables.put("otherDocuments", otherDocuments);
        variables.put("otherLists", otherLists);
        variables.put("otherConsents", otherConsents);
        variables.put("otherRequests", otherRequests);
        variables.put("purposes", purposes);
        variables.put("categories", List.copyOf(categories));
        variables.put("recipients", recipients);
        variables.put("disclosures", disclosures);
        variables.put("transfers", transfers.isEmpty() ? "" : String.join("; ", transfers));
        variables.put("retention", retention);
        variables.put("sources", List.copyOf(sources));
        variables.put("identities", identities);
        variables.put("withheld", withheld);
        variables.put("consentBased", used.stream().anyMatch(a -> a.legalBasis() == LegalBasis.CONSENT));
        Context context = new Context();
        context.setVariables(variables);
        engine.process("report", context, out);
    }

    /** The activity a document belongs to: its own, or the only one of its system that declares its category. */
    private String documentActivity(DocumentInfo document) {
        if (document.activity() != null) {
            return document.activity();
        }
        List<Activity> ofSystem = orEmpty(catalog.activitiesOf(document.system()));
        List<Activity> declaring = ofSystem.stream()
                .filter(a -> document.category() != null && orEmpty(a.dataCategories()).contains(document.category()))
                .toList();
        if (declaring.size() == 1) {
            return declaring.get(0).key();
        }
        return ofSystem.size() == 1 ? ofSystem.get(0).key() : null;
    }

    /** The activity a consent decision was recorded for, or the first consent-based one pursuing its purpose. */
    private String consentActivity(ConsentRecord consent) {
        if (consent.activity() != null) {
            return consent.activity();
        }
        return consentActivities(consent.purpose()).stream().findFirst().map(Activity::key).orElse(null);
    }

    private List<Activity> consentActivities(String purpose) {
        return orEmpty(catalog.activities()).stream()
                .filter(a -> a.legalBasis() == LegalBasis.CONSENT && orEmpty(a.purposes()).contains(purpose))
                .toList();
    }

    private ValueLine valueLine(SubjectView.StoredValue value, Language language) {
        return new ValueLine(catalog.taxonomy().categoryName(value.category(), language), value.value(),
                catalog.system(value.system()).map(s -> s.name().in(language)).orElse(value.system()),
                Letters.date(value.collectedAt(), language == Language.NB), value.restriction() != null);
    }

    private DocumentLine documentLine(DocumentInfo document, Held held, Language language, Map<String, String> t) {
        String kind = t.getOrDefault("kind." + document.kind(), document.kind());
        return new DocumentLine(kind, document.category() == null ? ""
                : catalog.taxonomy().categoryName(document.category(), language),
                Letters.date(document.uploadedAt(), language == Language.NB),
                held.files().getOrDefault(document.id(), ""), size(document.size(), t));
    }

    private ConsentLine consentLine(ConsentRecord consent, Language language) {
        return new ConsentLine(catalog.taxonomy().useName(consent.purpose(), language), consent.granted(),
                Letters.date(consent.recordedAt(), language == Language.NB), consent.receiptId().toString());
    }

    private static RequestLine requestLine(PackageBuilder.PackageData.PastRequest request, boolean nb,
            Map<String, String> t) {
        return new RequestLine(typeName(request.type(), nb), statusName(request.status(), t),
                date(request.receivedAt(), nb), date(request.dueAt(), nb));
    }

    private static String date(String instant, boolean nb) {
        if (instant == null) {
            return "";
        }
        try {
            return Letters.date(Instant.parse(instant), nb);
        } catch (DateTimeParseException e) {
            return instant;
        }
    }

    private static String typeName(String type, boolean nb) {
        return no.personvern.requests.RequestType.fromKey(type).map(t -> Letters.typeName(t, nb)).orElse(type);
    }

    /** A request's status in words; one the bundle does not name (none today) as it is stored. */
    private static String statusName(String status, Map<String, String> t) {
        return status == null ? "" : t.getOrDefault("status." + status, status);
    }

    private static String size(long bytes, Map<String, String> t) {
        if (bytes < 1024) {
            return say(t, "size.bytes", Long.toString(bytes));
        }
        boolean kilo = bytes < 1024 * 1024;
        double amount = kilo ? bytes / 1024.0 : bytes / (1024.0 * 1024.0);
        String number = String.format(java.util.Locale.ROOT, "%.1f", amount).replace(".", say(t, "decimalSeparator"));
        return kilo ? say(t, "size.kilobytes", number) : say(t, "size.megabytes", number);
    }

    /**
     * The text under {@code key} in the report's bundle, each {@code {n}} replaced by the n-th
     * argument (in one pass, so an argument's own braces stay as they are); a key the bundle
     * lacks shows as {@code ??key??}, as Spring shows a missing message, so that a test sees it.
     */
    static String say(Map<String, String> t, String key, String... arguments) {
        String text = t.get(key);
        if (text == null) {
            return "??" + key + "??";
        }
        return ARGUMENT.matcher(text).replaceAll(m -> {
            int n = Integer.parseInt(m.group(1));
            return Matcher.quoteReplacement(n < arguments.length ? arguments[n] : m.group());
        });
    }

    private List<String> purposeNames(Activity activity, Language language) {
        return orEmpty(activity.purposes()).stream().map(p -> catalog.taxonomy().useName(p, language)).toList();
    }

    /** Processors (name, service, countries) and other recipients; a transfer line for each third country. */
    private List<String> recipients(Activity activity, Language language, List<String> transfers,
            Map<String, String> t) {
        List<String> lines = new ArrayList<>();
        for (String key : orEmpty(activity.recipients())) {
            Optional<Processor> found = catalog.processor(key);
            if (found.isEmpty()) {
                lines.add(key);
                continue;
            }
            Processor processor = found.get();
            lines.add(processor.name() + " – " + processor.service().in(language) + " ("
                    + String.join(", ", processor.countries()) + ")");
            List<String> third = processor.thirdCountries();
            if (!third.isEmpty()) {
                transfers.add(processor.name() + ": " + String.join(", ", third) + " – "
                        + say(t, "mechanism." + processor.transferMechanism().key()));
            }
        }
        orEmpty(activity.recipientCategories()).forEach(c -> lines.add(c.in(language)));
        return lines;
    }

    private static String basisWords(LegalBasis basis, Map<String, String> t) {
        return basis == null ? "" : say(t, "basis." + basis.key());
    }

    private static String article(LegalBasis basis, Map<String, String> t) {
        if (basis == null) {
            return "";
        }
        String letter = basis.article().substring(basis.article().length() - 2, basis.article().length() - 1);
        return say(t, "article", letter);
    }

    private static List<String> rightsHere(LegalBasis basis, Map<String, String> t) {
        if (basis == null) {
            return List.of();
        }
        return switch (basis) {
            case CONSENT -> List.of(say(t, "rightsConsent"));
            case CONTRACT -> List.of(say(t, "rightsContract"));
            case LEGITIMATE_INTERESTS, PUBLIC_TASK -> List.of(say(t, "rightsObject"));
            case LEGAL_OBLIGATION -> List.of(say(t, "rightsLaw"));
            case VITAL_INTERESTS -> List.of();
        };
    }

    private static String text(LocalizedText text, Language language, String otherwise) {
        String in = text == null ? null : text.in(language);
        return in == null || in.isBlank() ? otherwise : in;
    }

    private static <T> List<T> orEmpty(List<T> list) {
        return list == null ? List.of() : list;
    }

    private String withheldName(String item, Language language, Map<String, String> t) {
        if (item.startsWith("category:")) {
            return catalog.taxonomy().categoryName(item.substring("category:".length()), language);
        }
        return say(t, "withheld.disclosure");
    }

    private List<String> identityLines(SubjectView.IdentityView identities, Language language, Map<String, String> t) {
        List<String> lines = new ArrayList<>();
        if (identities == null) {
            return lines;
        }
        if (identities.email() != null) {
            lines.add(say(t, "identity.email", identities.email()));
        }
        Objects.requireNonNullElse(identities.otherEmails(), List.<String>of())
                .forEach(e -> lines.add(say(t, "identity.email", e)));
        if (identities.phone() != null) {
            lines.add(say(t, "identity.phone", identities.phone()));
        }
        Objects.requireNonNullElse(identities.otherPhones(), List.<String>of())
                .forEach(p -> lines.add(say(t, "identity.phone", p)));
        Objects.requireNonNullElse(identities.externalIds(), Map.<String, String>of())
                .forEach((system, id) -> lines.add(say(t, "identity.externalId",
                        catalog.system(system).map(s -> s.name().in(language)).orElse(system), id)));
        identities.unverified().forEach(u -> lines.add(say(t, "identity.unconfirmed", u.value())));
        return lines;
    }
}
