package no.personvern.requests;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;
import java.util.Optional;

/**
 * Where a request stands: unverified → open → in_progress → completed | rejected. An unverified
 * request expires after 7 days; five wrong codes lock it; a duplicate is linked to the open one. An
 * erasure a support agent filed waits for a DPO's approval ({@code awaiting_approval}, four eyes)
 * before it opens: nothing acts on it meanwhile, while its Art. 12(3) deadline keeps running.
 */
public enum RequestStatus {
    UNVERIFIED, OPEN, IN_PROGRESS, COMPLETED, REJECTED, EXPIRED, LOCKED, LINKED, AWAITING_APPROVAL;

    /** The name callers send and see in JSON. */
    @JsonValue
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    public boolean isActive() {
        return this == OPEN || this == IN_PROGRESS;
    }

    public static Optional<RequestStatus> fromKey(String key) {
        for (RequestStatus status : values()) {
            if (status.key().equals(key)) {
                return Optional.of(status);
            }
        }
        return Optional.empty();
    }
}
