package no.personvern.breaches;

import java.util.Locale;

/** Where a breach stands: recorded, its risk assessed, the authority notified, closed. */
public enum BreachStatus {
    OPEN, ASSESSED, NOTIFIED, CLOSED;

    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }
}
