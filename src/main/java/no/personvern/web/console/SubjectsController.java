package no.personvern.web.console;

import io.swagger.v3.oas.annotations.Hidden;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import no.personvern.Problems;
import no.personvern.Refusal;
import no.personvern.catalog.Catalog;
import no.personvern.catalog.Language;
import no.personvern.catalog.RetentionRule;
import no.personvern.consent.Consents;
import no.personvern.consent.Subscriptions;
import no.personvern.disclosures.DisclosureBasis;
import no.personvern.disclosures.Disclosures;
import no.personvern.requests.RestrictionLifts;
import no.personvern.retention.LegalHolds;
import no.personvern.security.Callers;
import no.personvern.security.StaffPrincipal;
import no.personvern.subjects.DocumentInfo;
import no.personvern.subjects.SubjectView;
import no.personvern.subjects.Vault;
import no.personvern.web.internal.PageLanguage;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * {@code /admin/subjects}: finding a person by e-mail, phone or external id (through the vault's
 * keyed look-up, never a scan), and the person's page with what is held of them and the actions
 * each role may take. An agent gets identities and values masked in the HTML itself (values kept
 * only for one purpose not at all, nor holds or disclosures); a reveal names a reason from a fixed
 * list and is audited. Rectification is open to both roles: agents handle requests,
 * and correcting data is how a rectification request is handled (Art. 16); holds, disclosures,
 * lifting a restriction, kept data and documents' content are the DPO's.
 */
@Controller
@Hidden
class SubjectsController {

    static final int MAX_QUERY = 320;
    static final int MAX_TEXT = 500;
    private static final String VALUE = "value:";
    private static final ZoneId OSLO = ZoneId.of("Europe/Oslo");

    private final Vault vault;
    private final ConsoleAudit audit;
    private final Catalog catalog;
    private final Consents consents;
    private final Subscriptions subscriptions;
    private final Disclosures disclosures;
    private final LegalHolds holds;
    private final no.personvern.requests.RequestDesk requests;
    private final RestrictionLifts lifts;
    private final java.time.Clock clock;

    SubjectsController(Vault vault, ConsoleAudit audit, Catalog catalog, Consents consents,
            Subscriptions subscriptions, Disclosures disclosures, LegalHolds holds,
            no.personvern.requests.RequestDesk requests, RestrictionLifts lifts, java.time.Clock clock) {
        this.requests = requests;
        this.clock = clock;
        this.lifts = lifts;
        this.vault = vault;
        this.audit = audit;
        this.catalog = catalog;
        this.consents = consents;
        this.subscriptions = subscriptions;
        this.disclosures = disclosures;
        this.holds = holds;
    }

    /** One identity as the page shows it: the value in full only for the DPO or after a reveal. */
    record IdentityRow(String key, String kind, String system, String shown, boolean masked, boolean verified) {
    }

    record Found(UUID id, List<IdentityRow> identities) {
    }

    /** The empty search form; a search is posted, so that no address or number ends up in a URL. */
    @GetMapping(path = "/admin/subjects", produces = "text/html")
    String searchForm(Model model) {
        model.addAttribute("kind", "email");
        model.addAttribute("q", "");
        return "admin/subjects";
    }

    @PostMapping(path = "/admin/subjects", produces = "text/html")
    String search(@RequestParam(required = false) String kind, @RequestParam(required = false) String q,
            HttpServletResponse response, Model model) {
        String chosen = kind == null ? "email" : kind;
        model.addAttribute("kind", chosen);
        model.addAttribute("q", q == null || q.length() > MAX_QUERY ? "" : q);
        if (q == null || q.isBlank()) {
            return "admin/subjects";
        }
        if (!List.of("email", "phone", "externalId").contains(chosen) || q.length() > MAX_QUERY) {
            response.setStatus(400);
            model.addAttribute("error", "invalid");
            return "admin/subjects";
        }
        List<UUID> ids;
        try {
            ids = vault.find(chosen, q.strip());
        } catch (Refusal refusal) {
            response.setStatus(400);
            model.addAttribute("error", "invalid");
            return "admin/subjects";
        }
        List<Found> found = new ArrayList<>();
        for (UUID id : ids.stream().limit(20).toList()) {
            audit.viewed("subject-search", id);
            found.add(new Found(id, identities(vault.identities(id), null)));
        }
        model.addAttribute("found", found);
        return "admin/subjects";
    }

    @GetMapping(path = "/admin/subjects/{id}", produces = "text/html")
    String person(@PathVariable UUID id, Model model, HttpServletRequest request) {
        return page(id, null, null, model, request);
    }

    /** An agent has one identity shown in full, for one of the fixed reasons; audited first. */
    @PostMapping(path = "/admin/subjects/{id}/reveal", produces = "text/html")
    String reveal(@PathVariable UUID id, @RequestParam String identity, @RequestParam(required = false) String reason,
            Model model, HttpServletRequest request) {
        requireLive(id);
        if (identity.length() > 300) {
            throw Problems.invalid("identity", "Unknown identity.");
        }
        if (identity.startsWith(VALUE)) {
            SubjectView.StoredValue value = revealable(id, identity);
            audit.revealed(id, VALUE + value.category(), reason == null ? "" : reason);
            return page(id, identity, null, model, request);
        }
        String what = identity.startsWith("externalId") ? "externalId"
                : identity.startsWith("phone") || identity.startsWith("unverified-phone") ? "phone" : "email";
        audit.revealed(id, what, reason == null ? "" : reason);
        return page(id, identity, null, model, request);
    }

    /** The value a reveal names ({@code value:<n>}, its place on the page); one kept only for a purpose is not shown. */
    private SubjectView.StoredValue revealable(UUID id, String key) {
        int index;
        try {
            index = Integer.parseInt(key.substring(VALUE.length()));
        } catch (NumberFormatException notAnIndex) {
            throw Problems.invalid("identity", "Unknown value.");
        }
        List<SubjectView.StoredValue> values = vault.readForAccess(id).data();
        if (index < 0 || index >= values.size() || values.get(index).restriction() != null) {
            throw Problems.invalid("identity", "Unknown value.");
        }
        return values.get(index);
    }

    @PostMapping(path = "/admin/subjects/{id}/rectify", produces = "text/html")
    String rectify(@PathVariable UUID id, @RequestParam String category, @RequestParam String value, Model model,
            HttpServletRequest request, HttpServletResponse response) {
        requireLive(id);
        try {
            vault.rectify(id, Map.of(category, value));
        } catch (Refusal refusal) {
            response.setStatus(422);
            model.addAttribute("formError", "rectify");
            return page(id, null, null, model, request);
        }
        return "redirect:/admin/subjects/" + id + "?done=rectified";
    }

    @PostMapping(path = "/admin/subjects/{id}/holds", produces = "text/html")
    String placeHold(@PathVariable UUID id, @RequestParam String reason, @RequestParam(required = false) String until,
            Model model, HttpServletRequest request, HttpServletResponse response) {
        requireDpo();
        requireLive(id);
        Instant end = null;
        if (until != null && !until.isBlank()) {
            // "Until D" keeps the data through D: the hold ends as D+1 begins in Norway.
            end = RetentionPages.day(until).map(day -> day.plusDays(1).atStartOfDay(OSLO).toInstant())
                    .filter(instant -> instant.isAfter(clock.instant())).orElse(null);
            if (end == null) {
                response.setStatus(400);
                model.addAttribute("formError", "until");
                return page(id, null, null, model, request);
            }
        }
        try {
            if (reason.isBlank() || reason.length() > MAX_TEXT) {
                throw Problems.invalid("reason", "A reason of 1 to 500 characters is required.");
            }
            holds.place(id, reason.strip(), end);
        } catch (Refusal refused) {
            response.setStatus(422);
            model.addAttribute("formError", "hold");
            return page(id, null, null, model, request);
        }
        return "redirect:/admin/subjects/" + id + "?done=hold-placed";
    }

    @PostMapping(path = "/admin/subjects/{id}/holds/{holdId}/end", produces = "text/html")
    String endHold(@PathVariable UUID id, @PathVariable UUID holdId, @RequestParam(required = false) String reason,
            Model model, HttpServletRequest request, HttpServletResponse response) {
        requireDpo();
        if (!holds.get(holdId).subjectId().equals(id)) {
            throw Problems.notFound("No such legal hold for this person.");
        }
        if (reason == null || reason.isBlank() || reason.strip().length() > MAX_TEXT) {
            response.setStatus(422);
            model.addAttribute("formError", "endHold");
            return page(id, null, null, model, request);
        }
        holds.release(holdId, reason.strip());
        return "redirect:/admin/subjects/" + id + "?done=hold-ended";
    }

    @PostMapping(path = "/admin/subjects/{id}/disclosures", produces = "text/html")
    String disclose(@PathVariable UUID id, @RequestParam String recipient, @RequestParam String categories,
            @RequestParam String basis, @RequestParam(required = false) String reference,
            @RequestParam(required = false) String note, @RequestParam(required = false) String purpose, Model model,
            HttpServletRequest request, HttpServletResponse response) {
        requireDpo();
        requireLive(id);
        try {
            for (String text : new String[] {recipient, categories, basis, reference, note, purpose}) {
                if (text != null && text.length() > MAX_TEXT) {
                    throw Problems.invalid("note", "At most 500 characters.");
                }
            }
            List<String> list = Arrays.stream(categories.split(",")).map(String::strip).filter(c -> !c.isEmpty())
                    .toList();
            disclosures.record(new Disclosures.NewDisclosure(recipient.strip(), id, list, basis,
                    blankToNull(reference), blankToNull(note), blankToNull(purpose)));
        } catch (Refusal refused) {
            response.setStatus(422);
            model.addAttribute("formError", "disclosure");
            model.addAttribute("formDetail", refused.detail());
            return page(id, null, null, model, request);
        }
        return "redirect:/admin/subjects/" + id + "?done=disclosed";
    }

    /**
     * Art. 18(3): the person is told why the restriction is lifted before it ends; the restriction
     * ends once that mail has gone (the requests module's lift, as through the API).
     */
    @PostMapping(path = "/admin/subjects/{id}/restriction/lift", produces = "text/html")
    String lift(@PathVariable UUID id, @RequestParam(required = false) String reason, Model model,
            HttpServletRequest request, HttpServletResponse response) {
        requireDpo();
        requireLive(id);
        if (reason == null || reason.isBlank() || reason.strip().length() > MAX_TEXT) {
            response.setStatus(422);
            model.addAttribute("formError", "lift");
            return page(id, null, null, model, request);
        }
        try {
            lifts.lift(id, reason.strip());
        } catch (Refusal refused) {
            response.setStatus(refused.kind() == Refusal.Kind.CONFLICT ? 409 : 422);
            model.addAttribute("formError", refused.kind() == Refusal.Kind.CONFLICT ? "liftConflict" : "lift");
            model.addAttribute("formDetail", refused.detail());
            return page(id, null, null, model, request);
        }
        return "redirect:/admin/subjects/" + id + "?done=lifting";
    }

    /**
     * Why the DPO may read values kept only for one purpose (Art. 17(3), 18(2)): a fixed list, since
     * the vault writes the reason into the audit trail, which outlives the person's erasure.
     */
    static final List<String> KEPT_REASONS = List.of("legal-claims", "legal-obligation", "consent",
            "rights-of-another", "public-interest", "customer-instruction");

    /** Values kept only for one purpose, read for it with one of {@link #KEPT_REASONS} (recorded by the vault). */
    @PostMapping(path = "/admin/subjects/{id}/kept", produces = "text/html")
    String kept(@PathVariable UUID id, @RequestParam(required = false) String reason, Model model,
            HttpServletRequest request, HttpServletResponse response) {
        requireDpo();
        if (!vault.exists(id)) {
            throw Problems.notFound("No such person.");
        }
        if (reason == null || !KEPT_REASONS.contains(reason)) {
            response.setStatus(422);
            model.addAttribute("formError", "kept");
            return page(id, null, null, model, request);
        }
        return page(id, null, vault.restrictedValues(id, reason), model, request);
    }

    /** A document's content for the DPO, streamed through the vault (audited as a read). */
    @GetMapping(path = "/admin/subjects/{id}/documents/{documentId}")
    void document(@PathVariable UUID id, @PathVariable UUID documentId, HttpServletResponse response)
            throws IOException {
        requireDpo();
        requireLive(id);
        audit.viewed("subject-document", id, Map.of("document", documentId.toString()));
        DocumentInfo info = vault.readForAccess(id).documents().stream().filter(d -> d.id().equals(documentId))
                .findFirst().orElseThrow(() -> Problems.notFound("No such document."));
        response.setContentType("application/octet-stream");
        response.setHeader("Content-Disposition", "attachment; filename=\"" + info.kind() + "-" + documentId + "\"");
        response.setHeader("Cache-Control", "no-store");
        response.setHeader("X-Content-Type-Options", "nosniff");
        vault.copyDocumentForAccess(id, documentId, response.getOutputStream());
    }

    /** A consent's receipt (ISO/IEC TS 27560) as JSON, for a consent of this person; audited as a view. */
    @GetMapping(path = "/admin/subjects/{id}/consents/{receiptId}")
    org.springframework.http.ResponseEntity<no.personvern.consent.ConsentReceipt> receipt(@PathVariable UUID id,
            @PathVariable UUID receiptId) {
        var record = consents.byReceipt(receiptId).filter(found -> id.equals(found.subjectId()))
                .orElseThrow(() -> Problems.notFound("No such consent for this person."));
        audit.viewed("subject-consent", id, Map.of("receipt", record.receiptId().toString()));
        return org.springframework.http.ResponseEntity.ok()
                .header("Cache-Control", "no-store")
                .contentType(org.springframework.http.MediaType.APPLICATION_JSON)
                .body(consents.receipt(receiptId).orElseThrow(() -> Problems.notFound("No such receipt.")));
    }

    private String page(UUID id, String revealed, List<no.personvern.subjects.RestrictedValue> kept, Model model,
            HttpServletRequest request) {
        if (!vault.exists(id)) {
            throw Problems.notFound("No such person.");
        }
        audit.viewed("subject", id);
        Language language = PageLanguage.of(request);
        boolean live = vault.isLive(id);
        model.addAttribute("id", id);
        model.addAttribute("live", live);
        model.addAttribute("done", doneKey(request.getParameter("done")));
        model.addAttribute("reasons", ConsoleAudit.REVEAL_REASONS);
        model.addAttribute("keptReasons", KEPT_REASONS);
        model.addAttribute("bases", Arrays.stream(DisclosureBasis.values()).map(DisclosureBasis::key).toList());
        model.addAttribute("kept", kept);
        boolean dpo = dpo();
        // Why data is held and to whom it went are the DPO's: an agent's page has neither.
        model.addAttribute("holds", dpo ? holds.active(id).stream().map(SubjectsController::holdRow).toList()
                : List.of());
        model.addAttribute("disclosures", dpo ? disclosures.of(id) : List.of());
        model.addAttribute("consents", consents.history(id));
        model.addAttribute("requests", requests.ofSubject(id, 50));
        if (live) {
            SubjectView view = vault.readForAccess(id);
            model.addAttribute("identities", identities(view.identities(), revealed));
            Map<String, List<Map<String, Object>>> byActivity = new LinkedHashMap<>();
            List<String> categories = new ArrayList<>();
            List<SubjectView.StoredValue> data = view.data();
            for (int i = 0; i < data.size(); i++) {
                SubjectView.StoredValue value = data.get(i);
                boolean restricted = value.restriction() != null;
                // An agent sees a value masked until it reveals it with a reason; a value kept only for
                // one purpose (Art. 18, a hold) not at all.
                boolean show = dpo || !restricted && (VALUE + i).equals(revealed);
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("key", VALUE + i);
                row.put("category", value.category());
                row.put("value", show ? value.value() : restricted ? null : masked(value.category(), value.value()));
                row.put("masked", !show && !restricted);
                row.put("system", value.system());
                row.put("collected", value.collectedAt());
                row.put("restricted", restricted);
                row.put("retention", retentionEnd(value.activity(), value.collectedAt(), language));
                byActivity.computeIfAbsent(value.activity(), key -> new ArrayList<>()).add(row);
                if (value.restriction() == null && !categories.contains(value.category())) {
                    categories.add(value.category());
                }
            }
            model.addAttribute("values", byActivity);
            model.addAttribute("categories", categories);
            model.addAttribute("documents", view.documents());
            model.addAttribute("subscriptions", subscriptions.activeLists(id));
            model.addAttribute("restriction", vault.restriction(id).orElse(null));
        } else {
            model.addAttribute("identities", List.of());
            model.addAttribute("values", Map.of());
            model.addAttribute("categories", List.of());
            model.addAttribute("documents", List.of());
            model.addAttribute("subscriptions", List.of());
            model.addAttribute("restriction", null);
        }
        return "admin/subject";
    }

    private static String doneKey(String done) {
        return done != null && List.of("rectified", "hold-placed", "hold-ended", "disclosed", "lifting").contains(done)
                ? done : null;
    }

    /** A hold as the page shows it: the last day it keeps the data (the day before it ends, in Norway). */
    record HoldRow(UUID id, String reason, String placed, String through) {
    }

    private static HoldRow holdRow(no.personvern.retention.LegalHold hold) {
        return new HoldRow(hold.id(), hold.reason(), hold.placedAt().atZone(OSLO).toLocalDate().toString(),
                hold.until() == null ? null : hold.until().minusNanos(1).atZone(OSLO).toLocalDate().toString());
    }

    /** A value masked by what its category says it is: an address, a number, or anything else. */
    static String masked(String category, String value) {
        String last = category.substring(category.lastIndexOf('.') + 1);
        if (last.contains("email")) {
            return Masks.email(value);
        }
        return last.contains("phone") ? Masks.phone(value) : Masks.other(value);
    }

    private static boolean dpo() {
        return Callers.staff().map(StaffPrincipal::dpo).orElse(false);
    }

    /** When the value's retention ends: a date for a clock started at collection, else the rule in words. */
    private String retentionEnd(String activity, Instant collectedAt, Language language) {
        return catalog.activity(activity).map(found -> {
            RetentionRule rule = found.retention();
            if (rule != null && rule.trigger() == RetentionRule.Trigger.COLLECTION && collectedAt != null) {
                return rule.after().addTo(collectedAt).atZone(OSLO).toLocalDate().toString();
            }
            return catalog.retentionText(found, language);
        }).orElse("");
    }

    /** The identities for the page; for an agent masked, but for the one just revealed. */
    private static List<IdentityRow> identities(SubjectView.IdentityView view, String revealed) {
        boolean full = Callers.staff().map(StaffPrincipal::dpo).orElse(false);
        List<IdentityRow> rows = new ArrayList<>();
        if (view == null) {
            return rows;
        }
        add(rows, "email", "email", null, view.email(), true, full, revealed);
        add(rows, "phone", "phone", null, view.phone(), true, full, revealed);
        view.externalIds().forEach((system, value) ->
                add(rows, "externalId:" + system, "externalId", system, value, true, full, revealed));
        List<String> others = view.otherEmails() == null ? List.of() : view.otherEmails();
        for (int i = 0; i < others.size(); i++) {
            add(rows, "email:" + i, "email", null, others.get(i), true, full, revealed);
        }
        List<String> phones = view.otherPhones() == null ? List.of() : view.otherPhones();
        for (int i = 0; i < phones.size(); i++) {
            add(rows, "phone:" + i, "phone", null, phones.get(i), true, full, revealed);
        }
        for (int i = 0; i < view.unverified().size(); i++) {
            SubjectView.Unverified unverified = view.unverified().get(i);
            String kind = unverified.kind();
            add(rows, ("phone".equals(kind) ? "unverified-phone:" : "externalId".equals(kind)
                    ? "externalId-unverified:" : "unverified-email:") + i, kind, unverified.system(), unverified.value(),
                    false, full, revealed);
        }
        return rows;
    }

    private static void add(List<IdentityRow> rows, String key, String kind, String system, String value,
            boolean verified, boolean full, String revealed) {
        if (value == null) {
            return;
        }
        boolean show = full || key.equals(revealed);
        String masked = switch (kind) {
            case "email" -> Masks.email(value);
            case "phone" -> Masks.phone(value);
            default -> Masks.other(value);
        };
        rows.add(new IdentityRow(key, kind, system, show ? value : masked, !show, verified));
    }

    private void requireLive(UUID id) {
        if (!vault.isLive(id)) {
            throw Problems.notFound("No such person.");
        }
    }

    static void requireDpo() {
        if (!Callers.staff().map(StaffPrincipal::dpo).orElse(false)) {
            throw Problems.refusal(Refusal.Kind.FORBIDDEN, "Forbidden", "This is for the DPO.", null);
        }
    }

    private static String blankToNull(String text) {
        return text == null || text.isBlank() ? null : text.strip();
    }
}
