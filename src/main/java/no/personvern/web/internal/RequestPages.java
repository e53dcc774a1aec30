package no.personvern.web.internal;

import io.swagger.v3.oas.annotations.Hidden;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import no.personvern.Refusal;
import no.personvern.catalog.Catalog;
import no.personvern.catalog.DataSystem;
import no.personvern.catalog.Language;
import no.personvern.requests.CodeCheck;
import no.personvern.requests.DataRequest;
import no.personvern.requests.RequestDesk;
import no.personvern.requests.RequestProgress;
import no.personvern.requests.RequestStatus;
import no.personvern.requests.RequestType;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * Making and following a data-subject request from the privacy centre: the form, the code page
 * (with a resend and the lock-out), the status page behind the private link, and the package's
 * download from it. Every form posts and redirects (no script needed); the requests module decides.
 */
@Controller
@Hidden
class RequestPages {

    static final List<String> TYPES = List.of("access", "portability", "rectification", "erasure", "restriction",
            "objection");
    /** A message longer than this is not shown again in the form (the desk refuses it anyway). */
    private static final int SHOWN_AGAIN = 10_000;

    /** What the person typed, shown again with the errors. */
    record Form(String type, String email, String message) {
    }

    /** A connected system's part, in the person's words. */
    record SystemLine(String name, boolean done) {
    }

    private final RequestDesk desk;
    private final Catalog catalog;
    private final PageDates dates;

    RequestPages(RequestDesk desk, Catalog catalog, PageDates dates) {
        this.desk = desk;
        this.catalog = catalog;
        this.dates = dates;
    }

    @GetMapping(path = "/privacy-center/request", produces = "text/html")
    String form(@RequestParam(required = false) String type, Model model) {
        return form(model, new Form(known(type), "", ""), Map.of());
    }

    @PostMapping(path = "/privacy-center/request", produces = "text/html")
    String submit(@RequestParam(required = false) String type, @RequestParam(required = false) String email,
            @RequestParam(required = false) String message, HttpServletRequest request, HttpServletResponse response,
            Model model) {
        String lang = (String) model.getAttribute("lang");
        String given = email == null ? null : email.strip();
        try {
            UUID id = desk.submit(RequestType.fromKey(type).orElse(null), given, message, lang,
                    request.getRemoteAddr());
            return "redirect:/privacy-center/requests/" + id + "/code?lang=" + lang;
        } catch (Refusal refusal) {
            if (refusal.kind() == Refusal.Kind.TOO_MANY) {
                response.setStatus(429);
                return "web/requests/wait";
            }
            if (refusal.kind() != Refusal.Kind.INVALID && refusal.kind() != Refusal.Kind.BAD_REQUEST) {
                throw refusal;
            }
            // The desk's details are for developers, in English: the person gets our own words.
            Map<String, String> errors = new LinkedHashMap<>();
            for (Refusal.FieldError error : refusal.errors()) {
                switch (error.field() == null ? "" : error.field()) {
                    case "type" -> errors.putIfAbsent("type", "request.error.type");
                    case "message" -> errors.putIfAbsent("message", "request.error.message");
                    default -> errors.putIfAbsent("email", given == null || given.isEmpty()
                            ? "request.error.email.missing" : "request.error.email.invalid");
                }
            }
            if (errors.isEmpty()) {
                errors.put("email", "request.error.email.invalid");
            }
            response.setStatus(422);
            String shown = message == null || message.length() > SHOWN_AGAIN ? "" : message;
            return form(model, new Form(known(type), given == null ? "" : given, shown),
                    ordered(errors));
        }
    }

    /** The type named, if it is one of the six (a list of constants holds no null). */
    private static String known(String type) {
        return type != null && TYPES.contains(type) ? type : null;
    }

    private static Map<String, String> ordered(Map<String, String> errors) {
        Map<String, String> ordered = new LinkedHashMap<>();
        for (String field : List.of("type", "email", "message")) {
            if (errors.containsKey(field)) {
                ordered.put(field, errors.get(field));
            }
        }
        return ordered;
    }

    private String form(Model model, Form form, Map<String, String> errors) {
        model.addAttribute("form", form);
        model.addAttribute("types", TYPES);
        model.addAttribute("errors", errors);
        return "web/requests/form";
    }

    @GetMapping(path = "/privacy-center/requests/{id}/code", produces = "text/html")
    String code(@PathVariable UUID id, @RequestParam(required = false) String resent, HttpServletResponse response,
            Model model) {
        DataRequest request = desk.get(id);
        if (request.status() == RequestStatus.LOCKED) {
            response.setStatus(423);
            return "web/requests/locked";
        }
        if (request.status() == RequestStatus.EXPIRED) {
            response.setStatus(410);
            return "web/requests/request-expired";
        }
        if (request.status() != RequestStatus.UNVERIFIED) {
            return "web/requests/not-waiting";
        }
        return codeForm(model, id, resent != null, null, 0);
    }

    @PostMapping(path = "/privacy-center/requests/{id}/code", produces = "text/html")
    String confirm(@PathVariable UUID id, @RequestParam(required = false) String code, HttpServletResponse response,
            Model model) {
        String lang = (String) model.getAttribute("lang");
        String typed = code == null ? "" : code.replaceAll("[\\s-]", "");
        if (!typed.matches("[0-9]{6}")) {
            // Not a code at all (empty, too short, letters): said so, and no try is used up.
            DataRequest request = desk.get(id);
            if (request.status() == RequestStatus.UNVERIFIED) {
                response.setStatus(422);
                return codeForm(model, id, false, typed.isEmpty() ? "request.code.missing" : "request.code.malformed",
                        0);
            }
            typed = "";
        }
        CodeCheck check = desk.confirm(id, typed);
        switch (check.result()) {
            case CONFIRMED -> {
                return "redirect:/privacy-center/requests/" + id + "/status?key=" + check.statusKey() + "&lang="
                        + lang;
            }
            case WRONG -> {
                response.setStatus(422);
                return codeForm(model, id, false, "request.code.wrong", check.triesLeft());
            }
            case LOCKED -> {
                response.setStatus(423);
                return "web/requests/locked";
            }
            case EXPIRED -> {
                response.setStatus(410);
                model.addAttribute("id", id);
                return "web/requests/expired";
            }
            case REQUEST_EXPIRED -> {
                response.setStatus(410);
                return "web/requests/request-expired";
            }
            case REFUSED -> {
                response.setStatus(429);
                return "web/requests/refused";
            }
            default -> {
                response.setStatus(409);
                return "web/requests/not-waiting";
            }
        }
    }

    @PostMapping(path = "/privacy-center/requests/{id}/code/resend", produces = "text/html")
    String resend(@PathVariable UUID id, HttpServletRequest request, HttpServletResponse response, Model model) {
        String lang = (String) model.getAttribute("lang");
        try {
            desk.resendCode(id, request.getRemoteAddr());
        } catch (Refusal refusal) {
            switch (refusal.kind()) {
                case TOO_MANY -> {
                    response.setStatus(429);
                    model.addAttribute("resendLimit", true);
                    return codeForm(model, id, false, null, 0);
                }
                case LOCKED -> {
                    response.setStatus(423);
                    return "web/requests/locked";
                }
                case CONFLICT -> {
                    response.setStatus(409);
                    return "web/requests/not-waiting";
                }
                default -> throw refusal;
            }
        }
        return "redirect:/privacy-center/requests/" + id + "/code?resent=1&lang=" + lang;
    }

    private String codeForm(Model model, UUID id, boolean resent, String error, int triesLeft) {
        model.addAttribute("id", id);
        model.addAttribute("resent", resent);
        model.addAttribute("error", error);
        model.addAttribute("triesLeft", triesLeft);
        model.addAttribute("maxResends", RequestDesk.MAX_CODE_RESENDS);
        return "web/requests/code";
    }

    @GetMapping(path = "/privacy-center/requests/{id}/status", produces = "text/html")
    String status(@PathVariable UUID id, @RequestParam String key, Model model) {
        RequestProgress progress = desk.progress(id, key);
        Language language = (Language) model.getAttribute("language");
        model.addAttribute("id", id);
        model.addAttribute("key", key);
        model.addAttribute("progress", progress);
        model.addAttribute("type", progress.type().key());
        model.addAttribute("received", dateTime(progress.receivedAt(), language));
        model.addAttribute("due", date(progress.dueAt(), language));
        model.addAttribute("extended", progress.extendedUntil() == null ? null
                : date(progress.extendedUntil(), language));
        model.addAttribute("closedAt", progress.closedAt() == null ? null : dateTime(progress.closedAt(), language));
        model.addAttribute("expires", progress.packageExpires() == null ? null
                : dateTime(progress.packageExpires(), language));
        model.addAttribute("state", state(progress.status()));
        model.addAttribute("systems", progress.systems().stream()
                .map(step -> new SystemLine(catalog.system(step.system()).map(DataSystem::name)
                        .map(name -> name.in(language)).orElse(null), step.done()))
                .toList());
        no.personvern.catalog.ControllerDetails controller =
                (no.personvern.catalog.ControllerDetails) model.getAttribute("controller");
        String authorityUrl = controller == null || controller.supervisoryAuthority() == null ? null
                : controller.supervisoryAuthority().url();
        model.addAttribute("authorityUrl", authorityUrl);
        model.addAttribute("authorityLinked", linkable(authorityUrl));
        boolean delivers = progress.type() == RequestType.ACCESS || progress.type() == RequestType.PORTABILITY;
        model.addAttribute("delivers", delivers);
        return "web/requests/status";
    }

    /** Only a web address is a link (the catalog's text could hold a {@code javascript:} or {@code data:} URL). */
    static boolean linkable(String url) {
        if (url == null) {
            return false;
        }
        String lower = url.toLowerCase(Locale.ROOT);
        String rest = lower.startsWith("https://") ? lower.substring(8)
                : lower.startsWith("http://") ? lower.substring(7) : null;
        return rest != null && !rest.isBlank() && url.equals(url.strip());
    }

    /** Where the request stands, in the person's words: {@code open}, {@code working}, {@code done}, {@code rejected}. */
    private static String state(RequestStatus status) {
        return switch (status) {
            case COMPLETED -> "done";
            case REJECTED -> "rejected";
            case IN_PROGRESS -> "working";
            default -> "open";
        };
    }

    @GetMapping(path = "/privacy-center/requests/{id}/package")
    void download(@PathVariable UUID id, @RequestParam String key, HttpServletResponse response) throws IOException {
        desk.checkPackageByStatusKey(id, key);
        response.setContentType("application/zip");
        response.setHeader("Content-Disposition", "attachment; filename=\"personopplysninger-" + id + ".zip\"");
        response.setHeader("Cache-Control", "no-store");
        desk.downloadPackageByStatusKey(id, key, response.getOutputStream());
    }

    private String dateTime(Instant at, Language language) {
        return dates.format(at, language);
    }

    private String date(Instant at, Language language) {
        return dates.date(at, language);
    }
}
