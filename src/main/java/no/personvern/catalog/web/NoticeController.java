package no.personvern.catalog.web;

import io.swagger.v3.oas.annotations.Operation;
import no.personvern.catalog.Catalog;
import no.personvern.catalog.Language;
import no.personvern.catalog.PrivacyNotice;
import no.personvern.catalog.PrivacyNotices;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseBody;
import org.springframework.web.servlet.ModelAndView;

/** The public privacy notice: a page for people, JSON for products that show it themselves. */
@Controller
class NoticeController {

    private final PrivacyNotices notices;
    private final Catalog catalog;

    NoticeController(PrivacyNotices notices, Catalog catalog) {
        this.notices = notices;
        this.catalog = catalog;
    }

    @Operation(summary = "The privacy notice as an HTML page (public; lang nb or en, default nb)")
    @GetMapping(path = "/privacy", produces = "text/html")
    ModelAndView page(@RequestParam(name = "lang", defaultValue = "nb") String lang) {
        PrivacyNotice notice = notices.notice(language(lang));
        ModelAndView page = new ModelAndView("privacy");
        page.addObject("notice", notice);
        page.addObject("controller", catalog.controller());
        page.addObject("nb", notice.lang().equals("nb"));
        return page;
    }

    @GetMapping(path = "/api/v1/public/notice", produces = "application/json")
    @ResponseBody
    PrivacyNotice notice(@RequestParam(name = "lang", defaultValue = "nb") String lang) {
        return notices.notice(language(lang));
    }

    private static Language language(String lang) {
        return Language.fromCode(lang).orElseThrow(() -> new InvalidParameterException("lang", "must be nb or en"));
    }
}
