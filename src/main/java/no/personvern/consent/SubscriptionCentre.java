package no.personvern.consent;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * The privacy centre's door to a person's subscriptions: a private link mailed to an address on
 * request, and from it each subscription of that address seen, ended or confirmed in one step.
 * The link carries a random token kept only as a hash; it works for {@link #LINK_VALIDITY}.
 */
public interface SubscriptionCentre {

    Duration LINK_VALIDITY = Duration.ofHours(24);

    /**
     * Mails a link to the address if it has subscriptions (within the limits on link mails to one
     * address); otherwise nothing. Returns before the look-up, which runs in the background, so
     * that the caller answers the same, in the same time, either way. 429 past the client's limit,
     * 422 for a malformed address.
     */
    void mailLink(String email, String lang, String clientAddress);

    /** What a link shows: 404 for a token that is unknown or wrong, 410 for one that has expired. */
    Holder open(String token);

    /**
     * Ends one of the link's subscriptions, recording the withdrawal as the unsubscribe link does
     * (Art. 7(3), 21(3)). 404 for a subscription that is not the link's, 410 if it has already ended.
     */
    void end(String token, UUID subscriptionId);

    /** Confirms one of the link's sign-ups waiting for confirmation, as the confirmation link does. */
    void confirm(String token, UUID subscriptionId);

    /** The subscriptions a link shows, and when the link stops working. */
    record Holder(Instant expiresAt, List<Entry> subscriptions) {
    }

    /**
     * One subscription: its list (a catalog key), its state ({@code pending}, {@code confirmed} or
     * {@code ended}) and since when.
     */
    record Entry(UUID id, String list, String state, Instant since) {
    }
}
