package no.personvern.breaches;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A breach as the register holds it, with its clock read now: {@code notifyAuthorityBy} is
 * discovery + 72 hours (Art. 33(1)); {@code hoursLeft} counts down to it (negative once passed) until
 * the authority is notified; {@code late} says the authority was, or still is, not notified in time.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Breach(
        UUID id,
        String status,
        String risk,
        String riskReasons,
        Instant discoveredAt,
        Instant recordedAt,
        String summary,
        List<String> dataCategories,
        List<String> systems,
        List<String> activities,
        Instant from,
        Instant to,
        String measures,
        String likelyConsequences,
        Affected affected,
        Instant notifyAuthorityBy,
        Long hoursLeft,
        boolean late,
        AuthorityNotification authorityNotification,
        PeopleNotification peopleNotification,
        String outcome,
        List<Transition> history) {

    /** What the vault counted when the breach was recorded. */
    public record Affected(long people, long records, Map<String, Long> bySystem, Map<String, Long> byActivity) {
    }

    /** Art. 33(1): when and under which reference the authority was notified, and why late if it was. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record AuthorityNotification(Instant notifiedAt, String reference, String lateReasons) {
    }

    /** Art. 34: the mailing to the people affected ({@code running}, {@code completed}). */
    public record PeopleNotification(String status, String lang, long total, long sent, long withoutAddress) {
    }

    /** One step in the breach's life, with the token that took it (no personal data). */
    public record Transition(Instant at, String action, String status, Actor actor) {
    }

    /** A token's id and name, a member of staff ({@code staff:<id>}, no token id), or {@code system} for a scheduled job. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Actor(UUID tokenId, String name) {
    }
}
