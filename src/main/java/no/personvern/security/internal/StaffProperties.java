package no.personvern.security.internal;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The console's staff settings, described in the README.
 *
 * @param adminUser the first DPO's username ({@code PERSONVERN_ADMIN_USER}); empty: none is made
 * @param adminPassword its password ({@code PERSONVERN_ADMIN_PASSWORD}), used once, never logged
 * @param staff {@code personvern.staff.*}
 */
@ConfigurationProperties("personvern")
record StaffProperties(String adminUser, String adminPassword, @DefaultValue Sign staff) {

    StaffProperties {
        adminUser = adminUser == null ? "" : adminUser.strip();
        adminPassword = adminPassword == null ? "" : adminPassword;
    }

    /**
     * @param maxFailures failed sign-ins in a row after which an account is locked
     * @param lockout how long it stays locked
     * @param clientAttempts sign-in attempts per client (address or IPv6 /64) within {@code clientWindow}
     * @param clientWindow the window of that limit
     * @param invitationValidity how long an invitation link can be used
     * @param maxSession how long a session lasts at most, however busy (then the member signs in again)
     */
    record Sign(@DefaultValue("5") int maxFailures, @DefaultValue("PT15M") Duration lockout,
            @DefaultValue("20") int clientAttempts, @DefaultValue("PT15M") Duration clientWindow,
            @DefaultValue("PT72H") Duration invitationValidity, @DefaultValue("PT12H") Duration maxSession) {
    }
}
