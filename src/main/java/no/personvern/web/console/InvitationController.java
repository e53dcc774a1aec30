package no.personvern.web.console;

import io.swagger.v3.oas.annotations.Hidden;
import jakarta.servlet.http.HttpServletResponse;
import no.personvern.Refusal;
import no.personvern.security.Staff;
import no.personvern.security.StaffMember;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * {@code /admin/invitation/{secret}} (open): the invited member sets a password, then signs in. The
 * page carries the secret in its path, so it is never cached and sends no Referer (the console's
 * headers say {@code no-referrer}); a used or expired link answers 410.
 */
@Controller
@Hidden
class InvitationController {

    private final Staff staff;

    InvitationController(Staff staff) {
        this.staff = staff;
    }

    @GetMapping(path = "/admin/invitation/{secret}", produces = "text/html")
    String form(@PathVariable String secret, HttpServletResponse response, Model model) {
        response.setHeader("Cache-Control", "no-store");
        StaffMember member = secret.length() > 200 ? null : staff.invited(secret).orElse(null);
        if (member == null) {
            response.setStatus(410);
            return "admin/invitation-gone";
        }
        model.addAttribute("secret", secret);
        model.addAttribute("invitedName", member.displayName());
        model.addAttribute("invitedUsername", member.username());
        return "admin/invitation";
    }

    @PostMapping(path = "/admin/invitation/{secret}", produces = "text/html")
    String accept(@PathVariable String secret, @RequestParam String password,
            @RequestParam(required = false) String repeat, HttpServletResponse response, Model model) {
        response.setHeader("Cache-Control", "no-store");
        StaffMember member = secret.length() > 200 ? null : staff.invited(secret).orElse(null);
        if (member == null) {
            response.setStatus(410);
            return "admin/invitation-gone";
        }
        String error = null;
        if (repeat != null && !repeat.equals(password)) {
            error = "mismatch";
        } else if (password.length() < 12 || password.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > 72) {
            error = "length";
        } else {
            try {
                staff.acceptInvitation(secret, password);
            } catch (Refusal refused) {
                if (refused.kind() == Refusal.Kind.GONE) {
                    response.setStatus(410);
                    return "admin/invitation-gone";
                }
                error = "length";
            }
        }
        if (error != null) {
            response.setStatus(422);
            model.addAttribute("secret", secret);
            model.addAttribute("invitedName", member.displayName());
            model.addAttribute("invitedUsername", member.username());
            model.addAttribute("error", error);
            return "admin/invitation";
        }
        return "redirect:/admin/login";
    }
}
