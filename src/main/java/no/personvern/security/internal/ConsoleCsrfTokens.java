package no.personvern.security.internal;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.security.web.csrf.CsrfToken;
import org.springframework.security.web.csrf.CsrfTokenRepository;

/**
 * The console's form tokens: in the session once there is one (every signed-in member's), so a
 * token dies with its session; before that (the sign-in form) the signed cookie of the public pages,
 * so that a visit to the sign-in page does not make a session row.
 */
final class ConsoleCsrfTokens implements CsrfTokenRepository {

    private final CsrfTokenRepository session;
    private final CsrfTokenRepository cookie;

    ConsoleCsrfTokens(CsrfTokenRepository session, CsrfTokenRepository cookie) {
        this.session = session;
        this.cookie = cookie;
    }

    private CsrfTokenRepository of(HttpServletRequest request) {
        return request.getSession(false) != null ? session : cookie;
    }

    @Override
    public CsrfToken generateToken(HttpServletRequest request) {
        return of(request).generateToken(request);
    }

    @Override
    public void saveToken(CsrfToken token, HttpServletRequest request, HttpServletResponse response) {
        of(request).saveToken(token, request, response);
    }

    @Override
    public CsrfToken loadToken(HttpServletRequest request) {
        return of(request).loadToken(request);
    }
}
