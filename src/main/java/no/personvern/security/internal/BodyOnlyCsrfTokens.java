package no.personvern.security.internal;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.function.Supplier;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import org.springframework.security.web.csrf.CsrfToken;
import org.springframework.security.web.csrf.CsrfTokenRequestHandler;
import org.springframework.security.web.csrf.XorCsrfTokenRequestAttributeHandler;

/**
 * Reads a form's token from the form body or the header, never from the address: a token in a URL
 * ends up in histories and logs. The token a page writes is masked afresh each time (XOR with a
 * random pad), so a page never shows the cookie's value itself.
 */
final class BodyOnlyCsrfTokens implements CsrfTokenRequestHandler {

    private final XorCsrfTokenRequestAttributeHandler masked = new XorCsrfTokenRequestAttributeHandler();

    @Override
    public void handle(HttpServletRequest request, HttpServletResponse response, Supplier<CsrfToken> token) {
        masked.handle(request, response, token);
    }

    @Override
    public String resolveCsrfTokenValue(HttpServletRequest request, CsrfToken token) {
        String query = request.getQueryString();
        if (query != null) {
            for (String pair : query.split("&")) {
                String name = pair.contains("=") ? pair.substring(0, pair.indexOf('=')) : pair;
                try {
                    if (URLDecoder.decode(name, StandardCharsets.UTF_8).equals(token.getParameterName())) {
                        return null;
                    }
                } catch (IllegalArgumentException unreadable) {
                    return null;
                }
            }
        }
        return masked.resolveCsrfTokenValue(request, token);
    }
}
