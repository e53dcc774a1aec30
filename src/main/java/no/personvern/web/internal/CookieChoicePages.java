package no.personvern.web.internal;

import io.swagger.v3.oas.annotations.Hidden;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.Optional;
import no.personvern.Problems;
import no.personvern.Refusal;
import no.personvern.catalog.Language;
import no.personvern.tracking.CookieChoices;
import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.CookieValue;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * The visitor's cookie choice on this site, read from the signed cookie and changed with a plain
 * form: recorded and stored exactly as the banner does it. Global Privacy Control ({@code Sec-GPC:
 * 1}) means no marketing, whatever is ticked.
 */
@Controller
@Hidden
class CookieChoicePages {

    private final CookieChoices choices;
    private final PageDates dates;

    CookieChoicePages(CookieChoices choices, PageDates dates) {
        this.dates = dates;
        this.choices = choices;
    }

    @GetMapping(path = "/privacy-center/cookies", produces = "text/html")
    String page(@CookieValue(name = CookieChoices.COOKIE, required = false) String cookie,
            @RequestHeader(name = "Sec-GPC", required = false) String gpc,
            @RequestParam(name = "saved", required = false) String saved, Model model, HttpServletResponse response) {
        response.setHeader(HttpHeaders.CACHE_CONTROL, "no-store");
        response.addHeader(HttpHeaders.VARY, "Cookie, Sec-GPC");
        Language language = (Language) model.getAttribute("language");
        Optional<CookieChoices.Current> current = choices.current(cookie);
        boolean globalPrivacyControl = "1".equals(gpc);
        CookieChoices.Offered offered = choices.offered();
        model.addAttribute("offered", offered);
        model.addAttribute("chosen", current.isPresent());
        model.addAttribute("statistics", current.map(CookieChoices.Current::statistics).orElse(false)
                && offered.statistics());
        model.addAttribute("marketing", current.map(CookieChoices.Current::marketing).orElse(false)
                && offered.marketing() && !globalPrivacyControl);
        model.addAttribute("chosenAt", current.map(choice -> dates.format(choice.chosenAt(), language)).orElse(null));
        model.addAttribute("gpc", globalPrivacyControl);
        model.addAttribute("saved", "1".equals(saved) && current.isPresent());
        return "web/choices/cookies";
    }

    /**
     * {@code action} is {@code save} (the boxes), {@code accept} or {@code reject}; a box is ticked
     * with the value {@code yes}. Anything else is refused with nothing recorded.
     */
    @PostMapping(path = "/privacy-center/cookies", produces = "text/html")
    String choose(@RequestParam(name = "action", required = false) String action,
            @RequestParam(name = "statistics", required = false) String statistics,
            @RequestParam(name = "marketing", required = false) String marketing,
            @CookieValue(name = CookieChoices.COOKIE, required = false) String cookie,
            @RequestHeader(name = "Sec-GPC", required = false) String gpc, Model model,
            HttpServletRequest request, HttpServletResponse response) {
        if (!box(statistics) || !box(marketing) || action == null
                || !(action.equals("save") || action.equals("accept") || action.equals("reject"))) {
            throw Problems.refusal(Refusal.Kind.BAD_REQUEST, "Bad request", "Not a choice this form makes.", null);
        }
        boolean all = action.equals("accept");
        boolean save = action.equals("save");
        CookieChoices.Saved saved = choices.choose(cookie, all || (save && "yes".equals(statistics)),
                all || (save && "yes".equals(marketing)), "1".equals(gpc), request.isSecure());
        saved.setCookies().forEach(value -> response.addHeader(HttpHeaders.SET_COOKIE, value));
        return "redirect:/privacy-center/cookies?saved=1&lang=" + ((Language) model.getAttribute("language")).code();
    }

    private static boolean box(String value) {
        return value == null || value.equals("yes");
    }
}
