package no.personvern.breaches.internal;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import no.personvern.breaches.BreachReport;
import no.personvern.catalog.Catalog;
import no.personvern.catalog.Language;
import org.springframework.context.support.ResourceBundleMessageSource;
import org.springframework.stereotype.Component;
import org.thymeleaf.context.Context;
import org.thymeleaf.spring6.SpringTemplateEngine;
import org.thymeleaf.templatemode.TemplateMode;
import org.thymeleaf.templateresolver.ClassLoaderTemplateResolver;

/**
 * What the register writes: the report to the supervisory authority (HTML, {@code templates/breaches/report.html}
 * with the bundle {@code breaches/messages_*.properties}), the letter to the people affected and
 * the DPO's reminder (text templates {@code templates/breaches/<name>.<lang>.txt}, first line the subject).
 */
@Component
class BreachTexts {

    record Letter(String subject, String text) {
    }

    /** One line of the DPO's reminder. */
    record DueBreach(UUID id, String summary, Instant discoveredAt, Instant notifyAuthorityBy, Long hoursLeft,
            String status, String risk) {
    }

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm");

    private final SpringTemplateEngine html = new SpringTemplateEngine();
    private final SpringTemplateEngine text = new SpringTemplateEngine();
    private final Catalog catalog;

    BreachTexts(Catalog catalog) {
        this.catalog = catalog;
        html.setTemplateResolver(resolver(".html", TemplateMode.HTML));
        ResourceBundleMessageSource messages = new ResourceBundleMessageSource();
        messages.setBasename("breaches/messages");
        messages.setDefaultEncoding("UTF-8");
        messages.setFallbackToSystemLocale(false);
        html.setTemplateEngineMessageSource(messages);
        text.setTemplateResolver(resolver(".txt", TemplateMode.TEXT));
    }

    private static ClassLoaderTemplateResolver resolver(String suffix, TemplateMode mode) {
        ClassLoaderTemplateResolver resolver = new ClassLoaderTemplateResolver();
        resolver.setPrefix("templates/breaches/");
        resolver.setSuffix(suffix);
        resolver.setTemplateMode(mode);
        resolver.setCharacterEncoding("UTF-8");
        resolver.setCacheable(true);
        return resolver;
    }

    String report(BreachReport report, Language language) {
        Context context = new Context(locale(language));
        context.setVariable("r", report);
        context.setVariable("lang", language.code());
        context.setVariable("fmt", (Function<Instant, String>) BreachTexts::time);
        return html.process("report", context);
    }

    /** Art. 34(2): the letter to a person affected, in plain language. */
    Letter toPerson(BreachReport report, Language language) {
        Context context = new Context(locale(language));
        context.setVariables(Map.of("r", report, "controller", catalog.controller(),
                "categories", String.join(", ", report.nature().dataCategories().stream()
                        .map(BreachReport.Named::name).toList())));
        return letter("person." + language.code(), context);
    }

    Letter deadlineReminder(List<DueBreach> breaches) {
        Context context = new Context(Locale.ENGLISH);
        context.setVariable("lines", breaches.stream().map(due -> "- " + due.id() + " (" + due.status()
                + (due.risk() == null ? "" : ", risk " + due.risk()) + "): discovered " + time(due.discoveredAt())
                + " UTC; the authority must be notified by " + time(due.notifyAuthorityBy()) + " UTC — "
                + (due.hoursLeft() < 0 ? (-due.hoursLeft()) + " hours late" : due.hoursLeft() + " hours left")
                + ".\n  " + due.summary().replaceAll("\\s+", " ")).toList());
        return letter("deadline-reminder.en", context);
    }

    private Letter letter(String name, Context context) {
        String written = text.process(name, context);
        int end = written.indexOf('\n');
        return new Letter(written.substring(0, end), written.substring(end + 1));
    }

    static String time(Instant instant) {
        return instant == null ? "" : TIME.format(instant.atOffset(ZoneOffset.UTC));
    }

    private static Locale locale(Language language) {
        return language == Language.NB ? Locale.forLanguageTag("nb") : Locale.ENGLISH;
    }
}
