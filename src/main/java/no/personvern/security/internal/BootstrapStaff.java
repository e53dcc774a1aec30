package no.personvern.security.internal;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.stereotype.Component;

/**
 * The first DPO: on a start with no staff at all, the member {@code PERSONVERN_ADMIN_USER} with the
 * password {@code PERSONVERN_ADMIN_PASSWORD}. Later starts leave staff as they are, so the
 * variables can stay set without resetting a password changed since. Neither value is logged.
 */
@Component
class BootstrapStaff implements ApplicationRunner {

    private static final Logger log = LoggerFactory.getLogger(BootstrapStaff.class);

    private final StaffAccounts staff;
    private final StaffProperties settings;

    BootstrapStaff(StaffAccounts staff, StaffProperties settings) {
        this.staff = staff;
        this.settings = settings;
    }

    @Override
    public void run(ApplicationArguments args) {
        if (settings.adminUser().isEmpty()) {
            if (!settings.adminPassword().isEmpty()) {
                log.warn("PERSONVERN_ADMIN_PASSWORD is set without PERSONVERN_ADMIN_USER; no DPO was made");
            }
            return;
        }
        if (settings.adminPassword().isEmpty()) {
            throw new IllegalStateException("PERSONVERN_ADMIN_USER is set, so PERSONVERN_ADMIN_PASSWORD must be too");
        }
        try {
            StaffAccounts.requirePassword(settings.adminPassword(), settings.adminUser());
        } catch (RuntimeException tooWeak) {
            throw new IllegalStateException("PERSONVERN_ADMIN_PASSWORD must have at least "
                    + StaffAccounts.MIN_PASSWORD + " characters and at most " + StaffAccounts.MAX_PASSWORD_BYTES
                    + " bytes, not contain the username, and not be a well-known password");
        }
        if (staff.bootstrap(settings.adminUser(), settings.adminPassword())) {
            log.info("The first DPO of the console was made from PERSONVERN_ADMIN_USER");
        }
    }
}
