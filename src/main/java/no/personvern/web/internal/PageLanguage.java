package no.personvern.web.internal;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.util.Locale;
import no.personvern.catalog.Language;
import org.springframework.web.servlet.LocaleResolver;

/**
 * The language of a page: {@code ?lang=nb|en} when given, else the first of Norwegian or English
 * the browser asks for in {@code Accept-Language} ({@code nb}, {@code no} and {@code nn} read as
 * bokmål), else bokmål. Nothing is stored for the public pages: every link and form of a page
 * carries its language on. In the console, whose staff have a session, the language asked for is
 * kept in the session instead.
 */
public final class PageLanguage implements LocaleResolver {

    static final Locale NB = Locale.forLanguageTag("nb");
    private static final String SESSION_LANGUAGE = "personvern.lang";

    @Override
    public Locale resolveLocale(HttpServletRequest request) {
        return of(request).code().equals("en") ? Locale.ENGLISH : NB;
    }

    @Override
    public void setLocale(HttpServletRequest request, HttpServletResponse response, Locale locale) {
        throw new UnsupportedOperationException("The language is chosen by ?lang or Accept-Language");
    }

    public static Language of(HttpServletRequest request) {
        boolean console = request.getRequestURI().startsWith("/admin");
        HttpSession session = console ? request.getSession(false) : null;
        String asked = request.getParameter("lang");
        if (asked != null) {
            var given = Language.fromCode(asked.strip().toLowerCase(Locale.ROOT));
            if (given.isPresent()) {
                if (session != null) {
                    session.setAttribute(SESSION_LANGUAGE, given.get().code());
                }
                return given.get();
            }
        }
        if (session != null && session.getAttribute(SESSION_LANGUAGE) instanceof String kept) {
            var given = Language.fromCode(kept);
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
