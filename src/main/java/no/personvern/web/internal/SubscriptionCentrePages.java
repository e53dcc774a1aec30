package no.personvern.web.internal;

import io.swagger.v3.oas.annotations.Hidden;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.List;
import java.util.UUID;
import no.personvern.Refusal;
import no.personvern.catalog.Catalog;
import no.personvern.catalog.Language;
import no.personvern.consent.SubscriptionCentre;
import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * Subscriptions in the privacy centre: an address gets a private link by mail (the same answer
 * whether or not the address is known), and the link shows each subscription with a button to end
 * it, or to confirm a sign-up waiting for confirmation. Every form posts and redirects.
 */
@Controller
@Hidden
class SubscriptionCentrePages {

    static final int MAX_EMAIL = 320;

    /** One subscription as shown: its list's title from the catalog, its state and since when. */
    record Row(UUID id, String title, String state, String since) {
    }

    private final SubscriptionCentre centre;
    private final Catalog catalog;
    private final PageDates dates;

    SubscriptionCentrePages(SubscriptionCentre centre, Catalog catalog, PageDates dates) {
        this.dates = dates;
        this.centre = centre;
        this.catalog = catalog;
    }

    @GetMapping(path = "/privacy-center/subscriptions", produces = "text/html")
    String form(Model model) {
        model.addAttribute("email", "");
        return "web/choices/subscriptions";
    }

    @PostMapping(path = "/privacy-center/subscriptions", produces = "text/html")
    String ask(@RequestParam(name = "email", required = false) String email, Model model, HttpServletRequest request,
            HttpServletResponse response) {
        String lang = ((Language) model.getAttribute("language")).code();
        try {
            centre.mailLink(email, lang, request.getRemoteAddr());
        } catch (Refusal refusal) {
            if (refusal.kind() != Refusal.Kind.INVALID && refusal.kind() != Refusal.Kind.BAD_REQUEST) {
                throw refusal;
            }
            response.setStatus(422);
            model.addAttribute("email", email == null ? "" : email.length() > MAX_EMAIL ? email.substring(0, MAX_EMAIL) : email);
            model.addAttribute("emailError", email == null || email.isBlank() ? "subscriptions.email.missing"
                    : "subscriptions.email.invalid");
            return "web/choices/subscriptions";
        }
        return "redirect:/privacy-center/subscriptions/sent?lang=" + lang;
    }

    @GetMapping(path = "/privacy-center/subscriptions/sent", produces = "text/html")
    String sent() {
        return "web/choices/subscriptions-sent";
    }

    @GetMapping(path = "/privacy-center/subscriptions/{token}", produces = "text/html")
    String list(@PathVariable String token, @RequestParam(name = "done", required = false) String done, Model model,
            HttpServletResponse response) {
        response.setHeader(HttpHeaders.CACHE_CONTROL, "no-store");
        Language language = (Language) model.getAttribute("language");
        SubscriptionCentre.Holder holder = centre.open(token);
        List<Row> rows = holder.subscriptions().stream().map(entry -> new Row(entry.id(),
                catalog.list(entry.list()).map(list -> list.title().in(language)).orElse(entry.list()), entry.state(),
                dates.format(entry.since(), language))).toList();
        model.addAttribute("token", token);
        model.addAttribute("rows", rows);
        model.addAttribute("expires", dates.format(holder.expiresAt(), language));
        model.addAttribute("done", "ended".equals(done) || "confirmed".equals(done) ? done : null);
        return "web/choices/subscription-list";
    }

    @PostMapping(path = "/privacy-center/subscriptions/{token}/{id}/end", produces = "text/html")
    String end(@PathVariable String token, @PathVariable UUID id, Model model) {
        centre.end(token, id);
        return "redirect:/privacy-center/subscriptions/" + token + "?done=ended&lang=" + lang(model);
    }

    @PostMapping(path = "/privacy-center/subscriptions/{token}/{id}/confirm", produces = "text/html")
    String confirm(@PathVariable String token, @PathVariable UUID id, Model model) {
        centre.confirm(token, id);
        return "redirect:/privacy-center/subscriptions/" + token + "?done=confirmed&lang=" + lang(model);
    }

    private static String lang(Model model) {
        return ((Language) model.getAttribute("language")).code();
    }
}
