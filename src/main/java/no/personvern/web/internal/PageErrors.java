package no.personvern.web.internal;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import no.personvern.Refusal;
import no.personvern.catalog.Catalog;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.ModelAndView;

/**
 * A page that cannot be shown answers with a page, never a JSON document or a stack trace: the
 * status of the refusal and a few words in the person's language on what to do next. A page that
 * can say more (a wrong code, a field to correct) catches the refusal itself and shows the form again.
 */
@ControllerAdvice(basePackages = "no.personvern.web.internal")
@Order(Ordered.HIGHEST_PRECEDENCE)
public class PageErrors {

    private final Catalog catalog;

    PageErrors(Catalog catalog) {
        this.catalog = catalog;
    }

    @ExceptionHandler(Refusal.class)
    ModelAndView refused(Refusal refusal, HttpServletRequest request, HttpServletResponse response) {
        return page(status(refusal.kind()), request, response);
    }

    /**
     * The status of a page that shows a refusal: as the API's, except that an invalid value is 400 (a
     * form to correct), not 422. The console's pages answer the same way.
     */
    public static int status(no.personvern.Refusal.Kind kind) {
        return switch (kind) {
            case BAD_REQUEST, INVALID -> 400;
            case FORBIDDEN -> 403;
            case NOT_FOUND -> 404;
            case CONFLICT -> 409;
            case GONE -> 410;
            case TOO_LARGE -> 413;
            case LOCKED -> 423;
            case TOO_MANY -> 429;
            case UNAVAILABLE -> 503;
        };
    }

    /** A malformed id in a link, or a form without a field it must have. */
    @ExceptionHandler({MethodArgumentTypeMismatchException.class, MissingServletRequestParameterException.class})
    ModelAndView malformed(Exception unreadable, HttpServletRequest request, HttpServletResponse response) {
        return page(404, request, response);
    }

    ModelAndView page(int status, HttpServletRequest request, HttpServletResponse response) {
        response.setStatus(status);
        ModelAndView page = new ModelAndView("web/problem");
        page.addObject("status", status);
        Pages.common(request, page.getModelMap(), catalog);
        return page;
    }
}
