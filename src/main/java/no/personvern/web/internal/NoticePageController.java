package no.personvern.web.internal;

import io.swagger.v3.oas.annotations.Operation;
import no.personvern.catalog.Language;
import no.personvern.catalog.PrivacyNotices;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

/** {@code /privacy}: the privacy notice (Art. 13) as a page of the privacy centre, in the page's language. */
@Controller
class NoticePageController {

    private final PrivacyNotices notices;

    NoticePageController(PrivacyNotices notices) {
        this.notices = notices;
    }

    @Operation(summary = "The privacy notice as an HTML page (public; ?lang=nb|en, else Accept-Language, else nb)")
    @GetMapping(path = "/privacy", produces = "text/html")
    String notice(Model model) {
        model.addAttribute("notice", notices.notice((Language) model.getAttribute("language")));
        return "web/notice";
    }
}
