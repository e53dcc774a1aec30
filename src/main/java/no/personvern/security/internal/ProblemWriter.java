package no.personvern.security.internal;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.access.AccessDeniedHandler;
import org.springframework.security.web.csrf.CsrfException;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/** Answers 401 and 403 from the security filters as RFC 9457 problems, like every other error. */
@Component
class ProblemWriter {

    private final JsonMapper json;

    ProblemWriter(JsonMapper json) {
        this.json = json;
    }

    AuthenticationEntryPoint entryPoint() {
        return (request, response, exception) -> {
            response.setHeader("WWW-Authenticate", "Bearer");
            write(request, response, HttpStatus.UNAUTHORIZED,
                    "A valid API token is required: 'Authorization: Bearer <token>'.");
        };
    }

    /**
     * A form posted without a valid CSRF token (a page opened long ago, cookies blocked, or a forged
     * post from another site) gets a page that says what to do, in the person's language, from
     * {@value #FORM_EXPIRED}; an API call a problem.
     */
    AccessDeniedHandler accessDeniedHandler() {
        return (request, response, exception) -> {
            if (exception instanceof CsrfException && !request.getRequestURI().startsWith("/api/")) {
                response.setStatus(HttpStatus.FORBIDDEN.value());
                request.getRequestDispatcher(FORM_EXPIRED).forward(request, response);
                return;
            }
            write(request, response, HttpStatus.FORBIDDEN, exception instanceof CsrfException
                    ? "The form's security token is missing or invalid; reload the page and send it again."
                    : "The token does not have the scope this endpoint needs.");
        };
    }

    /** The page that explains a refused form (served by the web module). */
    static final String FORM_EXPIRED = "/form-expired";

    void write(HttpServletRequest request, HttpServletResponse response, HttpStatus status, String detail)
            throws IOException {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setInstance(URI.create(request.getRequestURI()));
        response.setStatus(status.value());
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        json.writeValue(response.getOutputStream(), problem);
    }
}
