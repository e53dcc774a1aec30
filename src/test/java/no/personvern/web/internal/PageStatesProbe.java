package no.personvern.web.internal;

import jakarta.servlet.http.HttpServletResponse;
import no.personvern.Problems;
import no.personvern.Refusal;
import org.springframework.boot.test.context.TestComponent;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;

/**
 * For page tests only (imported by the test that needs it, never scanned): the problem page as a
 * page controller's refusal renders it, for statuses no flow reaches cheaply in a browser, and the
 * pages of the per-client request limit and of a person's requests over the hour's limit (the browser
 * cannot name another client, and the refusal takes six confirmed requests, tested over HTTP).
 */
@TestComponent
@Controller
public class PageStatesProbe {

    @GetMapping(path = "/test-pages/problem/{kind}", produces = "text/html")
    String problem(@PathVariable String kind) {
        throw Problems.refusal(Refusal.Kind.valueOf(kind), "Probe", "A page test's refusal.", null);
    }

    /** The per-client limit's wait page, and the Art. 12(5) refusal (a person's sixth request in an hour). */
    @GetMapping(path = "/test-pages/request/{page}", produces = "text/html")
    String requestPage(@PathVariable String page, HttpServletResponse response) {
        if (!page.equals("wait") && !page.equals("refused")) {
            throw Problems.notFound("No such page.");
        }
        response.setStatus(429);
        return "web/requests/" + page;
    }
}
