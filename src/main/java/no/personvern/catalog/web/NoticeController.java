package no.personvern.catalog.web;

import no.personvern.catalog.Language;
import no.personvern.catalog.PrivacyNotice;
import no.personvern.catalog.PrivacyNotices;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;

/** The public privacy notice as JSON, for products that show it themselves (the page is the web module's). */
@RestController
class NoticeController {

    private final PrivacyNotices notices;

    NoticeController(PrivacyNotices notices) {
        this.notices = notices;
    }

    @GetMapping(path = "/api/v1/public/notice", produces = "application/json")
    PrivacyNotice notice(@RequestParam(name = "lang", defaultValue = "nb") String lang) {
        return notices.notice(language(lang));
    }

    private static Language language(String lang) {
        return Language.fromCode(lang).orElseThrow(() -> new InvalidParameterException("lang", "must be nb or en"));
    }
}
