package no.personvern.consent.web;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import no.personvern.consent.ConsentProblem;
import no.personvern.consent.ConsentRecord;
import no.personvern.consent.ConsentRequest;
import no.personvern.consent.Consents;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** A person's consents: record a decision, see the current state and history, and each receipt. */
@RestController
class ConsentController {

    record Decision(String purpose, Boolean granted, String method, String source) {
    }

    record Recorded(UUID receiptId, String purpose, boolean granted, Instant recordedAt, String noticeVersion) {
    }

    record State(Map<String, Boolean> current, List<ConsentRecord> history) {
    }

    private final Consents consents;

    ConsentController(Consents consents) {
        this.consents = consents;
    }

    @PostMapping("/api/v1/subjects/{id}/consents")
    @PreAuthorize("hasAuthority('consent:write')")
    ResponseEntity<Recorded> record(@PathVariable UUID id, @RequestBody Decision decision) {
        if (decision.granted() == null) {
            throw ConsentProblem.invalid("granted", "granted (true or false) is required");
        }
        ConsentRecord record = consents.record(List.of(new ConsentRequest(id, null, decision.purpose(),
                decision.granted(), decision.method(), decision.source()))).get(0);
        return ResponseEntity.status(HttpStatus.CREATED).body(new Recorded(record.receiptId(), record.purpose(),
                record.granted(), record.recordedAt(), record.noticeVersion()));
    }

    @GetMapping("/api/v1/subjects/{id}/consents")
    @PreAuthorize("hasAuthority('subjects:read')")
    State state(@PathVariable UUID id) {
        return new State(consents.current(id), consents.history(id));
    }

    @GetMapping("/api/v1/consents/{receiptId}")
    @PreAuthorize("hasAuthority('subjects:read')")
    Map<String, Object> receipt(@PathVariable UUID receiptId) {
        return consents.receipt(receiptId).orElseThrow(() -> ConsentProblem.notFound(receiptId));
    }
}
