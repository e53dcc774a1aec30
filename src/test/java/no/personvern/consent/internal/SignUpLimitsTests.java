package no.personvern.consent.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import no.personvern.security.ClientAddresses;
import no.personvern.security.RateLimits;
import org.junit.jupiter.api.Test;

/**
 * The limits on the public sign-up and on subscription links: each client and each address is
 * counted in its own bucket, so that using up one never blocks another.
 */
class SignUpLimitsTests {

    /** Counts in memory, as the database does: per bucket and key, within the window. */
    private Instant now = Instant.parse("2026-12-06T01:00:00Z");
    private final Map<String, List<Instant>> taken = new HashMap<>();
    private final RateLimits counting = (bucket, key, limit, window) -> {
        List<Instant> times = taken.computeIfAbsent(bucket + "|" + key, k -> new ArrayList<>());
        long inWindow = times.stream().filter(time -> time.isAfter(now.minus(window))).count();
        if (inWindow >= limit) {
            return RateLimits.Decision.refused(window);
        }
        times.add(now);
        return RateLimits.Decision.GRANTED;
    };
    private final SignUpLimits limits = limits(5);

    private SignUpLimits limits(int perClient) {
        ClientAddresses clients = mock(ClientAddresses.class);
        when(clients.key(anyString())).thenAnswer(call -> call.getArgument(0));
        return new SignUpLimits(counting, clients, new ConsentProperties(perClient));
    }

    @Test
    void aClientMayAskForSoManyLinksAnHourAndNoMore() {
        String client = limits.client("192.0.2.7");
        for (int i = 0; i < 5; i++) {
            assertThat(limits.tryLinkClient(client)).as("request " + (i + 1)).isTrue();
        }
        assertThat(limits.tryLinkClient(client)).isFalse();
        assertThat(limits.tryLinkClient(limits.client("192.0.2.8"))).as("another client").isTrue();
        assertThat(limits.tryClient(client)).as("sign-ups count apart").isTrue();

        now = now.plus(Duration.ofMinutes(61));
        assertThat(limits.tryLinkClient(client)).as("an hour later").isTrue();
    }

    @Test
    void linkMailsHaveASmallBucketOfTheirOwnPerAddressAnHourAndADay() {
        String address = "flom@example.no";
        for (int i = 0; i < SignUpLimits.LINK_MAILS_PER_HOUR; i++) {
            assertThat(limits.mayMailLink(address)).isTrue();
        }
        assertThat(limits.mayMailLink(address)).as("past the hour's").isFalse();
        assertThat(limits.mayMailLink("annen@example.no")).as("another address").isTrue();

        now = now.plus(Duration.ofMinutes(61));
        for (int i = SignUpLimits.LINK_MAILS_PER_HOUR; i < SignUpLimits.LINK_MAILS_PER_DAY; i++) {
            assertThat(limits.mayMailLink(address)).isTrue();
        }
        now = now.plus(Duration.ofMinutes(61));
        assertThat(limits.mayMailLink(address)).as("past the day's, though a new hour").isFalse();
        now = now.plus(Duration.ofHours(23));
        assertThat(limits.mayMailLink(address)).as("a day later").isTrue();
    }

    @Test
    void linkMailsAndSignUpMailsNeverUseUpEachOther() {
        String address = "begge@example.no";
        UUID identity = UUID.randomUUID();
        String client = limits.client("192.0.2.9");
        while (limits.mayMailLink(address)) {
            // the link mails of the hour, used up
        }
        assertThat(limits.mayMail(identity, client)).as("the sign-up's confirmation still goes").isTrue();
        for (int i = 1; i < SignUpLimits.MAILS_PER_CLIENT_PER_HOUR; i++) {
            assertThat(limits.mayMail(identity, client)).isTrue();
        }
        assertThat(limits.mayMail(identity, client)).isFalse();
        now = now.plus(Duration.ofMinutes(61));
        assertThat(limits.mayMailLink(address)).as("sign-up mails take nothing from the links").isTrue();
    }
}
