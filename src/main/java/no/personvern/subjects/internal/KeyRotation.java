package no.personvern.subjects.internal;

import no.personvern.subjects.VaultEvents;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/** Rotation of the master key: every data key is re-wrapped, in one transaction, and the rotation audited. */
@Component
public class KeyRotation {

    private final KeyStore keys;
    private final ApplicationEventPublisher events;
    private final TransactionTemplate transactions;

    KeyRotation(KeyStore keys, ApplicationEventPublisher events, TransactionTemplate transactions) {
        this.keys = keys;
        this.events = events;
        this.transactions = transactions;
    }

    /** Re-wraps every data key under the current master key; returns how many. */
    public int rotateMasterKey() {
        return transactions.execute(status -> {
            int rewrapped = keys.rewrapAll();
            events.publishEvent(new VaultEvents.MasterKeyRotated(rewrapped, keys.currentMasterKeyId()));
            return rewrapped;
        });
    }
}
