package no.personvern.web.console;

import io.swagger.v3.oas.annotations.Hidden;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import no.personvern.Refusal;
import no.personvern.breaches.Breach;
import no.personvern.breaches.BreachReport;
import no.personvern.breaches.Breaches;
import no.personvern.catalog.Activity;
import no.personvern.catalog.Catalog;
import no.personvern.catalog.Language;
import no.personvern.web.internal.PageLanguage;
import org.springframework.context.MessageSource;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * {@code /admin/breaches} (DPO only): the register with each breach's 72-hour clock (Art. 33(1)), a
 * form to record one, and a breach's page with its assessment, the report to the authority to copy
 * (Art. 33(3)), the letters to the people affected with their progress (Art. 34) and the steps the
 * register allows next. Every step goes through the module's API, which audits it with the signed-in
 * member as actor.
 */
@Controller
@Hidden
class BreachPages {

    private static final int LIST_MAX = 200;

    private final Breaches breaches;
    private final Catalog catalog;
    private final MessageSource messages;
    private final RetentionPages names;
    private final Clock clock;

    BreachPages(Breaches breaches, Catalog catalog, MessageSource messages, RetentionPages names, Clock clock) {
        this.breaches = breaches;
        this.catalog = catalog;
        this.messages = messages;
        this.names = names;
        this.clock = clock;
    }

    /** A breach in the register's list and on its page: the clock read now, in words the page can show. */
    record BreachView(UUID id, String summary, String status, String risk, String discoveredAt, String deadline,
            Long hoursLeft, boolean overdue, boolean late, String notifiedAt, String reference, String lateReasons,
            long people, long records) {
    }

    record Mailing(String status, String lang, long total, long sent, long withoutAddress, long pending,
            boolean running) {
    }

    record Step(String at, String action, String status, String actor) {
    }

    record Option(String key, String name) {
    }

    /** What was typed into the form, to show it again with the errors. */
    record Form(String discoveredAt, String summary, List<String> dataCategories, List<String> systems,
            List<String> activities, String from, String to, String measures, String likelyConsequences) {
        static final Form EMPTY = new Form("", "", List.of(), List.of(), List.of(), "", "", "", "");
    }

    @GetMapping(path = "/admin/breaches", produces = "text/html")
    String list(HttpServletRequest request, Model model) {
        fillList(model, request, Form.EMPTY);
        return "admin/breaches";
    }

    @PostMapping(path = "/admin/breaches", produces = "text/html")
    String record(@RequestParam(required = false) String discoveredAt, @RequestParam(required = false) String summary,
            @RequestParam(required = false) List<String> dataCategories,
            @RequestParam(required = false) List<String> systems,
            @RequestParam(required = false) List<String> activities, @RequestParam(required = false) String from,
            @RequestParam(required = false) String to, @RequestParam(required = false) String measures,
            @RequestParam(required = false) String likelyConsequences, HttpServletRequest request,
            HttpServletResponse response, Model model) {
        Form form = new Form(shown(discoveredAt), shown(summary), keys(dataCategories), keys(systems),
                keys(activities), shown(from), shown(to), shown(measures), shown(likelyConsequences));
        List<String> errors = new ArrayList<>();
        String discovered = instant(discoveredAt, true, "discoveredAt", errors);
        String start = instant(from, false, "from", errors);
        String end = instant(to, false, "to", errors);
        if (errors.isEmpty()) {
            try {
                Breach breach = breaches.record(new Breaches.NewBreach(discovered, summary, form.dataCategories(),
                        form.systems(), form.activities(), start, end, measures, likelyConsequences));
                return "redirect:/admin/breaches/" + breach.id();
            } catch (Refusal refusal) {
                refusal.errors().forEach(error -> errors.add(error.field()));
                model.addAttribute("errorDetails", refusal.errors().isEmpty() ? List.of(refusal.detail())
                        : refusal.errors().stream().map(error -> error.field() + ": " + error.message()).toList());
            }
        }
        response.setStatus(400);
        model.addAttribute("errors", new ArrayList<>(new LinkedHashSet<>(errors)));
        fillList(model, request, form);
        return "admin/breaches";
    }

    @GetMapping(path = "/admin/breaches/{id}", produces = "text/html")
    String breach(@PathVariable UUID id, @RequestParam(required = false) String report, HttpServletRequest request,
            Model model) {
        fillBreach(model, request, id, report);
        return "admin/breach";
    }

    /** The letters' progress, for htmx to swap in every second while they go (and then no more). */
    @GetMapping(path = "/admin/breaches/{id}/mailing", produces = "text/html")
    String mailing(@PathVariable UUID id, Model model) {
        Breach breach = breaches.get(id);
        model.addAttribute("breach", view(breach));
        model.addAttribute("mailing", mailing(breach));
        return "admin/breach :: mailing";
    }

    @PostMapping(path = "/admin/breaches/{id}/assessment", produces = "text/html")
    String assess(@PathVariable UUID id, @RequestParam(required = false) String risk,
            @RequestParam(required = false) String reasons, HttpServletRequest request, HttpServletResponse response,
            Model model) {
        return step(id, () -> breaches.assess(id, risk, reasons), request, response, model);
    }

    @PostMapping(path = "/admin/breaches/{id}/authority", produces = "text/html")
    String notifyAuthority(@PathVariable UUID id, @RequestParam(required = false) String notifiedAt,
            @RequestParam(required = false) String reference, @RequestParam(required = false) String lateReasons,
            HttpServletRequest request, HttpServletResponse response, Model model) {
        List<String> errors = new ArrayList<>();
        String at = instant(notifiedAt, true, "notifiedAt", errors);
        if (!errors.isEmpty()) {
            return refused(id, 400, errors, List.of(), request, response, model);
        }
        return step(id, () -> breaches.notifyAuthority(id, at, reference, lateReasons), request, response, model);
    }

    @PostMapping(path = "/admin/breaches/{id}/people", produces = "text/html")
    String notifyPeople(@PathVariable UUID id, @RequestParam(required = false) String letterLang,
            HttpServletRequest request, HttpServletResponse response, Model model) {
        // Not "lang": that parameter chooses the console's own language (kept in the session).
        return step(id, () -> breaches.notifyPeople(id, letterLang == null ? "nb" : letterLang), request, response,
                model);
    }

    @PostMapping(path = "/admin/breaches/{id}/close", produces = "text/html")
    String close(@PathVariable UUID id, @RequestParam(required = false) String outcome, HttpServletRequest request,
            HttpServletResponse response, Model model) {
        return step(id, () -> breaches.close(id, outcome), request, response, model);
    }

    /** One step through the API: back to the breach's page, or the page again with why not (400, 404 or 409). */
    private String step(UUID id, Runnable action, HttpServletRequest request, HttpServletResponse response,
            Model model) {
        try {
            action.run();
        } catch (Refusal refusal) {
            if (refusal.kind() == Refusal.Kind.NOT_FOUND) {
                throw refusal;
            }
            int status = refusal.kind() == Refusal.Kind.CONFLICT ? 409 : 400;
            List<String> fields = refusal.errors().stream().map(Refusal.FieldError::field).toList();
            List<String> details = refusal.errors().isEmpty() ? List.of(refusal.detail())
                    : refusal.errors().stream().map(error -> error.field() + ": " + error.message()).toList();
            return refused(id, status, fields, details, request, response, model);
        }
        return "redirect:/admin/breaches/" + id;
    }

    private String refused(UUID id, int status, List<String> fields, List<String> details, HttpServletRequest request,
            HttpServletResponse response, Model model) {
        fillBreach(model, request, id, null);
        response.setStatus(status);
        model.addAttribute("errors", fields);
        model.addAttribute("errorDetails", details);
        model.addAttribute("refusedStatus", status);
        return "admin/breach";
    }

    private void fillList(Model model, HttpServletRequest request, Form form) {
        Language language = PageLanguage.of(request);
        model.addAttribute("breaches", breaches.list().stream().limit(LIST_MAX).map(this::view).toList());
        model.addAttribute("form", form);
        Set<String> categories = new LinkedHashSet<>();
        for (Activity activity : catalog.activities()) {
            categories.addAll(activity.dataCategories());
            categories.addAll(activity.documents().values());
        }
        model.addAttribute("categoryOptions", categories.stream().sorted()
                .map(key -> new Option(key, catalog.taxonomy().categoryName(key, language))).toList());
        model.addAttribute("systemOptions", catalog.systems().stream()
                .map(system -> new Option(system.key(), system.name().in(language))).toList());
        model.addAttribute("activityOptions", catalog.activities().stream()
                .map(activity -> new Option(activity.key(), activity.name().in(language))).toList());
        model.addAttribute("now", LocalDateTime.ofInstant(clock.instant(), RetentionPages.OSLO)
                .truncatedTo(ChronoUnit.MINUTES).toString());
    }

    private void fillBreach(Model model, HttpServletRequest request, UUID id, String report) {
        Breach breach = breaches.get(id);
        Language language = PageLanguage.of(request);
        Language reportLanguage = "en".equals(report) ? Language.EN : "nb".equals(report) ? Language.NB : language;
        model.addAttribute("breach", view(breach));
        model.addAttribute("full", breach);
        model.addAttribute("mailing", mailing(breach));
        model.addAttribute("reportLang", reportLanguage.code());
        model.addAttribute("report", reportText(breaches.report(id, reportLanguage), reportLanguage));
        Map<String, String> actors = new LinkedHashMap<>();
        model.addAttribute("history", breach.history().stream().map(step -> new Step(RetentionPages.shown(step.at()),
                step.action(), step.status(), actors.computeIfAbsent(step.actor().name(), names::actorName))).toList());
        model.addAttribute("now", LocalDateTime.ofInstant(clock.instant(), RetentionPages.OSLO)
                .truncatedTo(ChronoUnit.MINUTES).toString());
    }

    BreachView view(Breach breach) {
        Breach.AuthorityNotification authority = breach.authorityNotification();
        return new BreachView(breach.id(), breach.summary(), breach.status(), breach.risk(),
                RetentionPages.shown(breach.discoveredAt()), RetentionPages.shown(breach.notifyAuthorityBy()),
                breach.hoursLeft(), breach.hoursLeft() != null && breach.late(), breach.late(),
                authority == null ? null : RetentionPages.shown(authority.notifiedAt()),
                authority == null ? null : authority.reference(), authority == null ? null : authority.lateReasons(),
                breach.affected().people(), breach.affected().records());
    }

    static Mailing mailing(Breach breach) {
        Breach.PeopleNotification people = breach.peopleNotification();
        if (people == null) {
            return null;
        }
        long pending = Math.max(0, people.total() - people.sent() - people.withoutAddress());
        return new Mailing(people.status(), people.lang(), people.total(), people.sent(), people.withoutAddress(),
                pending, "running".equals(people.status()));
    }

    /** The notification's content (Art. 33(3)) as plain text, to copy into Datatilsynet's form. */
    String reportText(BreachReport report, Language language) {
        Locale locale = Locale.forLanguageTag(language.code());
        StringBuilder text = new StringBuilder();
        line(text, locale, "controller", report.controller().name() + (report.controller().organizationNumber() == null
                ? "" : " (" + report.controller().organizationNumber() + ")"));
        line(text, locale, "discovered", RetentionPages.shown(report.discoveredAt()));
        line(text, locale, "deadline", RetentionPages.shown(report.notifyAuthorityBy()));
        if (report.lateReasons() != null) {
            line(text, locale, "lateReasons", report.lateReasons());
        }
        BreachReport.Nature nature = report.nature();
        text.append('\n').append(label(locale, "nature")).append('\n');
        line(text, locale, "summary", nature.summary());
        line(text, locale, "categories", names(nature.dataCategories()));
        line(text, locale, "systems", names(nature.systems()));
        line(text, locale, "activities", names(nature.activities()));
        if (nature.from() != null || nature.to() != null) {
            line(text, locale, "window", (nature.from() == null ? "…" : RetentionPages.shown(nature.from())) + " – "
                    + (nature.to() == null ? "…" : RetentionPages.shown(nature.to())));
        }
        line(text, locale, "people", Long.toString(nature.approximatePeople()));
        line(text, locale, "records", Long.toString(nature.approximateRecords()));
        BreachReport.Contact contact = report.contact();
        text.append('\n');
        line(text, locale, "contact", String.join(", ", java.util.stream.Stream.of(contact.name(), contact.email(),
                contact.phone()).filter(value -> value != null && !value.isBlank()).toList()));
        line(text, locale, "consequences", report.likelyConsequences());
        line(text, locale, "measures", report.measures());
        if (report.risk() != null) {
            line(text, locale, "risk", messages.getMessage("console.breaches.risk." + report.risk(), null, report.risk(),
                    locale) + (report.riskReasons() == null ? "" : ": " + report.riskReasons()));
        }
        if (report.customersToInform() != null && !report.customersToInform().isEmpty()) {
            text.append('\n').append(label(locale, "customers")).append('\n');
            report.customersToInform().forEach(activity -> text.append("- ").append(activity.name()).append(" (")
                    .append(activity.people()).append("): ").append(String.join(", ", activity.controllers()))
                    .append('\n'));
        }
        return text.toString();
    }

    private void line(StringBuilder text, Locale locale, String key, String value) {
        text.append(label(locale, key)).append(": ").append(value == null ? "–" : value).append('\n');
    }

    private String label(Locale locale, String key) {
        return messages.getMessage("console.breaches.report." + key, null, key, locale);
    }

    private static String names(List<BreachReport.Named> named) {
        return named == null || named.isEmpty() ? "–"
                : String.join(", ", named.stream().map(BreachReport.Named::name).toList());
    }

    /**
     * A time as a {@code datetime-local} field sends it ({@code 2026-01-10T09:00}, Norwegian time), as
     * the ISO instant the API takes; null and the field named in {@code errors} if it is no such time.
     */
    static String instant(String text, boolean required, String field, List<String> errors) {
        if (text == null || text.isBlank()) {
            if (required) {
                errors.add(field);
            }
            return null;
        }
        String value = text.strip();
        if (value.length() > 19) {
            errors.add(field);
            return null;
        }
        try {
            LocalDateTime time = LocalDateTime.parse(value);
            if (time.getYear() < 1970 || time.getYear() > 9998) {
                errors.add(field);
                return null;
            }
            Instant instant = time.atZone(RetentionPages.OSLO).toInstant();
            return instant.toString();
        } catch (DateTimeParseException e) {
            errors.add(field);
            return null;
        }
    }

    private static String shown(String value) {
        return value == null ? "" : value.length() > 5000 ? value.substring(0, 5000) : value;
    }

    private static List<String> keys(List<String> given) {
        return given == null ? List.of() : given.stream().filter(key -> key != null && !key.isBlank()).toList();
    }
}
