package no.personvern.web.internal;

import java.io.IOException;
import java.io.Writer;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;
import org.apache.coyote.ActionCode;
import org.springframework.http.HttpStatus;

/**
 * Tomcat's error report for what it rejects before the application sees the request (a
 * {@code ..} above the root, an encoded slash, an oversized header or URI, an illegal character):
 * an RFC 9457 problem instead of Tomcat's HTML page. It says what kind of input was refused, never
 * the input itself, the exception or the server's name.
 */
class ProblemReportValve extends ErrorReportValve {

    @Override
    protected void report(Request request, Response response, Throwable throwable) {
        int status = response.getStatus();
        if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
            return;
        }
        AtomicBoolean ioAllowed = new AtomicBoolean(true);
        response.getCoyoteResponse().action(ActionCode.IS_IO_ALLOWED, ioAllowed);
        if (!ioAllowed.get()) {
            return;
        }
        try {
            response.setContentType("application/problem+json");
            response.setCharacterEncoding("UTF-8");
            Writer writer = response.getReporter();
            if (writer != null) {
                writer.write(problem(status));
            }
        } catch (IOException | IllegalStateException unwritable) {
            // the connection is gone or the response was committed: nothing more can be said
        }
    }

    static String problem(int code) {
        HttpStatus status = HttpStatus.resolve(code);
        String title = status != null ? status.getReasonPhrase() : "Error";
        return "{\"type\":\"about:blank\",\"title\":\"" + title + "\",\"status\":" + code + ",\"detail\":\""
                + detail(code) + "\"}";
    }

    private static String detail(int code) {
        return switch (code) {
            case 400 -> "The request was refused before it reached the application: its request line, path, query or"
                    + " headers are malformed, too large or not allowed (e.g. a '..' segment or an encoded slash).";
            case 413 -> "The request body is larger than this endpoint accepts.";
            case 414 -> "The request URI is too long.";
            case 431 -> "The request headers are too large.";
            case 505 -> "This HTTP version is not supported.";
            default -> code >= 500 ? "Something went wrong on our side." : "The request was refused.";
        };
    }
}
