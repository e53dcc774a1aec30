package no.personvern.consent;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * Newsletter and course-invitation subscriptions (S9, S17): double opt-in by mail, one-click
 * unsubscribe (RFC 8058), and the recipients the newsletter tool may mail.
 */
public interface Subscriptions {

    /**
     * A sign-up from {@code clientAddress}: stores the address and mails a confirmation link (within
     * the limits on mail to one address); nothing is subscribed yet.
     */
    void signUp(String email, String list, String lang, String clientAddress);

    /** Confirms by the mailed token: the subscription starts and the consent is recorded. */
    void confirm(String token);

    /** Whether a confirmation token is one that can still be used. */
    boolean isPending(String token);

    /** The state of the subscription an unsubscribe token names: {@code confirmed} or {@code ended}. */
    String state(String unsubscribeToken);

    /** Ends the subscription at once and records the withdrawal (Art. 7(3), S17). */
    void unsubscribe(String unsubscribeToken);

    /** The lists the person is subscribed to or has signed up for (pending confirmation). */
    List<String> activeLists(UUID subjectId);

    /**
     * Of these people, those subscribed to a list, or signed up for one (pending confirmation) after
     * {@code pendingAfter}.
     */
    Set<UUID> subscribed(Collection<UUID> subjectIds, Instant pendingAfter);

    /**
     * Sign-ups never confirmed that were made at or before {@code cutoff}, oldest first, after
     * {@code after} (null: from the first), at most {@code limit}.
     */
    List<PendingSignUp> unconfirmedBefore(Instant cutoff, PendingSignUp after, int limit);

    /**
     * Deletes a sign-up that is still unconfirmed (its link no longer works): audited with ids only.
     * Returns whether it did (false if it was confirmed or deleted meanwhile).
     */
    boolean dropUnconfirmed(UUID subscriptionId);

    /** A sign-up waiting for confirmation, by ids: who, which address (an identity handle), which list, when. */
    record PendingSignUp(UUID subscriptionId, UUID subjectId, UUID identityId, String list, Instant at) {
    }

    /** Confirmed subscribers after {@code cursor}, at most {@code limit}. */
    List<Recipient> recipients(String list, UUID cursor, int limit);

    /** One subscriber with the headers to put on the mail (RFC 8058). */
    record Recipient(UUID subscriptionId, UUID subjectId, String email, String unsubscribeUrl, String listUnsubscribe,
            String listUnsubscribePost) {
    }
}
