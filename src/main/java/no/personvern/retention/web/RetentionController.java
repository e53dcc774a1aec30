package no.personvern.retention.web;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.UUID;
import no.personvern.Problems;
import no.personvern.catalog.IsoPeriod;
import no.personvern.retention.LegalHold;
import no.personvern.retention.LegalHolds;
import no.personvern.retention.RetentionRun;
import no.personvern.retention.RetentionRuns;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** Retention runs, legal holds and the end of a person's service agreement. */
@RestController
class RetentionController {

    private static final ZoneId NORWAY = ZoneId.of("Europe/Oslo");
    private static final Instant EARLIEST = Instant.EPOCH;
    private static final Instant LATEST = Instant.parse("9999-12-31T23:59:59Z");

    record RunBody(Boolean dryRun, String asOf) {
    }

    record HoldBody(UUID subjectId, String reason, String until) {
    }

    record ContractEndBody(String endedAt) {
    }

    record Runs(List<RetentionRun> runs) {
    }

    /** The end of the service agreement as recorded: its contract-bound clocks start from {@code endedAt}. */
    @JsonPropertyOrder({"subjectId", "endedAt"})
    record ContractEnded(UUID subjectId, String endedAt) {
    }

    private final RetentionRuns runs;
    private final LegalHolds holds;
    private final Clock clock;

    RetentionController(RetentionRuns runs, LegalHolds holds, Clock clock) {
        this.runs = runs;
        this.holds = holds;
        this.clock = clock;
    }

    @PostMapping("/api/v1/retention/runs")
    @PreAuthorize("hasAuthority('admin')")
    ResponseEntity<RetentionRun> start(@RequestBody(required = false) RunBody body) {
        Problems.Violations invalid = Problems.violations();
        invalid.require(body != null && body.dryRun() != null, "dryRun",
                "required: true to count what would be deleted, false to delete it");
        Instant asOf = body == null ? null : invalid.collect(() -> instant("asOf", body.asOf()));
        invalid.require(asOf == null || body.dryRun() == null || body.dryRun() || !asOf.isAfter(clock.instant()),
                "asOf", "a future asOf is allowed only for a dry run (\"what would go by then?\")");
        invalid.throwIfAny();
        return ResponseEntity.accepted().body(runs.start(body.dryRun(), asOf));
    }

    @GetMapping("/api/v1/retention/runs/{id}")
    @PreAuthorize("hasAuthority('admin')")
    RetentionRun run(@PathVariable UUID id) {
        return runs.get(id);
    }

    @GetMapping("/api/v1/retention/runs")
    @PreAuthorize("hasAuthority('admin')")
    Runs recent() {
        return new Runs(runs.recent(50));
    }

    @PostMapping("/api/v1/legal-holds")
    @PreAuthorize("hasAuthority('admin')")
    ResponseEntity<LegalHold> place(@RequestBody HoldBody body) {
        // The request's shape, every field at once; the hold itself checks the person is held.
        Problems.Violations invalid = Problems.violations();
        invalid.require(body.subjectId() != null, "subjectId", "required");
        invalid.require(body.reason() != null && !body.reason().isBlank(), "reason",
                "required: the claim or proceedings the data is kept for");
        invalid.require(body.reason() == null || body.reason().strip().length() <= 500, "reason", "at most 500 characters");
        Instant until = invalid.collect(() -> instant("until", body.until()));
        invalid.require(until == null || until.isAfter(clock.instant()), "until", "must lie in the future");
        invalid.throwIfAny();
        return ResponseEntity.status(HttpStatus.CREATED).body(holds.place(body.subjectId(), body.reason(), until));
    }

    @GetMapping("/api/v1/legal-holds/{id}")
    @PreAuthorize("hasAuthority('admin')")
    LegalHold hold(@PathVariable UUID id) {
        return holds.get(id);
    }

    @DeleteMapping("/api/v1/legal-holds/{id}")
    @PreAuthorize("hasAuthority('admin')")
    LegalHold release(@PathVariable UUID id) {
        return holds.release(id);
    }

    @PostMapping("/api/v1/subjects/{id}/contract-end")
    @PreAuthorize("hasAuthority('subjects:write')")
    ResponseEntity<ContractEnded> contractEnded(@PathVariable UUID id,
            @RequestBody(required = false) ContractEndBody body) {
        Instant endedAt = body == null ? null : instant("endedAt", body.endedAt());
        runs.contractEnded(id, endedAt);
        return ResponseEntity.accepted()
                .body(new ContractEnded(id, (endedAt == null ? clock.instant() : endedAt).toString()));
    }

    /**
     * An instant ({@code 2027-01-01T00:00:00Z}), a date (its start in Norway) or an ISO 8601
     * duration from now ({@code P2Y}); anything else is 422 naming the field.
     */
    private Instant instant(String field, String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        String value = text.strip();
        Instant instant;
        try {
            instant = OffsetDateTime.parse(value).toInstant();
        } catch (DateTimeParseException notAnInstant) {
            try {
                instant = LocalDate.parse(value).atStartOfDay(NORWAY).toInstant();
            } catch (DateTimeParseException notADate) {
                try {
                    instant = IsoPeriod.parse(value).map(period -> period.addTo(clock.instant())).orElse(null);
                } catch (DateTimeException | ArithmeticException outOfRange) {
                    instant = Instant.MAX;
                }
            }
        }
        if (instant == null) {
            throw Problems.invalid(field, "'" + value + "' is neither an instant (2027-01-01T00:00:00Z), a date"
                    + " (2027-01-01) nor an ISO 8601 duration (P2Y)");
        }
        if (instant.isBefore(EARLIEST) || instant.isAfter(LATEST)) {
            throw Problems.invalid(field, "'" + value + "' lies outside the years 1970 to 9999");
        }
        return instant;
    }
}
