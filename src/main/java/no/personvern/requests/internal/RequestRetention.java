package no.personvern.requests.internal;

import java.time.Instant;
import java.util.Map;
import no.personvern.retention.RetentionParticipant;
import org.springframework.stereotype.Component;

/** Requests in every retention run: unverified requests after 7 days, access packages after their 7 days. */
@Component
class RequestRetention implements RetentionParticipant {

    private final RequestCleanup requests;

    RequestRetention(RequestCleanup requests) {
        this.requests = requests;
    }

    @Override
    public Map<String, Long> sweep(Instant asOf, boolean dryRun) {
        return requests.clean(asOf, dryRun);
    }
}
