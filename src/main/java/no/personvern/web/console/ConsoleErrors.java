package no.personvern.web.console;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import no.personvern.Refusal;
import no.personvern.catalog.Catalog;
import no.personvern.security.Staff;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.ModelAndView;

/**
 * A console page that cannot be shown answers with a console page, never JSON or a stack trace: the
 * status, and for staff the refusal's own words (which never hold personal data). A form that can
 * say more catches the refusal itself and shows the form again with the error.
 */
@ControllerAdvice(basePackages = "no.personvern.web.console")
@Order(Ordered.HIGHEST_PRECEDENCE)
class ConsoleErrors {

    private final Catalog catalog;
    private final Staff staff;

    ConsoleErrors(Catalog catalog, Staff staff) {
        this.catalog = catalog;
        this.staff = staff;
    }

    @ExceptionHandler(Refusal.class)
    ModelAndView refused(Refusal refusal, HttpServletRequest request, HttpServletResponse response) {
        return page(no.personvern.web.internal.PageErrors.status(refusal.kind()), refusal.detail(), request, response);
    }

    /** A malformed id in a link: no such page. */
    @ExceptionHandler(MethodArgumentTypeMismatchException.class)
    ModelAndView malformed(MethodArgumentTypeMismatchException unreadable, HttpServletRequest request,
            HttpServletResponse response) {
        return page(404, null, request, response);
    }

    /** A form without a field it must have: a bad request, not a missing page. */
    @ExceptionHandler(MissingServletRequestParameterException.class)
    ModelAndView missing(MissingServletRequestParameterException missing, HttpServletRequest request,
            HttpServletResponse response) {
        return page(400, null, request, response);
    }

    ModelAndView page(int status, String detail, HttpServletRequest request, HttpServletResponse response) {
        response.setStatus(status);
        ModelAndView page = new ModelAndView("admin/problem");
        page.addObject("status", status);
        page.addObject("detail", detail);
        ConsolePages.common(request, page.getModelMap(), catalog, staff);
        return page;
    }
}
