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

    /** Where a refused page post is forwarded, with the status after the slash (served by the web module). */
    static final String FORM_REFUSED = "/form-refused/";

    /**
     * As {@link #write}, but a page's request (not under /api/, accepting HTML) gets a page in the
     * person's language from {@value #FORM_REFUSED}, with the same status. The page is rendered as for a
     * GET that carries only the address's query: the body refused is never read nor parsed.
     */
    void writeOrPage(HttpServletRequest request, HttpServletResponse response, HttpStatus status, String detail)
            throws IOException {
        if (wantsPage(request)) {
            response.setStatus(status.value());
            try {
                request.getRequestDispatcher(FORM_REFUSED + status.value()).forward(new QueryOnly(request), response);
            } catch (jakarta.servlet.ServletException failed) {
                throw new IOException(failed);
            }
            return;
        }
        write(request, response, status, detail);
    }

    static boolean wantsPage(HttpServletRequest request) {
        String accept = request.getHeader("Accept");
        return !request.getRequestURI().startsWith("/api/") && accept != null
                && accept.toLowerCase(java.util.Locale.ROOT).contains("text/html");
    }

    /** The refused request as a bodiless GET with only its query's parameters. */
    private static final class QueryOnly extends jakarta.servlet.http.HttpServletRequestWrapper {

        private final java.util.Map<String, String[]> query;

        QueryOnly(HttpServletRequest request) {
            super(request);
            java.util.Map<String, String[]> parsed = new java.util.LinkedHashMap<>();
            org.springframework.web.util.UriComponentsBuilder.newInstance().query(request.getQueryString()).build()
                    .getQueryParams().forEach((name, values) -> parsed.put(decode(name), values.stream()
                            .map(value -> value == null ? "" : decode(value)).toArray(String[]::new)));
            this.query = java.util.Collections.unmodifiableMap(parsed);
        }

        private static String decode(String value) {
            try {
                return java.net.URLDecoder.decode(value, java.nio.charset.StandardCharsets.UTF_8);
            } catch (IllegalArgumentException malformed) {
                return "";
            }
        }

        @Override
        public String getMethod() {
            return "GET";
        }

        @Override
        public String getContentType() {
            return null;
        }

        @Override
        public int getContentLength() {
            return -1;
        }

        @Override
        public long getContentLengthLong() {
            return -1;
        }

        @Override
        public jakarta.servlet.ServletInputStream getInputStream() {
            return new jakarta.servlet.ServletInputStream() {
                @Override
                public int read() {
                    return -1;
                }

                @Override
                public boolean isFinished() {
                    return true;
                }

                @Override
                public boolean isReady() {
                    return true;
                }

                @Override
                public void setReadListener(jakarta.servlet.ReadListener listener) {
                }
            };
        }

        @Override
        public java.io.BufferedReader getReader() {
            return new java.io.BufferedReader(new java.io.StringReader(""));
        }

        @Override
        public String getParameter(String name) {
            String[] values = query.get(name);
            return values == null || values.length == 0 ? null : values[0];
        }

        @Override
        public java.util.Map<String, String[]> getParameterMap() {
            return query;
        }

        @Override
        public java.util.Enumeration<String> getParameterNames() {
            return java.util.Collections.enumeration(query.keySet());
        }

        @Override
        public String[] getParameterValues(String name) {
            return query.get(name);
        }
    }

    void write(HttpServletRequest request, HttpServletResponse response, HttpStatus status, String detail)
            throws IOException {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setInstance(URI.create(request.getRequestURI()));
        response.setStatus(status.value());
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        json.writeValue(response.getOutputStream(), problem);
    }
}
