package no.personvern.web.console;

import io.swagger.v3.oas.annotations.Hidden;
import jakarta.servlet.http.HttpServletRequest;
import no.personvern.security.Callers;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;

/** The console's sign-in page and the page for a refusal by role or by a stale form. */
@Controller
@Hidden
class ConsoleController {

    /** The sign-in form; a member already signed in goes straight to the console. */
    @GetMapping(path = "/admin/login", produces = "text/html")
    String login(@RequestParam(required = false) String next, HttpServletRequest request, Model model) {
        if (Callers.staff().isPresent()) {
            return "redirect:/admin";
        }
        String state = null;
        for (String known : new String[] {"failed", "limit", "busy", "expired", "signed-out"}) {
            if (request.getParameter(known) != null) {
                state = known;
            }
        }
        model.addAttribute("state", state);
        model.addAttribute("next", next != null && next.startsWith("/admin") && next.length() < 500 ? next : null);
        return "admin/login";
    }

    /**
     * A console page asked for from a link on another site (the security filters forward here): the
     * address, and one click to open it. Nothing of the page itself is read or audited until then.
     */
    @RequestMapping(path = "/admin/elsewhere", produces = "text/html")
    String elsewhere(HttpServletRequest request, Model model) {
        Object target = request.getAttribute("personvern.console.target");
        model.addAttribute("target", target instanceof String path && path.startsWith("/admin") ? path : "/admin");
        return "admin/elsewhere";
    }

    /** Any other address under the console: the console's not-found page, not a JSON document. */
    @RequestMapping(path = "/admin/**", produces = "text/html")
    String unknown() {
        throw no.personvern.Problems.notFound("No such page in the console.");
    }

    /** 403 (set by the security filters, which forward here): a role that may not, or a stale form. */
    @RequestMapping(path = "/admin/denied", produces = "text/html")
    String denied(HttpServletRequest request, Model model) {
        model.addAttribute("reason", "form".equals(request.getAttribute("personvern.console.denied")) ? "form" : "role");
        return "admin/denied";
    }
}
