package no.personvern.web.console;

import io.swagger.v3.oas.annotations.Hidden;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.UUID;
import no.personvern.PersonvernProperties;
import no.personvern.Refusal;
import no.personvern.catalog.Language;
import no.personvern.mail.Mail;
import no.personvern.mail.Mailer;
import no.personvern.security.Staff;
import no.personvern.security.StaffMember;
import no.personvern.security.StaffRole;
import no.personvern.web.internal.PageLanguage;
import org.springframework.context.MessageSource;
import org.springframework.stereotype.Controller;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * {@code /admin/staff} (the DPO's; the security chain refuses agents): the members, invitations
 * mailed with a single-use link, roles, deactivation. The link's secret goes into the mail and
 * nowhere else; the invitation and its mail commit together.
 */
@Controller
@Hidden
class StaffController {

    private final Staff staff;
    private final Mailer mailer;
    private final TransactionTemplate transactions;
    private final MessageSource messages;
    private final String baseUrl;

    StaffController(Staff staff, Mailer mailer, TransactionTemplate transactions, MessageSource messages,
            PersonvernProperties properties) {
        this.staff = staff;
        this.mailer = mailer;
        this.transactions = transactions;
        this.messages = messages;
        this.baseUrl = properties.baseUrl();
    }

    @GetMapping(path = "/admin/staff", produces = "text/html")
    String list(HttpServletRequest request, Model model) {
        String done = request.getParameter("done");
        model.addAttribute("done", done != null && java.util.List.of("invited", "reinvited", "role", "deactivated",
                "reactivated").contains(done) ? done : null);
        model.addAttribute("staffList", staff.list());
        model.addAttribute("roles", java.util.Arrays.stream(StaffRole.values()).map(StaffRole::key).toList());
        return "admin/staff";
    }

    @PostMapping(path = "/admin/staff/invite", produces = "text/html")
    String invite(@RequestParam String username, @RequestParam String displayName, @RequestParam String email,
            @RequestParam String role, HttpServletRequest request, HttpServletResponse response, Model model) {
        Language language = PageLanguage.of(request);
        try {
            StaffRole chosen = StaffRole.fromKey(role)
                    .orElseThrow(() -> no.personvern.Problems.invalid("role", "Choose a role."));
            if (username.length() > 200 || displayName.isBlank() || displayName.length() > 200 || email.length() > 320
                    || !email.matches("[^@\\s]+@[^@\\s]+\\.[^@\\s]+")) {
                throw no.personvern.Problems.invalid("email", "Give a name and a valid address.");
            }
            transactions.executeWithoutResult(status -> {
                Staff.Invitation invitation = staff.invite(username.strip(), displayName.strip(), email.strip(), chosen);
                mail(invitation, language);
            });
        } catch (Refusal refused) {
            response.setStatus(refused.kind() == Refusal.Kind.CONFLICT ? 409 : 422);
            model.addAttribute("error", refused.kind() == Refusal.Kind.CONFLICT ? "taken" : "invalid");
            model.addAttribute("username", username.length() > 200 ? "" : username);
            model.addAttribute("displayName", displayName.length() > 200 ? "" : displayName);
            model.addAttribute("email", email.length() > 320 ? "" : email);
            return list(request, model);
        }
        return "redirect:/admin/staff?done=invited";
    }

    @PostMapping(path = "/admin/staff/{id}/reinvite", produces = "text/html")
    String reinvite(@PathVariable UUID id, HttpServletRequest request) {
        Language language = PageLanguage.of(request);
        find(id);
        transactions.executeWithoutResult(status -> mail(staff.reinvite(id), language));
        return "redirect:/admin/staff?done=reinvited";
    }

    @PostMapping(path = "/admin/staff/{id}/role", produces = "text/html")
    String role(@PathVariable UUID id, @RequestParam String role, HttpServletRequest request,
            HttpServletResponse response, Model model) {
        find(id);
        StaffRole chosen = StaffRole.fromKey(role)
                .orElseThrow(() -> no.personvern.Problems.invalid("role", "Choose a role."));
        return act(() -> staff.changeRole(id, chosen), "role", request, response, model);
    }

    @PostMapping(path = "/admin/staff/{id}/deactivate", produces = "text/html")
    String deactivate(@PathVariable UUID id, HttpServletRequest request, HttpServletResponse response, Model model) {
        find(id);
        return act(() -> staff.deactivate(id), "deactivated", request, response, model);
    }

    @PostMapping(path = "/admin/staff/{id}/reactivate", produces = "text/html")
    String reactivate(@PathVariable UUID id, HttpServletRequest request, HttpServletResponse response, Model model) {
        find(id);
        return act(() -> staff.reactivate(id), "reactivated", request, response, model);
    }

    private String act(java.util.function.Supplier<StaffMember> action, String done, HttpServletRequest request,
            HttpServletResponse response, Model model) {
        try {
            action.get();
        } catch (Refusal refused) {
            if (refused.kind() != Refusal.Kind.INVALID && refused.kind() != Refusal.Kind.CONFLICT) {
                throw refused;
            }
            response.setStatus(422);
            model.addAttribute("error", "lastDpo");
            return list(request, model);
        }
        return "redirect:/admin/staff?done=" + done;
    }

    private StaffMember find(UUID id) {
        return staff.find(id).orElseThrow(() -> no.personvern.Problems.notFound("No such member of staff."));
    }

    private void mail(Staff.Invitation invitation, Language language) {
        java.util.Locale locale = java.util.Locale.forLanguageTag(language.code());
        String link = baseUrl + "/admin/invitation/" + invitation.secret();
        String text = messages.getMessage("console.invitation.mail.text",
                new Object[] {invitation.member().displayName(), link, invitation.member().username()}, locale);
        mailer.send(new Mail(invitation.member().email(), messages.getMessage("console.invitation.mail.subject",
                null, locale), text, java.util.Map.of(), null, "staff:" + invitation.member().id() + ":invitation"));
    }
}
