package no.personvern.security.internal;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.stereotype.Component;

/**
 * The first admin token: {@code PERSONVERN_ADMIN_TOKEN} when set; otherwise, when no admin token
 * exists yet, a generated one printed once to the log and stored only as a hash.
 */
@Component
class BootstrapAdminToken implements ApplicationRunner {

    private static final Logger log = LoggerFactory.getLogger(BootstrapAdminToken.class);

    private final TokenService tokens;
    private final String configured;

    BootstrapAdminToken(TokenService tokens, SecurityProperties settings) {
        this.tokens = tokens;
        this.configured = settings.adminToken();
    }

    @Override
    public void run(ApplicationArguments args) {
        if (!configured.isBlank()) {
            tokens.ensureBootstrapToken(configured.strip());
            return;
        }
        tokens.generateBootstrapTokenIfNone().ifPresent(token -> log.warn("""

                ==========================================================================
                No PERSONVERN_ADMIN_TOKEN was set, so an admin API token was generated.
                It is shown this once and stored only as a hash:

                    {}

                Use it as 'Authorization: Bearer <token>' to create narrower tokens.
                ==========================================================================""", token));
    }
}
