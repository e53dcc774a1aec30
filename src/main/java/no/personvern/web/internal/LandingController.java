package no.personvern.web.internal;

import io.swagger.v3.oas.annotations.Hidden;
import no.personvern.Problems;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;

/** {@code /}: the way to the privacy centre, the notice and the staff login. */
@Controller
@Hidden
class LandingController {

    @GetMapping(path = "/", produces = "text/html")
    String landing() {
        return "web/landing";
    }

    /** Any other address under the privacy centre: a page saying the link is wrong, not a JSON document. */
    @RequestMapping(path = {"/privacy-center/", "/privacy-center/**"}, produces = "text/html")
    String unknown() {
        throw Problems.notFound("No such page.");
    }

    /**
     * A form refused for its missing or stale security token (the security filters forward here):
     * what happened and what to do, with status 403.
     */
    @RequestMapping(path = "/form-expired", produces = "text/html")
    String formExpired() {
        return "web/form-expired";
    }
}
