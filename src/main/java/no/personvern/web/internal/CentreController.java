package no.personvern.web.internal;

import io.swagger.v3.oas.annotations.Hidden;
import no.personvern.catalog.Language;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

/** The privacy centre's home: what the company does with personal data, and what a person can do about it. */
@Controller
@Hidden
class CentreController {

    private final CatalogSummary summary;

    CentreController(CatalogSummary summary) {
        this.summary = summary;
    }

    @GetMapping(path = "/privacy-center", produces = "text/html")
    String home(Model model) {
        Language language = (Language) model.getAttribute("language");
        model.addAttribute("summary", summary.of(language));
        return "web/centre/home";
    }
}
