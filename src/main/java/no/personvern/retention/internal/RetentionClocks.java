package no.personvern.retention.internal;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import no.personvern.catalog.Activity;
import no.personvern.catalog.Catalog;
import no.personvern.catalog.RetentionRule;
import no.personvern.consent.ConsentEvents;
import no.personvern.consent.Consents;
import no.personvern.consent.SubscriptionEnded;
import no.personvern.consent.Subscriptions;
import no.personvern.retention.RetentionEvents;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.modulith.events.ApplicationModuleListener;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * What starts the clocks that run from an event (S15, S17): the end of a service agreement, an
 * unsubscribe, a withdrawn consent; and what stops a withdrawal's clock again.
 */
@Component
class RetentionClocks {

    private final Catalog catalog;
    private final RetentionRepository repository;
    private final Subscriptions subscriptions;
    private final Consents consents;
    private final ApplicationEventPublisher events;

    RetentionClocks(Catalog catalog, RetentionRepository repository, Subscriptions subscriptions, Consents consents,
            ApplicationEventPublisher events) {
        this.catalog = catalog;
        this.repository = repository;
        this.subscriptions = subscriptions;
        this.consents = consents;
        this.events = events;
    }

    /** S15: the clock of every contract-bound activity starts for the person at {@code endedAt}. */
    @Transactional
    public void contractEnded(UUID subjectId, Instant endedAt) {
        start(subjectId, RetentionRule.Trigger.CONTRACT_END, null, endedAt);
        events.publishEvent(new RetentionEvents.ContractEnded(subjectId, endedAt.toString()));
    }

    /**
     * S17: an unsubscribe starts the clock of the activity behind the list ("until withdrawal").
     * Durable, and from the time of the unsubscribe, however late after a crash it is handled.
     */
    @ApplicationModuleListener
    void on(SubscriptionEnded ended) {
        catalog.list(ended.list()).flatMap(list -> catalog.activity(list.activity()))
                .filter(RetentionPolicy::untilWithdrawal)
                .ifPresent(activity -> start(ended.subjectId(), RetentionRule.Trigger.WITHDRAWAL, activity.key(),
                        ended.endedAt()));
    }

    /**
     * A withdrawn consent starts the clock of the consent-based activities that pursue the purpose.
     * A visitor's banner choice holds no person and is not stored as a publication at all.
     */
    @ApplicationModuleListener(condition = "#withdrawn.subjectId() != null")
    void on(ConsentEvents.ConsentWithdrawn withdrawn) {
        catalog.activities().stream().filter(activity -> withdrawn.concerns(activity.key()))
                .filter(activity -> RetentionPolicy.startsOnWithdrawalOf(activity,
                withdrawn.purpose())).forEach(activity -> start(withdrawn.subjectId(), RetentionRule.Trigger.WITHDRAWAL,
                        activity.key(), withdrawn.recordedAt()));
    }

    /** Signed up again, or consented again, after withdrawing: the clock stops. */
    boolean stopped(UUID subjectId, Activity activity) {
        List<String> subscribed = subscriptions.activeLists(subjectId).stream()
                .flatMap(list -> catalog.list(list).stream()).map(list -> list.activity()).toList();
        if (subscribed.contains(activity.key())) {
            return true;
        }
        // Consent is per activity: the course invitations' consent does not stop the newsletter's clock.
        return RetentionPolicy.clockStopped(activity, subscribed,
                consents.byActivity(subjectId).getOrDefault(activity.key(), Map.of()));
    }

    /** Idempotent: a clock already started and not yet swept is not started twice (a resubmitted event). */
    private void start(UUID subjectId, RetentionRule.Trigger kind, String activity, Instant at) {
        if (!repository.hasPendingTrigger(subjectId, kind, activity)) {
            repository.insertTrigger(subjectId, kind, activity, at);
        }
    }
}
