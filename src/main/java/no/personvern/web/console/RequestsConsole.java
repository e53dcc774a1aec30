package no.personvern.web.console;

import io.swagger.v3.oas.annotations.Hidden;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.DateTimeException;
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
import java.util.UUID;
import java.util.stream.Collectors;
import no.personvern.Problems;
import no.personvern.Refusal;
import no.personvern.audit.AuditEntry;
import no.personvern.audit.AuditTrail;
import no.personvern.requests.DataRequest;
import no.personvern.requests.PackageReviews;
import no.personvern.requests.RequestDesk;
import no.personvern.requests.RequestQueue;
import no.personvern.requests.RequestStatus;
import no.personvern.requests.RequestType;
import no.personvern.security.Callers;
import no.personvern.security.Staff;
import no.personvern.security.StaffMember;
import no.personvern.security.StaffPrincipal;
import no.personvern.subjects.SubjectView;
import no.personvern.subjects.Vault;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * {@code /admin/requests}: the queue (filters, search by request id or by e-mail through the vault's
 * blind index, keyset pages sorted by the current deadline, CSV export) and one request's page
 * (timeline, message, connected systems with retry, extend / reject / complete, assignment, the
 * DPO's four eyes on an agent's erasure, the package review). For both roles; agents see identities
 * masked until they reveal one with a reason.
 */
@Controller
@Hidden
class RequestsConsole {

    static final ZoneId OSLO = ZoneId.of("Europe/Oslo");
    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(OSLO);
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyy-MM-dd").withZone(OSLO);
    private static final int PAGE = 50;
    private static final int LONGEST_PARAMETER = 200;
    private static final String CHANNEL = "[a-z][a-z0-9-]{1,49}";
    /** Dates and times outside these years are refused (400): nothing stored lies outside them. */
    static final int FIRST_YEAR = 1970;
    static final int LAST_YEAR = 9998;

    private final RequestQueue queue;
    private final RequestDesk desk;
    private final PackageReviews reviews;
    private final Vault vault;
    private final AuditTrail trail;
    private final Staff staff;
    private final ConsoleAudit audit;
    private final Clock clock;

    RequestsConsole(RequestQueue queue, RequestDesk desk, PackageReviews reviews, Vault vault, AuditTrail trail,
            Staff staff, ConsoleAudit audit, Clock clock) {
        this.clock = clock;
        this.queue = queue;
        this.desk = desk;
        this.reviews = reviews;
        this.vault = vault;
        this.trail = trail;
        this.staff = staff;
        this.audit = audit;
    }

    // ---- the queue -----------------------------------------------------------------------------

    /** The status choice that shows every request, closed ones too (the default shows the waiting ones). */
    static final String ANY_STATUS = "any";
    /** What the queue shows unless asked otherwise: the requests whose deadline runs. */
    static final List<RequestStatus> WAITING = List.of(RequestStatus.OPEN, RequestStatus.IN_PROGRESS,
            RequestStatus.AWAITING_APPROVAL);
    private static final int MAX_SUBJECTS = 10;
    /** What {@code ?done=} may name: the actions of this page and the intake's. */
    static final List<String> DONE = List.of("extended", "rejected", "completed", "assigned", "retried", "approved",
            "refused", "released", "filed");

    /**
     * The queue's filters as the page was asked for them, checked (400 for anything odd). An e-mail
     * searched for is turned into the ids of the people it belongs to ({@code subjects}) at once: links
     * carry those ids, never the address.
     */
    record Query(String status, String type, String channel, String dueBefore, boolean overdue, String assignee,
            boolean mine, String q, int size, List<UUID> subjects) {

        /** Searched by an e-mail address nobody has: nothing to page through or export. */
        boolean nobody() {
            return subjects != null && subjects.isEmpty();
        }

        /** The query string of these filters (without the cursor), for the next page and the export. */
        String link(String path, String after) {
            UriComponentsBuilder link = UriComponentsBuilder.fromPath(path);
            add(link, "status", status);
            add(link, "type", type);
            add(link, "channel", channel);
            add(link, "dueBefore", dueBefore);
            if (overdue) {
                link.queryParam("overdue", "on");
            }
            add(link, "assignee", assignee);
            if (mine) {
                link.queryParam("mine", "on");
            }
            // Only a request id goes into a link; an e-mail address is carried as the people's ids.
            if (q != null && uuid(q).isPresent()) {
                add(link, "q", q);
            }
            if (subjects != null) {
                subjects.forEach(subject -> link.queryParam("subject", subject));
            }
            if (size != PAGE) {
                link.queryParam("size", size);
            }
            add(link, "after", after);
            return link.encode().build().toUriString();
        }

        private static void add(UriComponentsBuilder link, String name, String value) {
            if (value != null && !value.isEmpty()) {
                link.queryParam(name, value);
            }
        }
    }

    /** One row as the queue shows it. */
    record QueueRow(UUID id, String type, String status, String channel, String received, String due,
            boolean overdue, String assignee) {
    }

    @GetMapping(path = "/admin/requests", produces = "text/html")
    String queue(@RequestParam Map<String, String> parameters, HttpServletRequest http, Model model,
            HttpServletResponse response) {
        return queuePage(parameters, http, model, response);
    }

    /** The search form posts (an e-mail address searched for never goes into a URL); the results are shown at once. */
    @PostMapping(path = "/admin/requests", produces = "text/html")
    String search(@RequestParam Map<String, String> parameters, HttpServletRequest http, Model model,
            HttpServletResponse response) {
        Map<String, String> fields = new LinkedHashMap<>(parameters);
        fields.remove("_csrf");
        return queuePage(fields, http, model, response);
    }

    private String queuePage(Map<String, String> parameters, HttpServletRequest http, Model model,
            HttpServletResponse response) {
        model.addAttribute("statuses", RequestStatus.values());
        model.addAttribute("types", RequestType.values());
        model.addAttribute("staffMembers", staffMembers());
        Query query;
        RequestQueue.Filter filter;
        RequestQueue.Cursor after;
        try {
            query = query(parameters, http.getParameterValues("subject"));
            filter = filter(query);
            after = cursor(parameters.get("after"));
        } catch (Refusal refusal) {
            response.setStatus(400);
            model.addAttribute("query", new Query(null, null, null, null, false, null, false, null, PAGE, null));
            model.addAttribute("error", refusal.detail());
            model.addAttribute("rows", List.of());
            return "admin/requests";
        }
        List<RequestQueue.Row> rows = query.nobody() ? List.of() : queue.page(filter, after, query.size() + 1);
        boolean more = rows.size() > query.size();
        List<RequestQueue.Row> shown = more ? rows.subList(0, query.size()) : rows;
        Map<UUID, String> names = staffNames();
        Instant now = clock.instant();
        model.addAttribute("query", query);
        model.addAttribute("rows", shown.stream().map(row -> new QueueRow(row.id(), row.type().key(),
                row.status().key(), row.channel(), WHEN.format(row.receivedAt()), WHEN.format(row.due()),
                waiting(row.status()) && row.due().isBefore(now),
                row.assignedTo() == null ? null : names.getOrDefault(row.assignedTo(), "?"))).toList());
        model.addAttribute("next", more ? query.link("/admin/requests",
                cursorText(shown.get(shown.size() - 1).cursor())) : null);
        model.addAttribute("first", after != null && !query.nobody() ? query.link("/admin/requests", null) : null);
        model.addAttribute("export", query.nobody() ? null : query.link("/admin/requests/export", null));
        return "admin/requests";
    }

    /**
     * The filtered queue as CSV, streamed as it is read: ids, type, status, channel, times and the
     * assignee's username — no identity of the person.
     */
    @GetMapping(path = "/admin/requests/export")
    void export(@RequestParam Map<String, String> parameters, HttpServletRequest http, HttpServletResponse response)
            throws IOException {
        Query query = query(parameters, http.getParameterValues("subject"));
        RequestQueue.Filter filter = filter(query);
        // The export is of the whole filtered list; a page's cursor is checked like every filter, not used.
        cursor(parameters.get("after"));
        Map<UUID, String> usernames = staff.list().stream()
                .collect(Collectors.toMap(StaffMember::id, StaffMember::username, (a, b) -> a));
        response.setContentType("text/csv;charset=UTF-8");
        response.setHeader("Content-Disposition", "attachment; filename=\"requests.csv\"");
        response.setHeader("Cache-Control", "no-store");
        Writer out = new OutputStreamWriter(response.getOutputStream(), StandardCharsets.UTF_8);
        out.write("request,type,status,channel,received,due,assignee\r\n");
        if (query.nobody()) {
            out.flush();
            return;
        }
        try {
            queue.each(filter, row -> {
                try {
                    out.write(row.id() + "," + row.type().key() + "," + row.status().key() + "," + row.channel() + ","
                            + row.receivedAt() + "," + row.due() + ","
                            + (row.assignedTo() == null ? "" : usernames.getOrDefault(row.assignedTo(), "")) + "\r\n");
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        out.flush();
    }

    private Query query(Map<String, String> parameters, String[] subjectValues) {
        for (Map.Entry<String, String> parameter : parameters.entrySet()) {
            if (parameter.getValue() != null && parameter.getValue().length() > LONGEST_PARAMETER) {
                throw Problems.invalid(parameter.getKey(), "The value of '" + Problems.shown(parameter.getKey())
                        + "' is too long.");
            }
        }
        String status = blank(parameters.get("status"));
        if (status != null && !ANY_STATUS.equals(status) && RequestStatus.fromKey(status).isEmpty()) {
            throw Problems.invalid("status", "Unknown status.");
        }
        String type = blank(parameters.get("type"));
        if (type != null && RequestType.fromKey(type).isEmpty()) {
            throw Problems.invalid("type", "Unknown type.");
        }
        String channel = blank(parameters.get("channel"));
        if (channel != null && !channel.matches(CHANNEL)) {
            throw Problems.invalid("channel", "A channel is lower-case letters, digits and hyphens.");
        }
        String dueBefore = blank(parameters.get("dueBefore"));
        if (dueBefore != null) {
            try {
                int year = LocalDate.parse(dueBefore).getYear();
                if (year < FIRST_YEAR || year > LAST_YEAR) {
                    throw Problems.invalid("dueBefore", "A date is between " + FIRST_YEAR + " and " + LAST_YEAR + ".");
                }
            } catch (DateTimeParseException e) {
                throw Problems.invalid("dueBefore", "A date is written as 2026-12-31.");
            }
        }
        String assignee = blank(parameters.get("assignee"));
        if (assignee != null) {
            uuid(assignee).orElseThrow(() -> Problems.invalid("assignee", "Unknown member of staff."));
        }
        int size = PAGE;
        String sizeText = blank(parameters.get("size"));
        if (sizeText != null) {
            if (!sizeText.matches("[0-9]{1,3}") || Integer.parseInt(sizeText) < 1
                    || Integer.parseInt(sizeText) >= RequestQueue.MAX_PAGE) {
                throw Problems.invalid("size", "A page holds 1 to " + (RequestQueue.MAX_PAGE - 1) + " requests.");
            }
            size = Integer.parseInt(sizeText);
        }
        String q = blank(parameters.get("q"));
        List<UUID> subjects = null;
        if (q != null) {
            if (uuid(q).isEmpty()) {
                if (!q.contains("@")) {
                    throw Problems.invalid("q", "Search by a request's id or an e-mail address.");
                }
                // Through the vault's blind index: the address is never stored or compared in plain,
                // and from here on only the people's ids are carried.
                List<UUID> found = vault.find("email", q);
                subjects = List.copyOf(found.size() > MAX_SUBJECTS ? found.subList(0, MAX_SUBJECTS) : found);
            }
        } else if (subjectValues != null && subjectValues.length > 0) {
            if (subjectValues.length > MAX_SUBJECTS) {
                throw Problems.invalid("subject", "At most " + MAX_SUBJECTS + " people at a time.");
            }
            subjects = new ArrayList<>();
            for (String subject : subjectValues) {
                subjects.add(uuid(subject).orElseThrow(() -> Problems.invalid("subject", "Unknown person.")));
            }
            subjects = List.copyOf(subjects);
        }
        return new Query(status, type, channel, dueBefore, flag(parameters.get("overdue")), assignee,
                flag(parameters.get("mine")), q, size, subjects);
    }

    private RequestQueue.Filter filter(Query query) {
        UUID assignee = query.mine() ? Callers.staff().map(StaffPrincipal::id).orElse(null)
                : query.assignee() == null ? null : UUID.fromString(query.assignee());
        UUID requestId = query.q() == null ? null : uuid(query.q()).orElse(null);
        RequestStatus status = query.status() == null || ANY_STATUS.equals(query.status()) ? null
                : RequestStatus.fromKey(query.status()).get();
        // By default the requests whose deadline runs; closed ones on asking for them or for any status.
        List<RequestStatus> statuses = query.status() == null && requestId == null ? WAITING : null;
        return new RequestQueue.Filter(status, query.type() == null ? null : RequestType.fromKey(query.type()).get(),
                query.channel(),
                query.dueBefore() == null ? null : LocalDate.parse(query.dueBefore()).atStartOfDay(OSLO).toInstant(),
                query.overdue(), assignee, query.subjects(), requestId, statuses);
    }

    private static RequestQueue.Cursor cursor(String text) {
        if (text == null || text.isEmpty()) {
            return null;
        }
        int split = text.indexOf('_');
        try {
            if (split > 0) {
                Optional<UUID> id = uuid(text.substring(split + 1));
                if (id.isPresent()) {
                    Instant due = Instant.parse(text.substring(0, split));
                    int year = due.atZone(java.time.ZoneOffset.UTC).getYear();
                    if (year >= FIRST_YEAR && year <= LAST_YEAR) {
                        return new RequestQueue.Cursor(due, id.get());
                    }
                }
            }
        } catch (DateTimeException e) {
            // refused below (unreadable, or beyond what an instant holds)
        }
        throw Problems.invalid("after", "This link to a next page is broken; start from the first page.");
    }

    private static String cursorText(RequestQueue.Cursor cursor) {
        return cursor.due() + "_" + cursor.id();
    }

    // ---- one request ---------------------------------------------------------------------------

    /** An identity as the page shows it: in full for the DPO and once revealed, masked otherwise. */
    record Shown(String kind, String value, boolean masked) {
    }

    /** One line of the timeline: when, who (a member's name, a token, or the system) and what. */
    record Step(String at, String actor, String action) {
    }

    @GetMapping(path = "/admin/requests/{id}", produces = "text/html")
    String request(@PathVariable UUID id, @RequestParam(required = false) String done, Model model,
            HttpServletResponse response) {
        return detail(id, done, null, null, model, response);
    }

    /** An agent has the person's address or number shown in full, with one of the fixed reasons (audited). */
    @PostMapping(path = "/admin/requests/{id}/reveal", produces = "text/html")
    String reveal(@PathVariable UUID id, @RequestParam String what, @RequestParam(required = false) String reason,
            Model model, HttpServletResponse response) {
        if (!"email".equals(what) && !"phone".equals(what)) {
            throw Problems.invalid("what", "An e-mail address or a phone number can be revealed.");
        }
        RequestQueue.Row row = existing(id);
        try {
            audit.revealed(row.subjectId(), what, reason);
        } catch (Refusal refusal) {
            response.setStatus(400);
            return detail(id, null, refusal.detail(), null, model, response);
        }
        return detail(id, null, null, what, model, response);
    }

    @PostMapping(path = "/admin/requests/{id}/extend", produces = "text/html")
    String extend(@PathVariable UUID id, @RequestParam(required = false) String reason, Model model,
            HttpServletResponse response) {
        return act(id, "extended", () -> desk.extend(id, reason), model, response);
    }

    @PostMapping(path = "/admin/requests/{id}/reject", produces = "text/html")
    String reject(@PathVariable UUID id, @RequestParam(required = false) String reason, Model model,
            HttpServletResponse response) {
        return act(id, "rejected", () -> desk.reject(id, reason), model, response);
    }

    @PostMapping(path = "/admin/requests/{id}/complete", produces = "text/html")
    String complete(@PathVariable UUID id, @RequestParam(required = false) String outcome, Model model,
            HttpServletResponse response) {
        return act(id, "completed", () -> desk.complete(id, outcome), model, response);
    }

    @PostMapping(path = "/admin/requests/{id}/assign", produces = "text/html")
    String assign(@PathVariable UUID id, @RequestParam(required = false) String assignee, Model model,
            HttpServletResponse response) {
        String given = blank(assignee);
        UUID to = "me".equals(given) ? Callers.staff().map(StaffPrincipal::id).orElse(null)
                : given == null ? null : uuid(given).orElseThrow(() -> Problems.invalid("assignee",
                        "Unknown member of staff."));
        return act(id, "assigned", () -> queue.assign(id, to), model, response);
    }

    @PostMapping(path = "/admin/requests/{id}/systems/{system}/retry", produces = "text/html")
    String retry(@PathVariable UUID id, @PathVariable String system, Model model, HttpServletResponse response) {
        if (system.length() > 100) {
            throw Problems.notFound("No such system.");
        }
        return act(id, "retried", () -> queue.retry(id, system), model, response);
    }

    @PostMapping(path = "/admin/requests/{id}/approve", produces = "text/html")
    String approve(@PathVariable UUID id, Model model, HttpServletResponse response) {
        requireDpo();
        return act(id, "approved", () -> queue.approve(id), model, response);
    }

    @PostMapping(path = "/admin/requests/{id}/refuse", produces = "text/html")
    String refuse(@PathVariable UUID id, @RequestParam(required = false) String reason, Model model,
            HttpServletResponse response) {
        requireDpo();
        return act(id, "refused", () -> queue.refuseApproval(id, reason), model, response);
    }

    /** Art. 15(4): the DPO releases the package waiting for review, leaving out the items ticked. */
    @PostMapping(path = "/admin/requests/{id}/release", produces = "text/html")
    String release(@PathVariable UUID id, @RequestParam(required = false) String reason,
            @RequestParam(required = false) List<String> withhold,
            @RequestParam(required = false) String withheldReason, Model model, HttpServletResponse response) {
        requireDpo();
        List<PackageReviews.Withheld> withheld = new ArrayList<>();
        if (withhold != null) {
            for (String item : withhold) {
                withheld.add(new PackageReviews.Withheld(item, blank(withheldReason) == null ? reason : withheldReason));
            }
        }
        return act(id, "released", () -> reviews.release(id, reason, withheld), model, response);
    }

    /** Does what a form asked; on success back to the request's page (PRG), else the page with the error. */
    private String act(UUID id, String done, Runnable action, Model model, HttpServletResponse response) {
        existing(id);
        try {
            action.run();
        } catch (Refusal refusal) {
            if (refusal.kind() == Refusal.Kind.FORBIDDEN || refusal.kind() == Refusal.Kind.NOT_FOUND) {
                throw refusal;
            }
            response.setStatus(refusal.kind() == Refusal.Kind.CONFLICT ? 409 : 400);
            return detail(id, null, refusal.detail(), null, model, response);
        }
        return "redirect:/admin/requests/" + id + "?done=" + done;
    }

    private String detail(UUID id, String done, String error, String revealed, Model model,
            HttpServletResponse response) {
        RequestQueue.Row row = existing(id);
        boolean dpo = Callers.staff().map(StaffPrincipal::dpo).orElse(false);
        // Before anything of the person's is read for the page: the view is on the trail.
        audit.viewed("request", row.subjectId(), Map.of("request", id.toString()));
        DataRequest request = desk.read(id);
        List<Shown> identities = new ArrayList<>();
        if (vault.isLive(row.subjectId())) {
            SubjectView.IdentityView known = vault.identities(row.subjectId());
            if (known.email() != null) {
                boolean full = dpo || "email".equals(revealed);
                identities.add(new Shown("email", full ? known.email() : Masks.email(known.email()), !full));
            }
            if (known.phone() != null) {
                boolean full = dpo || "phone".equals(revealed);
                identities.add(new Shown("phone", full ? known.phone() : Masks.phone(known.phone()), !full));
            }
        }
        Map<UUID, String> names = staffNames();
        model.addAttribute("request", request);
        model.addAttribute("row", row);
        model.addAttribute("received", WHEN.format(request.receivedAt()));
        model.addAttribute("due", WHEN.format(request.dueAt()));
        model.addAttribute("extendedUntil", request.extendedUntil() == null ? null : WHEN.format(request.extendedUntil()));
        model.addAttribute("overdue", waiting(row.status()) && row.due().isBefore(clock.instant()));
        model.addAttribute("active", row.status().isActive());
        model.addAttribute("awaitingApproval", row.status() == RequestStatus.AWAITING_APPROVAL);
        model.addAttribute("mayDecide", dpo && row.status() == RequestStatus.AWAITING_APPROVAL
                && !Callers.staff().map(StaffPrincipal::id).map(me -> me.equals(row.filedBy())).orElse(false));
        model.addAttribute("assignee", row.assignedTo() == null ? null : names.getOrDefault(row.assignedTo(), "?"));
        model.addAttribute("filedBy", row.filedBy() == null ? null : names.getOrDefault(row.filedBy(), "?"));
        model.addAttribute("staffMembers", staffMembers());
        model.addAttribute("identities", identities);
        model.addAttribute("reasons", ConsoleAudit.REVEAL_REASONS);
        Timeline timeline = timeline(row, names);
        model.addAttribute("timeline", timeline.steps());
        model.addAttribute("timelineCut", timeline.cut());
        // Art. 15(4): while the package waits for the DPO's review, only the release closes the request.
        boolean reviewPending = row.status() == RequestStatus.IN_PROGRESS && request.review() != null
                && "pending".equals(request.review().state());
        model.addAttribute("reviewPending", reviewPending);
        model.addAttribute("mayRelease", dpo && reviewPending);
        Instant now = clock.instant();
        boolean extendable = request.extendedUntil() == null && now.isBefore(request.dueAt());
        model.addAttribute("mayExtend", extendable && !reviewPending);
        model.addAttribute("extendTooLate", request.extendedUntil() == null && !extendable);
        String verifiedBy = request.verifiedBy();
        model.addAttribute("verifiedMethod", verifiedBy != null && IntakeConsole.METHODS.contains(verifiedBy)
                ? verifiedBy : null);
        model.addAttribute("verifiedBy", verifiedBy != null && !IntakeConsole.METHODS.contains(verifiedBy)
                ? verifiedBy : null);
        model.addAttribute("done", done != null && DONE.contains(done) ? done : null);
        model.addAttribute("error", error);
        return "admin/request";
    }

    /** The request's own steps, newest first; {@code cut} when older ones were not read. */
    record Timeline(List<Step> steps, boolean cut) {
    }

    private static final int TIMELINE_PAGE = 500;
    private static final int TIMELINE_PAGES = 10;
    private static final int TIMELINE_STEPS = 200;

    /**
     * The request's own {@code request.*} entries in the person's audit trail (its transitions,
     * assignment, approval), newest first from the head of the trail, so the latest steps are shown
     * however much else the person's trail holds; marked as cut short when older entries were left unread.
     */
    private Timeline timeline(RequestQueue.Row row, Map<UUID, String> names) {
        String id = row.id().toString();
        AuditTrail.Filter filter = new AuditTrail.Filter(trail.subjectRef(row.subjectId()), null, null,
                row.receivedAt().minusSeconds(60), null);
        List<Step> steps = new ArrayList<>();
        Long before = null;
        for (int pages = 0; pages < TIMELINE_PAGES; pages++) {
            List<AuditEntry> entries = trail.newestFirst(filter, before, TIMELINE_PAGE);
            for (AuditEntry entry : entries) {
                if (entry.action().startsWith("request.") && id.equals(String.valueOf(entry.details().get("request")))) {
                    if (steps.size() == TIMELINE_STEPS) {
                        return new Timeline(steps, true);
                    }
                    steps.add(new Step(WHEN.format(entry.at()), actor(entry.actor(), names), entry.action()));
                }
            }
            if (entries.size() < TIMELINE_PAGE) {
                return new Timeline(steps, false);
            }
            before = entries.get(entries.size() - 1).seq();
        }
        return new Timeline(steps, true);
    }

    private static String actor(String actor, Map<UUID, String> names) {
        if (actor != null && actor.startsWith("staff:")) {
            return uuid(actor.substring(6)).map(names::get).orElse(actor);
        }
        return actor;
    }

    private RequestQueue.Row existing(UUID id) {
        return queue.row(id).orElseThrow(() -> Problems.notFound("No request " + id + "."));
    }

    private static void requireDpo() {
        if (!Callers.staff().map(StaffPrincipal::dpo).orElse(false)) {
            throw Problems.refusal(Refusal.Kind.FORBIDDEN, "Forbidden",
                    "Only a DPO approves, refuses or releases.", null);
        }
    }

    private static boolean waiting(RequestStatus status) {
        return status.isActive() || status == RequestStatus.AWAITING_APPROVAL;
    }

    private List<StaffMember> staffMembers() {
        return staff.list().stream().filter(StaffMember::active).filter(member -> !member.invited()).toList();
    }

    private Map<UUID, String> staffNames() {
        return staff.list().stream().collect(Collectors.toMap(StaffMember::id, StaffMember::displayName,
                (a, b) -> a, LinkedHashMap::new));
    }

    static String blank(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }

    static boolean flag(String value) {
        return "on".equals(value) || "true".equals(value);
    }

    static Optional<UUID> uuid(String text) {
        if (text == null || !text.matches("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")) {
            return Optional.empty();
        }
        return Optional.of(UUID.fromString(text));
    }

    static String date(Instant instant) {
        return instant == null ? null : DAY.format(instant);
    }
}
