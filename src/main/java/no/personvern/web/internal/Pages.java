package no.personvern.web.internal;

import jakarta.servlet.http.HttpServletRequest;
import java.util.Map;
import no.personvern.catalog.Catalog;
import no.personvern.catalog.Language;
import org.springframework.security.web.csrf.CsrfToken;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * What every page needs: its language and the link to the other one, the company's name and
 * contact details, and the form token. The token is made before the page is rendered, so that its
 * cookie goes out with the headers however long the page is.
 */
@ControllerAdvice(basePackages = "no.personvern.web.internal")
class Pages {

    private final Catalog catalog;

    Pages(Catalog catalog) {
        this.catalog = catalog;
    }

    @ModelAttribute
    void common(HttpServletRequest request, Model model) {
        common(request, model.asMap(), catalog);
    }

    /** The same for a page made outside a handler (an error page). */
    static void common(HttpServletRequest request, Map<String, Object> model, Catalog catalog) {
        Language language = PageLanguage.of(request);
        Language other = language == Language.NB ? Language.EN : Language.NB;
        model.put("lang", language.code());
        model.put("language", language);
        model.put("otherLang", other.code());
        model.put("switchLanguage", UriComponentsBuilder.fromPath(request.getRequestURI())
                .query(request.getQueryString()).replaceQueryParam("lang", other.code()).build().toUriString());
        model.put("controller", catalog.controller());
        model.put("company", catalog.controller().name());
        // The catalog's address of the supervisory authority, as a link only when it is a web address.
        var authority = catalog.controller().supervisoryAuthority();
        String url = authority == null ? null : authority.url();
        model.put("authorityLink", url != null && url.matches("(?i)https?://[^\\s\"<>]+") ? url : null);
        if (request.getAttribute(CsrfToken.class.getName()) instanceof CsrfToken token) {
            token.getToken();
        }
    }

    /** Links keep the page's language. */
    static Map<String, String> language(HttpServletRequest request) {
        return Map.of("lang", PageLanguage.of(request).code());
    }
}
