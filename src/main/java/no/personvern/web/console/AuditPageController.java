package no.personvern.web.console;

import io.swagger.v3.oas.annotations.Hidden;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import no.personvern.audit.AuditEntry;
import no.personvern.audit.AuditTrail;
import no.personvern.security.Staff;
import no.personvern.security.StaffMember;
import no.personvern.subjects.Vault;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code /admin/audit} (the DPO's): the trail newest first, filtered by person (an e-mail address
 * is looked up through the blind index and turned into the trail's pseudonym, which is what the
 * trail is searched by), actor, action and time, a page at a time by sequence number; the chain's
 * verification with the first broken entry; export of the filtered entries, streamed.
 */
@Controller
@Hidden
class AuditPageController {

    static final int PAGE = 50;
    /** How long the verify button waits for a short chain's result before showing "running since". */
    static final Duration PATIENCE = Duration.ofSeconds(2);
    private static final String REF = AuditPageController.class.getName() + ".ref";
    private static final ZoneId OSLO = ZoneId.of("Europe/Oslo");
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final AuditTrail trail;
    private final Vault vault;
    private final Staff staff;
    private final ChainVerification verification;

    AuditPageController(AuditTrail trail, Vault vault, Staff staff, ChainVerification verification) {
        this.trail = trail;
        this.vault = vault;
        this.staff = staff;
        this.verification = verification;
    }

    /** The filters as the form gives them, checked; {@code error} names the first field that is wrong. */
    record Query(AuditTrail.Filter filter, Long before, String error, boolean nobody, List<String> several) {

        Query(AuditTrail.Filter filter, Long before, String error, boolean nobody) {
            this(filter, before, error, nobody, List.of());
        }
    }

    /** How many people the trail is searched for at most when one address names several. */
    static final int MATCHES = 20;

    record Row(AuditEntry entry, String actorName, String detailsText) {
    }

    @GetMapping(path = "/admin/audit", produces = "text/html")
    String page(HttpServletRequest request, HttpServletResponse response, Model model) {
        Query query = query(request);
        model.addAttribute("person", limited(request.getParameter("person"), 320));
        model.addAttribute("actor", limited(request.getParameter("actor"), 200));
        model.addAttribute("action", limited(request.getParameter("action"), 100));
        model.addAttribute("from", limited(request.getParameter("from"), 10));
        model.addAttribute("to", limited(request.getParameter("to"), 10));
        model.addAttribute("last", trail.lastVerification().orElse(null));
        if (!model.containsAttribute("running")) {
            verification.runningSince().ifPresent(since -> model.addAttribute("running", DashboardController.when(since)));
        }
        model.addAttribute("length", trail.length());
        model.addAttribute("members", staff.list());
        if (query.error() != null) {
            response.setStatus(400);
            model.addAttribute("error", query.error());
            model.addAttribute("rows", List.of());
            return "admin/audit";
        }
        if (!query.several().isEmpty()) {
            // One address, several people: the page says so and offers each by pseudonym, never one silently.
            model.addAttribute("several", query.several().stream().map(ref -> link("/admin/audit", request, ref)
                    .replaceQueryParam("before").build().encode().toUriString()).toList());
            model.addAttribute("rows", List.of());
            return "admin/audit";
        }
        List<AuditEntry> entries = query.nobody() ? List.of() : trail.newestFirst(query.filter(), query.before(), PAGE);
        Map<String, String> names = actorNames();
        model.addAttribute("rows", entries.stream().map(entry -> new Row(entry, names.getOrDefault(entry.actor(),
                entry.actor()), JSON.writeValueAsString(entry.details()))).toList());
        if (entries.size() == PAGE) {
            model.addAttribute("next", nextLink(request, entries.get(entries.size() - 1).seq()));
        }
        model.addAttribute("exportQuery", exportQuery(request));
        return "admin/audit";
    }

    /**
     * Starts the chain's verification in the background (or joins the one running on this instance)
     * and shows the page: with the result if it ended within a moment, else "running since", which
     * the page polls for (and a link refreshes without JavaScript).
     */
    @PostMapping(path = "/admin/audit/verify", produces = "text/html")
    String verify(HttpServletRequest request, HttpServletResponse response, Model model) {
        verification.start();
        verification.awaitIdle(PATIENCE);
        chainState(model);
        return page(request, response, model);
    }

    /** The chain's state alone, for the page's poll while a verification runs. */
    @GetMapping(path = "/admin/audit/verification", produces = "text/html")
    String verificationState(Model model) {
        chainState(model);
        model.addAttribute("last", trail.lastVerification().orElse(null));
        return "admin/audit :: chain-state";
    }

    /** Running since when, or (once ended) the recorded result of the last run. */
    private void chainState(Model model) {
        Optional<Instant> since = verification.runningSince();
        if (since.isPresent()) {
            model.addAttribute("running", DashboardController.when(since.get()));
        } else {
            trail.lastVerification().ifPresent(last -> model.addAttribute("verification", last.result()));
        }
    }

    /** The filtered entries, streamed a page at a time: CSV, or JSON lines with {@code format=jsonl}. */
    @GetMapping(path = "/admin/audit/export")
    void export(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Query query = query(request);
        if (query.error() != null || !query.several().isEmpty()) {
            response.sendError(400);
            return;
        }
        boolean jsonl = "jsonl".equals(request.getParameter("format"));
        response.setContentType(jsonl ? "application/jsonl; charset=utf-8" : "text/csv; charset=utf-8");
        response.setHeader("Content-Disposition", "attachment; filename=\"audit." + (jsonl ? "jsonl" : "csv") + "\"");
        response.setHeader("Cache-Control", "no-store");
        Writer out = new OutputStreamWriter(response.getOutputStream(), StandardCharsets.UTF_8);
        if (!jsonl) {
            out.write("seq,at,actor,action,subject_ref,details,hash\r\n");
        }
        Long before = query.before();
        while (!query.nobody()) {
            List<AuditEntry> page = trail.newestFirst(query.filter(), before, 1000);
            for (AuditEntry entry : page) {
                if (jsonl) {
                    out.write(JSON.writeValueAsString(entry));
                    out.write("\n");
                } else {
                    out.write(entry.seq() + "," + entry.at() + "," + csv(entry.actor()) + "," + csv(entry.action()) + ","
                            + csv(entry.subjectRef()) + "," + csv(JSON.writeValueAsString(entry.details())) + ","
                            + entry.hash() + "\r\n");
                }
            }
            if (page.size() < 1000) {
                break;
            }
            before = page.get(page.size() - 1).seq();
            out.flush();
        }
        out.flush();
    }

    private Query query(HttpServletRequest request) {
        String person = request.getParameter("person");
        String actor = request.getParameter("actor");
        String action = request.getParameter("action");
        String from = request.getParameter("from");
        String to = request.getParameter("to");
        String before = request.getParameter("before");
        String subjectRef = null;
        boolean nobody = false;
        String ref = request.getParameter("ref");
        if (present(ref) && !present(person)) {
            if (!ref.matches("s_[0-9a-f]{32}")) {
                return new Query(null, null, "person", false);
            }
            subjectRef = ref;
        }
        if (present(person)) {
            if (person.length() > 320) {
                return new Query(null, null, "person", false);
            }
            UUID id = parseUuid(person.strip());
            if (id == null) {
                if (!vault.acceptsEmail(person.strip())) {
                    return new Query(null, null, "person", false);
                }
                List<UUID> found = vault.find("email", person.strip());
                nobody = found.isEmpty();
                if (found.size() > 1) {
                    return new Query(null, null, null, false, found.stream().limit(MATCHES).map(trail::subjectRef)
                            .toList());
                }
                id = found.isEmpty() ? null : found.get(0);
            }
            subjectRef = id == null ? null : trail.subjectRef(id);
        }
        if (present(actor) && (actor.length() > 200 || !actor.matches("[a-z]+(:[A-Za-z0-9-]+)?"))) {
            return new Query(null, null, "actor", false);
        }
        if (present(action) && (action.length() > 100 || !action.matches("[a-z0-9.-]+"))) {
            return new Query(null, null, "action", false);
        }
        // A day as the date field sends it, years 1970 to 9998: anything else is refused, never sent to the database.
        java.util.Optional<LocalDate> fromDay = present(from) ? RetentionPages.day(from) : java.util.Optional.empty();
        java.util.Optional<LocalDate> toDay = present(to) ? RetentionPages.day(to) : java.util.Optional.empty();
        if (present(from) && fromDay.isEmpty() || present(to) && toDay.isEmpty()) {
            return new Query(null, null, "date", false);
        }
        Instant fromAt = fromDay.map(day -> day.atStartOfDay(OSLO).toInstant()).orElse(null);
        Instant toAt = toDay.map(day -> day.plusDays(1).atStartOfDay(OSLO).toInstant()).orElse(null);
        Long beforeSeq = null;
        if (present(before)) {
            try {
                beforeSeq = Long.parseLong(before.strip());
            } catch (NumberFormatException bad) {
                return new Query(null, null, "before", false);
            }
        }
        request.setAttribute(REF, subjectRef);
        return new Query(new AuditTrail.Filter(subjectRef, present(actor) ? actor.strip() : null,
                present(action) ? action.strip() : null, fromAt, toAt), beforeSeq, null, nobody);
    }

    private Map<String, String> actorNames() {
        Map<String, String> names = new HashMap<>();
        for (StaffMember member : staff.list()) {
            names.put("staff:" + member.id(), member.displayName());
        }
        return names;
    }

    private static String nextLink(HttpServletRequest request, long before) {
        return link("/admin/audit", request, (String) request.getAttribute(REF)).replaceQueryParam("before", before)
                .build().encode().toUriString();
    }

    private static String exportQuery(HttpServletRequest request) {
        return link("/admin/audit/export", request, (String) request.getAttribute(REF)).build().encode()
                .toUriString();
    }

    /**
     * A link onwards with the filters (as decoded values, encoded once here) and the person by the
     * trail's pseudonym, not by the address that was typed.
     */
    private static org.springframework.web.util.UriComponentsBuilder link(String path, HttpServletRequest request,
            String ref) {
        var link = org.springframework.web.util.UriComponentsBuilder.fromPath(path);
        for (String name : List.of("actor", "action", "from", "to")) {
            String value = request.getParameter(name);
            if (present(value)) {
                link.queryParam(name, value.strip());
            }
        }
        if (ref != null) {
            link.queryParam("ref", ref);
        }
        return link;
    }

    private static boolean present(String value) {
        return value != null && !value.isBlank();
    }

    private static String limited(String value, int max) {
        return value == null || value.length() > max ? "" : value;
    }

    private static UUID parseUuid(String text) {
        try {
            return text.length() == 36 ? UUID.fromString(text) : null;
        } catch (IllegalArgumentException notAnId) {
            return null;
        }
    }

    private static String csv(String value) {
        if (value == null) {
            return "";
        }
        return "\"" + value.replace("\"", "\"\"") + "\"";
    }
}
