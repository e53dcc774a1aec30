package no.personvern.consent.web;

import no.personvern.consent.Subscriptions;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Controller;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.ModelAndView;

/**
 * The pages behind the links in mails. A GET only shows a page with one button and changes
 * nothing, because mail scanners follow links; the POST acts (RFC 8058 one-click for unsubscribe).
 */
@Controller
class SubscriptionPages {

    private final Subscriptions subscriptions;

    SubscriptionPages(Subscriptions subscriptions) {
        this.subscriptions = subscriptions;
    }

    @GetMapping(path = "/subscriptions/confirm/{token}", produces = "text/html")
    ModelAndView confirmPage(@PathVariable String token, @RequestParam(defaultValue = "nb") String lang) {
        if (!subscriptions.isPending(token)) {
            throw new ErrorResponseException(HttpStatus.GONE);
        }
        return page(lang, "confirm", true);
    }

    @PostMapping(path = "/subscriptions/confirm/{token}", produces = "text/html")
    ModelAndView confirm(@PathVariable String token, @RequestParam(defaultValue = "nb") String lang) {
        subscriptions.confirm(token);
        return page(lang, "confirmed", false);
    }

    @GetMapping(path = "/u/{token}", produces = "text/html")
    ModelAndView unsubscribePage(@PathVariable String token, @RequestParam(defaultValue = "nb") String lang) {
        boolean active = subscriptions.state(token).equals("confirmed");
        return page(lang, active ? "unsubscribe" : "unsubscribed", active);
    }

    @PostMapping(path = "/u/{token}", produces = "text/html")
    ModelAndView unsubscribe(@PathVariable String token, @RequestParam(defaultValue = "nb") String lang) {
        subscriptions.unsubscribe(token);
        return page(lang, "unsubscribed", false);
    }

    private static ModelAndView page(String lang, String step, boolean button) {
        ModelAndView page = new ModelAndView("subscription");
        page.addObject("nb", !"en".equals(lang));
        page.addObject("step", step);
        page.addObject("button", button);
        return page;
    }
}
