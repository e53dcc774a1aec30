package no.personvern.web.internal;

import io.swagger.v3.oas.annotations.Hidden;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import no.personvern.Problems;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.servlet.ModelAndView;

/**
 * A page's request refused by the security filters before any page saw it — a body over the limit
 * (413) or too many requests from the client (429): the filters forward here, and the person gets
 * a page in their language with the same status instead of a JSON problem. Nothing is stored.
 */
@Controller
@Hidden
class FormRefusedPage {

    private final PageErrors errors;

    FormRefusedPage(PageErrors errors) {
        this.errors = errors;
    }

    @RequestMapping(path = "/form-refused/{status}", produces = "text/html")
    ModelAndView refused(@PathVariable String status, HttpServletRequest request, HttpServletResponse response) {
        return switch (status) {
            case "413" -> errors.page(413, request, response);
            case "429" -> errors.page(429, request, response);
            default -> throw Problems.notFound("No such page.");
        };
    }
}
