package no.personvern.web.console;

import io.swagger.v3.oas.annotations.Hidden;
import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import java.util.UUID;
import no.personvern.catalog.Catalog;
import no.personvern.catalog.Language;
import no.personvern.disclosures.Disclosure;
import no.personvern.disclosures.DisclosureLog;
import no.personvern.disclosures.Disclosures;
import no.personvern.disclosures.ProcessorStatus;
import no.personvern.security.Staff;
import no.personvern.security.StaffMember;
import no.personvern.web.internal.PageLanguage;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * {@code /admin/processors} (DPO): each processor's data processing agreement (valid, expiring within
 * 60 days, expired, missing) with its third countries and safeguard; the disclosure log and the
 * disclosures refused with why, each newest first and keyset-paged ({@code after}, {@code refusedAfter}).
 * The log shows who received what under which basis, and the person only as a link to their page;
 * each person listed is a {@code console.viewed} (page {@code disclosure-log}). A disclosure's
 * free-text note is not shown here.
 */
@Controller
@Hidden
class ProcessorsController {

    static final int PAGE = 50;

    private final Disclosures disclosures;
    private final DisclosureLog log;
    private final Staff staff;
    private final ConsoleAudit audit;
    private final Catalog catalog;

    ProcessorsController(Disclosures disclosures, DisclosureLog log, Staff staff, Catalog catalog,
            ConsoleAudit audit) {
        this.catalog = catalog;
        this.audit = audit;
        this.disclosures = disclosures;
        this.log = log;
        this.staff = staff;
    }

    public record Entry(UUID id, String at, String recipient, String basis, String reference, List<String> categories,
            UUID subjectId) {
    }

    public record Refusal(String at, String actor, String recipient, String basis, List<String> reasons) {
    }

    @GetMapping(path = "/admin/processors", produces = "text/html")
    String processors(@RequestParam(required = false) String after,
            @RequestParam(required = false) String refusedAfter, HttpServletRequest request, Model model) {
        Language language = PageLanguage.of(request);
        DisclosureLog.Cursor logCursor = cursor("after", after);
        DisclosureLog.Cursor refusedCursor = cursor("refusedAfter", refusedAfter);
        List<ProcessorStatus> processors = disclosures.processors();
        model.addAttribute("processors", processors);
        model.addAttribute("serviceLang", language);

        List<Disclosure> page = log.page(logCursor, PAGE + 1);
        List<Disclosure> shown = page.subList(0, Math.min(PAGE, page.size()));
        // The log names people by their id and what was disclosed of them: a read of each person's data.
        java.util.Map<UUID, Long> perPerson = new java.util.LinkedHashMap<>();
        shown.stream().filter(d -> d.subjectId() != null)
                .forEach(d -> perPerson.merge(d.subjectId(), 1L, Long::sum));
        perPerson.forEach((subject, count) -> audit.viewed("disclosure-log", subject,
                java.util.Map.of("disclosures", count)));
        model.addAttribute("entries", shown.stream().map(d -> new Entry(d.id(), DashboardController.when(d.disclosedAt()),
                d.recipientName(), d.basis().key(), d.reference(), d.dataCategories().stream()
                        .map(key -> catalog.taxonomy().categoryName(key, language)).toList(), d.subjectId())).toList());
        model.addAttribute("nextLog", page.size() > PAGE
                ? new DisclosureLog.Cursor(shown.get(PAGE - 1).disclosedAt(), shown.get(PAGE - 1).id()).toString() : null);
        model.addAttribute("logPaged", logCursor != null);

        List<DisclosureLog.Refused> refused = log.refused(refusedCursor, PAGE + 1);
        List<DisclosureLog.Refused> refusedShown = refused.subList(0, Math.min(PAGE, refused.size()));
        java.util.Map<String, String> names = new java.util.HashMap<>();
        processors.forEach(processor -> names.put(processor.key(), processor.name()));
        model.addAttribute("refused", refusedShown.stream().map(r -> new Refusal(DashboardController.when(r.at()),
                actor(r.actor()), r.recipient() == null ? null : names.getOrDefault(r.recipient(), r.recipient()),
                r.basis(), r.reasons())).toList());
        model.addAttribute("nextRefused", refused.size() > PAGE
                ? new DisclosureLog.Cursor(refusedShown.get(PAGE - 1).at(), refusedShown.get(PAGE - 1).id()).toString()
                : null);
        model.addAttribute("refusedPaged", refusedCursor != null);
        model.addAttribute("after", logCursor == null ? null : logCursor.toString());
        model.addAttribute("refusedAfter", refusedCursor == null ? null : refusedCursor.toString());
        return "admin/processors";
    }

    private static DisclosureLog.Cursor cursor(String name, String text) {
        if (text == null || text.isEmpty()) {
            return null;
        }
        return DisclosureLog.Cursor.parse(text).orElseThrow(() -> RecordController.bad(name,
                "That page position is not valid."));
    }

    private String actor(String actor) {
        if (actor != null && actor.startsWith("staff:")) {
            try {
                return staff.find(UUID.fromString(actor.substring("staff:".length()))).map(StaffMember::displayName)
                        .orElse(actor);
            } catch (IllegalArgumentException malformed) {
                return actor;
            }
        }
        return actor;
    }
}
