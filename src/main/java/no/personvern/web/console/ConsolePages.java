package no.personvern.web.console;

import jakarta.servlet.http.HttpServletRequest;
import java.util.Map;
import no.personvern.catalog.Catalog;
import no.personvern.catalog.Language;
import no.personvern.security.Callers;
import no.personvern.security.Staff;
import no.personvern.security.StaffPrincipal;
import no.personvern.web.internal.PageLanguage;
import org.springframework.security.web.csrf.CsrfToken;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * What every console page needs: its language and the link to the other one, the company, the
 * signed-in member (name and role, for the header and the menu) and the form token, made before the
 * page is rendered so that it goes out with the headers.
 */
@ControllerAdvice(basePackages = "no.personvern.web.console")
class ConsolePages {

    private final Catalog catalog;
    private final Staff staff;

    ConsolePages(Catalog catalog, Staff staff) {
        this.catalog = catalog;
        this.staff = staff;
    }

    @ModelAttribute
    void common(HttpServletRequest request, Model model) {
        common(request, model.asMap(), catalog, staff);
    }

    static void common(HttpServletRequest request, Map<String, Object> model, Catalog catalog, Staff staff) {
        Language language = PageLanguage.of(request);
        Language other = language == Language.NB ? Language.EN : Language.NB;
        model.put("lang", language.code());
        model.put("otherLang", other.code());
        model.put("switchLanguage", UriComponentsBuilder.fromPath(request.getRequestURI())
                .query(request.getQueryString()).replaceQueryParam("lang", other.code()).build().toUriString());
        model.put("company", catalog.controller().name());
        model.put("path", request.getRequestURI());
        var principal = Callers.staff();
        model.put("dpo", principal.map(StaffPrincipal::dpo).orElse(false));
        model.put("member", principal.flatMap(signedIn -> staff.find(signedIn.id())).orElse(null));
        if (request.getAttribute(CsrfToken.class.getName()) instanceof CsrfToken token) {
            token.getToken();
        }
    }
}
