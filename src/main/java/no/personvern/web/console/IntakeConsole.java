package no.personvern.web.console;

import io.swagger.v3.oas.annotations.Hidden;
import jakarta.servlet.http.HttpServletResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import no.personvern.Problems;
import no.personvern.Refusal;
import no.personvern.requests.DataRequest;
import no.personvern.requests.RequestDesk;
import no.personvern.requests.RequestType;
import no.personvern.security.Callers;
import no.personvern.security.StaffPrincipal;
import no.personvern.subjects.SubjectView;
import no.personvern.subjects.Vault;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * {@code /admin/intake}: a member of staff takes a request for a caller (S18). They find the person
 * by e-mail, phone or external id (a posted search, through the vault's blind index; identities
 * masked for agents, one revealed at a time with a fixed reason, audited), say how they verified the
 * caller (one of {@link #METHODS}, never free text), and file the request; the person is mailed at the
 * address on file. How the caller was verified is kept with the request only, never in the audit trail.
 */
@Controller
@Hidden
class IntakeConsole {

    /** How staff may have verified a caller; the words are the bundles', the key goes with the request. */
    static final List<String> METHODS = List.of("bankid", "security-questions", "known-number", "in-person", "other");
    static final List<String> CHANNELS = List.of("phone", "in-person", "letter", "e-mail");
    static final List<String> KINDS = List.of("email", "phone", "externalId");
    private static final int MAX_FOUND = 10;

    private final Vault vault;
    private final RequestDesk desk;
    private final ConsoleAudit audit;

    IntakeConsole(Vault vault, RequestDesk desk, ConsoleAudit audit) {
        this.vault = vault;
        this.desk = desk;
        this.audit = audit;
    }

    /** A person found, as the page shows them. */
    record Person(UUID id, List<RequestsConsole.Shown> identities) {
    }

    /** The empty search; a search is posted (an address or number searched for never goes into a URL). */
    @GetMapping(path = "/admin/intake", produces = "text/html")
    String intake(Model model, HttpServletResponse response) {
        return page(null, null, null, null, null, model, response);
    }

    /** The language link of a posted search or reveal leads back to the empty search. */
    @GetMapping(path = {"/admin/intake/search", "/admin/intake/reveal"}, produces = "text/html")
    String searchAgain() {
        return "redirect:/admin/intake";
    }

    @PostMapping(path = "/admin/intake/search", produces = "text/html")
    String search(@RequestParam(required = false) String kind, @RequestParam(required = false) String q, Model model,
            HttpServletResponse response) {
        return page(kind, q, null, null, null, model, response);
    }

    @PostMapping(path = "/admin/intake/reveal", produces = "text/html")
    String reveal(@RequestParam(required = false) String kind, @RequestParam(required = false) String q,
            @RequestParam String subject, @RequestParam String what, @RequestParam(required = false) String reason,
            Model model, HttpServletResponse response) {
        UUID person = RequestsConsole.uuid(subject).orElseThrow(() -> Problems.notFound("No such person."));
        if (!KINDS.contains(what)) {
            throw Problems.invalid("what", "An e-mail address, a phone number or an external id can be revealed.");
        }
        // Only a person the search found may be revealed: the form is no way to read anyone by id.
        if (!found(kind, q).contains(person)) {
            throw Problems.notFound("No such person in this search.");
        }
        try {
            audit.revealed(person, what, reason);
        } catch (Refusal refusal) {
            response.setStatus(400);
            return page(kind, q, null, null, refusal.detail(), model, response);
        }
        return page(kind, q, person, what, null, model, response);
    }

    @PostMapping(path = "/admin/intake", produces = "text/html")
    String file(@RequestParam(required = false) String kind, @RequestParam(required = false) String q,
            @RequestParam String subject, @RequestParam(required = false) String type,
            @RequestParam(required = false) String channel, @RequestParam(required = false) String method,
            @RequestParam(required = false) String message, Model model,
            HttpServletResponse response) {
        UUID person = RequestsConsole.uuid(subject).orElseThrow(() -> Problems.notFound("No such person."));
        if (!found(kind, q).contains(person)) {
            throw Problems.notFound("No such person in this search.");
        }
        String error = null;
        RequestType wanted = type == null ? null : RequestType.fromKey(type).orElse(null);
        if (wanted == null) {
            error = "type";
        } else if (channel == null || !CHANNELS.contains(channel)) {
            error = "channel";
        } else if (method == null || !METHODS.contains(method)) {
            error = "method";
        } else if (message != null && message.length() > 4000) {
            error = "message";
        }
        if (error != null) {
            response.setStatus(400);
            model.addAttribute("fieldError", error);
            return page(kind, q, null, null, null, model, response);
        }
        // One of the fixed methods, never free text: data_request.verified_by outlives an erasure.
        String verifiedBy = method;
        DataRequest filed;
        try {
            filed = desk.submitVerified(wanted, null, person, channel, verifiedBy, RequestsConsole.blank(message));
        } catch (Refusal refusal) {
            if (refusal.kind() == Refusal.Kind.FORBIDDEN || refusal.kind() == Refusal.Kind.NOT_FOUND) {
                throw refusal;
            }
            response.setStatus(refusal.kind() == Refusal.Kind.CONFLICT ? 409 : 400);
            return page(kind, q, null, null, refusal.detail(), model, response);
        }
        return "redirect:/admin/requests/" + filed.id() + "?done=filed";
    }

    private List<UUID> found(String kind, String q) {
        if (kind == null || !KINDS.contains(kind) || RequestsConsole.blank(q) == null || q.length() > 200) {
            return List.of();
        }
        List<UUID> found = vault.find(kind, q.strip());
        return found.size() > MAX_FOUND ? found.subList(0, MAX_FOUND) : found;
    }

    private String page(String kind, String q, UUID revealedPerson, String revealed, String error, Model model,
            HttpServletResponse response) {
        boolean dpo = Callers.staff().map(StaffPrincipal::dpo).orElse(false);
        String chosen = kind == null || !KINDS.contains(kind) ? "email" : kind;
        model.addAttribute("kind", chosen);
        model.addAttribute("q", q == null ? "" : q);
        model.addAttribute("kinds", KINDS);
        model.addAttribute("types", RequestType.values());
        model.addAttribute("channels", CHANNELS);
        model.addAttribute("methods", METHODS);
        model.addAttribute("reasons", ConsoleAudit.REVEAL_REASONS);
        model.addAttribute("error", error);
        model.addAttribute("searched", false);
        model.addAttribute("people", List.of());
        if (RequestsConsole.blank(q) == null) {
            return "admin/intake";
        }
        if (q.length() > 200 || kind != null && !KINDS.contains(kind)) {
            response.setStatus(400);
            model.addAttribute("error", "The search is too long or of an unknown kind.");
            return "admin/intake";
        }
        List<UUID> found;
        try {
            found = found(chosen, q);
        } catch (Refusal refusal) {
            response.setStatus(400);
            model.addAttribute("error", refusal.detail());
            return "admin/intake";
        }
        List<Person> people = new ArrayList<>();
        for (UUID id : found) {
            if (!vault.isLive(id)) {
                continue;
            }
            // On the trail before the person's identities are read for the page.
            audit.viewed("intake", id, Map.of());
            SubjectView.IdentityView known = vault.identities(id);
            List<RequestsConsole.Shown> shown = new ArrayList<>();
            boolean open = dpo || id.equals(revealedPerson);
            if (known.email() != null) {
                boolean full = open && (dpo || "email".equals(revealed));
                shown.add(new RequestsConsole.Shown("email", full ? known.email() : Masks.email(known.email()), !full));
            }
            if (known.phone() != null) {
                boolean full = open && (dpo || "phone".equals(revealed));
                shown.add(new RequestsConsole.Shown("phone", full ? known.phone() : Masks.phone(known.phone()), !full));
            }
            if (known.externalIds() != null) {
                boolean full = open && (dpo || "externalId".equals(revealed));
                known.externalIds().forEach((system, value) -> shown.add(new RequestsConsole.Shown("externalId",
                        system + ":" + (full ? value : Masks.other(value)), !full)));
            }
            people.add(new Person(id, shown));
        }
        model.addAttribute("searched", true);
        model.addAttribute("people", people);
        return "admin/intake";
    }
}
