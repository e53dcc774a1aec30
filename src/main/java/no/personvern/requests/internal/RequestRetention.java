package no.personvern.requests.internal;

import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import no.personvern.retention.RetentionParticipant;
import org.springframework.stereotype.Component;

/**
 * Requests in every retention run: unverified requests after 7 days, access packages after their 7
 * days; and, for the sweep's own questions, which people a request keeps or shows active.
 */
@Component
class RequestRetention implements RetentionParticipant {

    private final RequestCleanup requests;
    private final RequestRepository repository;

    RequestRetention(RequestCleanup requests, RequestRepository repository) {
        this.requests = requests;
        this.repository = repository;
    }

    @Override
    public Map<String, Long> sweep(Instant asOf, boolean dryRun) {
        return requests.clean(asOf, dryRun);
    }

    /** In batches: what people wrote with their requests can be many rows. */
    @Override
    public Batch sweep(Instant asOf, boolean dryRun, int limit) {
        return requests.clean(asOf, dryRun, limit);
    }

    /** A request that has not expired keeps its requester (the answer, the deadline, the proof). */
    @Override
    public Set<UUID> holding(Collection<UUID> subjectIds) {
        return repository.withUnexpired(subjectIds);
    }

    /** Filing a request is activity of the person. */
    @Override
    public Set<UUID> activeSince(Collection<UUID> subjectIds, Instant since) {
        return repository.filedSince(subjectIds, since);
    }
}
