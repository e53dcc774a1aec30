package no.personvern.requests.internal;

import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;
import no.personvern.catalog.Catalog;
import no.personvern.catalog.ControllerDetails;
import no.personvern.disclosures.Disclosure;
import no.personvern.requests.RequestType;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;
import org.thymeleaf.spring6.SpringTemplateEngine;
import org.thymeleaf.context.Context;
import org.thymeleaf.templatemode.TemplateMode;
import org.thymeleaf.templateresolver.ClassLoaderTemplateResolver;

/**
 * The letters of the requests module, in Norwegian and English: Thymeleaf text templates under
 * {@code templates/requests/letters/}, {@code <name>.<lang>.txt}, whose first line is the subject.
 */
@Component
class Letters {

    /** A letter's subject and text. */
    record Letter(String subject, String text) {
    }

    private final SpringTemplateEngine engine = new SpringTemplateEngine();
    private final Supplier<ControllerDetails> controller;

    @Autowired
    Letters(Catalog catalog) {
        this(catalog::controller);
    }

    Letters(Supplier<ControllerDetails> controller) {
        this.controller = controller;
        ClassLoaderTemplateResolver resolver = new ClassLoaderTemplateResolver();
        resolver.setPrefix("templates/requests/letters/");
        resolver.setSuffix(".txt");
        resolver.setTemplateMode(TemplateMode.TEXT);
        resolver.setCharacterEncoding("UTF-8");
        resolver.setCacheable(true);
        engine.setTemplateResolver(resolver);
    }

    /** The verification code, valid for 30 minutes. */
    Letter code(RequestType type, boolean nb, String code) {
        return letter("code", nb, Map.of("type", typeName(type, nb), "code", code));
    }

    /** The receipt, with the Art. 12(3) deadline. */
    Letter received(RequestType type, boolean nb, Instant due) {
        return received(type, nb, due, null);
    }

    /** As above, with the private link the person follows the request by (none when null). */
    Letter received(RequestType type, boolean nb, Instant due, String statusLink) {
        return letter("received", nb, Map.of("type", typeName(type, nb), "due", date(due, nb), "link",
                statusLink == null ? "" : statusLink));
    }

    /** Art. 12(3): the deadline is extended, with the reason. */
    Letter extended(RequestType type, boolean nb, Instant until, String reason) {
        return letter("extended", nb, Map.of("type", typeName(type, nb), "until", date(until, nb), "reason", reason));
    }

    /** Art. 12(4): the reason, and the right to complain and go to court. */
    Letter rejected(RequestType type, boolean nb, String reason) {
        return letter("rejected", nb, Map.of("type", typeName(type, nb), "reason", reason));
    }

    /** The request was carried out, with what was done. */
    Letter completed(RequestType type, boolean nb, String outcome) {
        return completed(type, nb, outcome, false);
    }

    /**
     * The request was carried out, with what was done; when something was kept ({@code keeps}: a
     * retention exception, a legal hold, a customer's decision), the right to complain to the
     * supervisory authority and to go to court (Art. 12(4)).
     */
    Letter completed(RequestType type, boolean nb, String outcome, boolean keeps) {
        return letter("completed", nb, Map.of("type", typeName(type, nb), "outcome", outcome, "keeps", keeps));
    }

    /**
     * Art. 12(4), for staff and the API: the sentence an outcome that keeps anything ends with, in
     * English like the rest of the outcome (the person's letter says it in their language).
     */
    String complaintRight() {
        ControllerDetails details = controller.get();
        return " If the person disagrees, they may complain to " + details.supervisoryAuthority().name() + " ("
                + details.supervisoryAuthority().url() + ") and go to court (GDPR Art. 12(4)).";
    }

    /** Art. 21(1): the DPO's decision on the objection to one activity, with the reasons (and, if rejected, the right to complain). */
    Letter objectionDecided(boolean nb, no.personvern.catalog.Activity activity, boolean upheld, String reasons) {
        return letter("objection-decided", nb, Map.of("activity", activity.name().in(nb
                ? no.personvern.catalog.Language.NB : no.personvern.catalog.Language.EN), "upheld", upheld,
                "reasons", reasons));
    }

    /** Art. 12(3), to the privacy mailbox: a request falls due in 7 days, or is overdue (ids and dates only). */
    Letter deadline(RequestRecord request, Instant due, boolean overdue) {
        return letter("deadline", false, Map.of("request", request.id(), "type", typeName(request.type(), false),
                "status", request.status().key(), "received", date(request.receivedAt(), false),
                "due", date(due, false), "overdue", overdue));
    }

    /** The link to an access or portability package; {@code routed} when part of it was passed on to customers. */
    Letter packageReady(RequestType type, boolean nb, String link, boolean routed) {
        return packageReady(type, nb, link, routed, List.of());
    }

    /** As above; {@code withheld} are the DPO's reasons for what the package leaves out (Art. 15(4)). */
    Letter packageReady(RequestType type, boolean nb, String link, boolean routed, List<String> withheld) {
        return letter("package", nb, Map.of("type", typeName(type, nb), "link", link, "routed", routed,
                "withheld", withheld));
    }

    /** Art. 18(3): the person is told, before it happens, that their restriction will be lifted, and why. */
    Letter restrictionLift(boolean nb, String reason) {
        return letter("restriction-lift", nb, Map.of("reason", reason));
    }

    /** Art. 19 to a processor the data was disclosed to (in English). */
    Letter recipientNotice(RequestType type, UUID requestId, Disclosure disclosure, String email) {
        String action = switch (type) {
            case ERASURE -> "erase";
            case RESTRICTION -> "restrict the processing of";
            default -> "correct, as the person has had it corrected with us,";
        };
        return letter("art19", false, Map.of("type", typeName(type, false), "recipient", disclosure.recipientName(),
                "agreement", String.valueOf(disclosure.reference()), "action", action, "email", email,
                "categories", String.join(", ", disclosure.dataCategories()), "request", requestId));
    }

    /** Art. 28(3)(e) to the company's privacy mailbox: pass the request on; one line per processor activity. */
    Letter routing(RequestType type, UUID requestId, Instant due, List<String> activities) {
        return letter("routing", false, Map.of("type", typeName(type, false), "request", requestId,
                "due", date(due, false), "activities", activities));
    }

    /** Art. 17(3)(e): the outcome of an erasure deferred by a legal hold, until {@code until} (null: until settled). */
    String erasureDeferred(boolean nb, Instant until) {
        Context context = context(nb);
        context.setVariable("until", until == null ? null : date(until, nb));
        String text = engine.process("erasure-deferred." + (nb ? "nb" : "en"), context);
        return text.endsWith("\n") ? text.substring(0, text.length() - 1) : text;
    }

    private Letter letter(String name, boolean nb, Map<String, ?> variables) {
        Context context = context(nb);
        variables.forEach(context::setVariable);
        String text = engine.process(name + "." + (nb ? "nb" : "en"), context);
        int end = text.indexOf('\n');
        return new Letter(text.substring(0, end), text.substring(end + 1));
    }

    private Context context(boolean nb) {
        Context context = new Context(nb ? Locale.forLanguageTag("nb") : Locale.ENGLISH);
        context.setVariable("controller", controller.get());
        context.setVariable("signature", controller.get().signature(nb ? no.personvern.catalog.Language.NB
                : no.personvern.catalog.Language.EN));
        return context;
    }

    static String typeName(RequestType type, boolean nb) {
        return switch (type) {
            case ACCESS -> nb ? "innsyn" : "access";
            case PORTABILITY -> nb ? "dataportabilitet" : "portability";
            case ERASURE -> nb ? "sletting" : "erasure";
            case RECTIFICATION -> nb ? "retting" : "rectification";
            case RESTRICTION -> nb ? "begrensning" : "restriction";
            case OBJECTION -> nb ? "protest" : "objection";
        };
    }

    static String date(Instant instant, boolean nb) {
        return DateTimeFormatter.ofPattern(nb ? "d.M.yyyy" : "d MMMM yyyy", nb ? Locale.forLanguageTag("nb")
                : Locale.ENGLISH).format(instant.atZone(RequestRecord.NORWAY));
    }
}
