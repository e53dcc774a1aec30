package no.personvern.web.console;

import io.swagger.v3.oas.annotations.Hidden;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;

/** {@code /admin}: the dashboard. */
@Controller
@Hidden
class DashboardController {

    @GetMapping(path = "/admin", produces = "text/html")
    String dashboard() {
        return "admin/dashboard";
    }
}
