package no.personvern.web.console;

import io.swagger.v3.oas.annotations.Hidden;
import jakarta.servlet.http.HttpServletResponse;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import no.personvern.Problems;
import no.personvern.Refusal;
import no.personvern.catalog.Activity;
import no.personvern.catalog.Catalog;
import no.personvern.catalog.Language;
import no.personvern.retention.LegalHold;
import no.personvern.retention.LegalHolds;
import no.personvern.retention.RetentionRun;
import no.personvern.retention.RetentionRuns;
import no.personvern.security.Staff;
import no.personvern.security.StaffMember;
import no.personvern.web.internal.PageLanguage;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * {@code /admin/retention} (DPO only): the runs with their progress, a dry run "as of" a day, a real
 * run (one at a time: the module's lease refuses a second), the legal holds in force, and what the
 * holds keep although its retention ended. Every change goes through the module's API, which audits
 * it with the signed-in member as actor.
 */
@Controller
@Hidden
class RetentionPages {

    static final ZoneId OSLO = ZoneId.of("Europe/Oslo");
    private static final DateTimeFormatter SHOWN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
    private static final int RUNS = 20;
    private static final int HOLDS = 50;
    private static final int REASON_MAX = 500;

    private final RetentionRuns runs;
    private final LegalHolds holds;
    private final Catalog catalog;
    private final Staff staff;
    private final ConsoleAudit audit;
    private final Clock clock;

    RetentionPages(RetentionRuns runs, LegalHolds holds, Catalog catalog, Staff staff, ConsoleAudit audit,
            Clock clock) {
        this.runs = runs;
        this.holds = holds;
        this.catalog = catalog;
        this.staff = staff;
        this.audit = audit;
        this.clock = clock;
    }

    /** A run as the page shows it. */
    record RunView(UUID id, String status, boolean dryRun, boolean running, String asOf, String startedAt,
            String finishedAt, long deleted, long kept, String error, List<Row> byActivity, List<Row> other,
            List<Row> keptBy) {
    }

    /** One line of counts: an activity (values and documents) or another kind of data, or a reason data was kept. */
    record Row(String key, String name, long values, long documents) {
    }

    record HoldView(UUID id, UUID subjectId, String reason, String placedBy, String since, String until) {
    }

    @GetMapping(path = "/admin/retention", produces = "text/html")
    String page(@RequestParam(required = false) String after, HttpServletRequest request, Model model) {
        fill(model, request, cursor(after));
        return "admin/retention";
    }

    @GetMapping(path = "/admin/retention/runs/{id}", produces = "text/html")
    String run(@PathVariable UUID id, HttpServletRequest request, Model model) {
        model.addAttribute("run", view(runs.get(id), PageLanguage.of(request)));
        return "admin/retention-run";
    }

    /** The counts of a run, for htmx to swap in every second while it goes (and then no more). */
    @GetMapping(path = "/admin/retention/runs/{id}/progress", produces = "text/html")
    String progress(@PathVariable UUID id, HttpServletRequest request, Model model) {
        model.addAttribute("run", view(runs.get(id), PageLanguage.of(request)));
        return "admin/retention-run :: progress";
    }

    /** Starts a real run (now) or a dry run as of a day (its start in Norway; today when left empty). */
    @PostMapping(path = "/admin/retention/runs", produces = "text/html")
    String start(@RequestParam(required = false) String dryRun, @RequestParam(required = false) String asOf,
            HttpServletRequest request, HttpServletResponse response, Model model) {
        boolean dry = "true".equals(dryRun);
        if (!dry && !"false".equals(dryRun)) {
            return refused(400, "console.retention.error.kind", null, request, response, model);
        }
        Instant when = null;
        if (dry && asOf != null && !asOf.isBlank()) {
            Optional<LocalDate> day = day(asOf);
            if (day.isEmpty()) {
                model.addAttribute("asOf", Problems.shown(asOf));
                return refused(400, "console.retention.error.date", null, request, response, model);
            }
            when = day.get().atStartOfDay(OSLO).toInstant();
        }
        try {
            RetentionRun run = runs.start(dry, when);
            return "redirect:/admin/retention/runs/" + run.id();
        } catch (Refusal refusal) {
            if (refusal.kind() == Refusal.Kind.CONFLICT) {
                return refused(409, "console.retention.refused.going", refusal.detail(), request, response, model);
            }
            return refused(400, "console.retention.error.run", refusal.detail(), request, response, model);
        }
    }

    /** Places a legal hold on a person, through a day (to the start of the next in Norway) or until ended. */
    @PostMapping(path = "/admin/retention/holds", produces = "text/html")
    String place(@RequestParam(required = false) String subjectId, @RequestParam(required = false) String reason,
            @RequestParam(required = false) String until, HttpServletRequest request, HttpServletResponse response,
            Model model) {
        UUID subject = uuid(subjectId);
        if (subject == null) {
            return refused(400, "console.retention.error.subject", null, request, response, model);
        }
        if (reason == null || reason.isBlank() || reason.strip().length() > REASON_MAX) {
            return refused(400, "console.retention.error.reason", null, request, response, model);
        }
        Instant end = null;
        if (until != null && !until.isBlank()) {
            Optional<LocalDate> day = day(until);
            // "Until D" keeps the data through D: the hold ends as D+1 begins in Norway (as on the person's page).
            if (day.isEmpty() || !day.get().plusDays(1).atStartOfDay(OSLO).toInstant().isAfter(clock.instant())) {
                return refused(400, "console.retention.error.until", null, request, response, model);
            }
            end = day.get().plusDays(1).atStartOfDay(OSLO).toInstant();
        }
        try {
            holds.place(subject, reason, end);
        } catch (Refusal refusal) {
            int status = refusal.kind() == Refusal.Kind.NOT_FOUND ? 404 : 400;
            return refused(status, status == 404 ? "console.retention.error.unknownPerson"
                    : "console.retention.error.hold", refusal.detail(), request, response, model);
        }
        return "redirect:/admin/retention?placed#holds";
    }

    /** Ends a hold, with why; the next run deletes what only the hold kept. */
    @PostMapping(path = "/admin/retention/holds/{id}/end", produces = "text/html")
    String end(@PathVariable UUID id, @RequestParam(required = false) String reason, HttpServletRequest request,
            HttpServletResponse response, Model model) {
        if (reason == null || reason.isBlank() || reason.strip().length() > REASON_MAX) {
            return refused(400, "console.retention.error.endReason", null, request, response, model);
        }
        try {
            holds.release(id, reason);
        } catch (Refusal refusal) {
            int status = refusal.kind() == Refusal.Kind.NOT_FOUND ? 404 : 409;
            return refused(status, status == 404 ? "console.retention.error.unknownHold"
                    : "console.retention.error.ended", refusal.detail(), request, response, model);
        }
        return "redirect:/admin/retention?ended#holds";
    }

    /** The page again with what went wrong at the top, under the refusal's status. */
    private String refused(int status, String message, String detail, HttpServletRequest request,
            HttpServletResponse response, Model model) {
        response.setStatus(status);
        model.addAttribute("error", message);
        model.addAttribute("errorDetail", detail);
        fill(model, request, null);
        return "admin/retention";
    }

    private void fill(Model model, HttpServletRequest request, LegalHolds.Cursor after) {
        Language language = PageLanguage.of(request);
        List<RetentionRun> recent = runs.recent(RUNS);
        model.addAttribute("runs", recent.stream().map(run -> view(run, language)).toList());
        model.addAttribute("going", recent.stream().filter(run -> "running".equals(run.status())).findFirst()
                .map(run -> view(run, language)).orElse(null));
        // What holds keep although their retention ended: as the latest completed run counted it, applied now.
        recent.stream().filter(run -> "completed".equals(run.status()) && run.finishedAt() != null
                && !run.asOf().isAfter(run.finishedAt())).findFirst().ifPresent(run -> {
                    model.addAttribute("waitingRun", view(run, language));
                    model.addAttribute("waitingHold", run.kept().getOrDefault("legal-hold", 0L));
                });
        List<LegalHolds.Placed> page = holds.inForce(after, HOLDS + 1);
        boolean more = page.size() > HOLDS;
        List<LegalHolds.Placed> shown = more ? page.subList(0, HOLDS) : page;
        // The holds name people (by their id) and why their data is kept: a read of each person's data.
        Map<UUID, Long> holdsPerPerson = new LinkedHashMap<>();
        shown.forEach(placed -> holdsPerPerson.merge(placed.hold().subjectId(), 1L, Long::sum));
        holdsPerPerson.forEach((subject, count) -> audit.viewed("legal-holds", subject, Map.of("holds", count)));
        Map<String, String> names = new LinkedHashMap<>();
        model.addAttribute("holds", shown.stream().map(placed -> {
            LegalHold hold = placed.hold();
            return new HoldView(hold.id(), hold.subjectId(), hold.reason(),
                    names.computeIfAbsent(String.valueOf(placed.placedBy()), this::actorName), shown(hold.placedAt()),
                    hold.until() == null ? null : shown(hold.until()));
        }).toList());
        model.addAttribute("nextHolds", more ? cursorText(LegalHolds.Cursor.after(shown.get(shown.size() - 1).hold()))
                : null);
        model.addAttribute("firstHolds", after != null);
        model.addAttribute("today", LocalDate.ofInstant(clock.instant(), OSLO).toString());
    }

    /** A member of staff by name; a token or the scheduler as recorded. */
    String actorName(String actor) {
        if (actor.startsWith("staff:")) {
            UUID id = uuid(actor.substring("staff:".length()));
            if (id != null) {
                return staff.find(id).map(StaffMember::displayName).orElse(actor);
            }
        }
        return actor;
    }

    RunView view(RetentionRun run, Language language) {
        Map<String, Long> deleted = run.deleted();
        List<Row> byActivity = new ArrayList<>();
        for (Activity activity : catalog.activities()) {
            long values = deleted.getOrDefault("values:" + activity.key(), 0L);
            long documents = deleted.getOrDefault("documents:" + activity.key(), 0L);
            if (values + documents > 0) {
                byActivity.add(new Row(activity.key(), activity.name().in(language), values, documents));
            }
        }
        List<Row> other = new ArrayList<>();
        new TreeMap<>(deleted).forEach((key, n) -> {
            if (!key.equals("values") && !key.equals("documents") && !key.startsWith("values:")
                    && !key.startsWith("documents:")) {
                other.add(new Row(key, key, n, 0));
            }
        });
        List<Row> keptBy = new ArrayList<>();
        new TreeMap<>(run.kept()).forEach((key, n) -> keptBy.add(new Row(key, key, n, 0)));
        long deletedTotal = deleted.getOrDefault("values", 0L) + deleted.getOrDefault("documents", 0L);
        long keptTotal = run.kept().values().stream().mapToLong(Long::longValue).sum();
        return new RunView(run.id(), run.status(), run.dryRun(), "running".equals(run.status()), shown(run.asOf()),
                shown(run.startedAt()), run.finishedAt() == null ? null : shown(run.finishedAt()), deletedTotal,
                keptTotal, run.error(), byActivity, other, keptBy);
    }

    static String shown(Instant instant) {
        return SHOWN.format(instant.atZone(OSLO));
    }

    /** A day as a date field sends it (2026-12-31); empty for anything else (2026-13-45, too long, …). */
    static Optional<LocalDate> day(String text) {
        String value = text.strip();
        if (value.length() != 10) {
            return Optional.empty();
        }
        try {
            LocalDate day = LocalDate.parse(value);
            return day.getYear() >= 1970 && day.getYear() <= 9998 ? Optional.of(day) : Optional.empty();
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    static UUID uuid(String text) {
        if (text == null || text.strip().length() != 36) {
            return null;
        }
        try {
            return UUID.fromString(text.strip());
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static String cursorText(LegalHolds.Cursor cursor) {
        return cursor.placedAt().toString() + "_" + cursor.id();
    }

    /** The next page's cursor from a link; a tampered one is refused (400), never a 500. */
    private static final Instant NO_LATER_THAN = Instant.parse("9999-01-01T00:00:00Z");

    private static LegalHolds.Cursor cursor(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        int split = text.indexOf('_');
        UUID id = split < 0 ? null : uuid(text.substring(split + 1));
        Instant at = null;
        if (id != null && split < 40) {
            try {
                at = Instant.parse(text.substring(0, split));
            } catch (DateTimeParseException e) {
                at = null;
            }
        }
        if (at != null && (at.isBefore(Instant.EPOCH) || !at.isBefore(NO_LATER_THAN))) {
            at = null; // years 1970 to 9998 only: beyond them the database's dates end or the arithmetic does
        }
        if (at == null) {
            throw Problems.invalid("after", "not a page of legal holds");
        }
        return new LegalHolds.Cursor(at, id);
    }
}
