package no.personvern.web.internal;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.Locale;
import no.personvern.catalog.Language;
import org.springframework.web.servlet.LocaleResolver;

/**
 * The language of a page: {@code ?lang=nb|en} when given, else the first of Norwegian or English
 * the browser asks for in {@code Accept-Language} ({@code nb}, {@code no} and {@code nn} read as
 * bokmål), else bokmål. Nothing is stored: every link and form of a page carries its language on.
 */
final class PageLanguage implements LocaleResolver {

    static final Locale NB = Locale.forLanguageTag("nb");

    @Override
    public Locale resolveLocale(HttpServletRequest request) {
        return of(request).code().equals("en") ? Locale.ENGLISH : NB;
    }

    @Override
    public void setLocale(HttpServletRequest request, HttpServletResponse response, Locale locale) {
        throw new UnsupportedOperationException("The language is chosen by ?lang or Accept-Language");
    }

    static Language of(HttpServletRequest request) {
        String asked = request.getParameter("lang");
        if (asked != null) {
            var given = Language.fromCode(asked.strip().toLowerCase(Locale.ROOT));
            if (given.isPresent()) {
                return given.get();
            }
        }
        if (request.getHeader("Accept-Language") == null) {
            return Language.NB; // the container would otherwise answer with the server's own locale
        }
        var wanted = request.getLocales();
        while (wanted.hasMoreElements()) {
            String language = wanted.nextElement().getLanguage();
            switch (language) {
                case "nb", "no", "nn" -> {
                    return Language.NB;
                }
                case "en" -> {
                    return Language.EN;
                }
                default -> {
                }
            }
        }
        return Language.NB;
    }
}
