package no.personvern.consent.web;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import no.personvern.Problems;
import no.personvern.catalog.Activity;
import no.personvern.catalog.Catalog;
import no.personvern.catalog.LegalBasis;
import no.personvern.consent.ConsentRefusal;
import no.personvern.consent.ConsentReceipt;
import no.personvern.consent.ConsentRecord;
import no.personvern.consent.ConsentRequest;
import no.personvern.consent.Consents;
import no.personvern.security.Callers;
import no.personvern.subjects.SystemViews;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * A person's consents: record a decision, see the current state and history, and each receipt. A
 * token bound to a system records consents as that system: the record's {@code source} (its
 * channel) is {@code system:<key>}, followed by the source the system gave.
 */
@RestController
class ConsentController {

    /** {@code activity} is optional: without it the decision holds for every activity of the purpose. */
    record Decision(String purpose, Boolean granted, String method, String source, String activity) {
    }

    /** The first record's receipt, and one receipt per activity the decision was recorded for. */
    record Recorded(UUID receiptId, String purpose, boolean granted, Instant recordedAt, String noticeVersion,
            String activity, Map<String, UUID> receipts) {
    }

    record State(Map<String, Boolean> current, Map<String, Map<String, Boolean>> byActivity,
            List<ConsentRecord> history) {
    }

    private final Consents consents;
    private final SystemViews systems;
    private final Catalog catalog;

    ConsentController(Consents consents, SystemViews systems, Catalog catalog) {
        this.consents = consents;
        this.systems = systems;
        this.catalog = catalog;
    }

    @PostMapping("/api/v1/subjects/{id}/consents")
    @PreAuthorize("hasAuthority('consent:write')")
    ResponseEntity<Recorded> record(@PathVariable UUID id, @RequestBody Decision decision) {
        String source = decision.source();
        Optional<String> system = Callers.system();
        if (system.isPresent()) {
            requireHeld(system.get(), id);
            source = "system:" + system.get() + (source == null || source.isBlank() ? "" : " " + source.strip());
        }
        String recordedSource = source;
        List<ConsentRequest> asked = system.map(own -> ownActivities(own, decision)).orElse(java.util.Collections.singletonList(null))
                .stream().map(activity -> new ConsentRequest(id, null, decision.purpose(), decision.granted(),
                        decision.method(), recordedSource, activity != null ? activity : decision.activity()))
                .toList();
        List<ConsentRecord> records = consents.record(asked);
        ConsentRecord record = records.get(0);
        Map<String, UUID> receipts = new java.util.LinkedHashMap<>();
        records.forEach(each -> receipts.put(each.activity(), each.receiptId()));
        return ResponseEntity.status(HttpStatus.CREATED).body(new Recorded(record.receiptId(), record.purpose(),
                record.granted(), record.recordedAt(), record.noticeVersion(), record.activity(), receipts));
    }

    @GetMapping("/api/v1/subjects/{id}/consents")
    @PreAuthorize("hasAuthority('subjects:read')")
    State state(@PathVariable UUID id) {
        Callers.system().ifPresent(system -> requireHeld(system, id));
        List<ConsentRecord> history = consents.history(id);
        return new State(consents.current(id), consents.byActivity(id), history);
    }

    /**
     * A system records consent only for its own activities: one it names must run in it, and a
     * decision that names none covers the system's activities that base the purpose on consent.
     * A list holding {@code null} leaves the activity as given (the service checks the rest).
     */
    private List<String> ownActivities(String system, Decision decision) {
        if (decision.purpose() == null || !consents.consentPurposes().contains(decision.purpose())) {
            return java.util.Collections.singletonList(null);
        }
        List<String> own = catalog.activitiesOf(system).stream()
                .filter(activity -> activity.legalBasis() == LegalBasis.CONSENT
                        && activity.purposes().contains(decision.purpose()))
                .map(Activity::key).toList();
        if (decision.activity() != null) {
            if (!own.contains(decision.activity())) {
                throw Problems.invalid("activity", "system " + system + " records consent only for its own activities"
                        + " that base " + decision.purpose() + " on consent: " + String.join(", ", own));
            }
            return java.util.Collections.singletonList(null);
        }
        if (own.isEmpty()) {
            throw Problems.invalid("purpose", "system " + system + " runs no activity that bases "
                    + decision.purpose() + " on consent");
        }
        return own;
    }

    /** A system records and reads consents only of people it holds something of. */
    private void requireHeld(String system, UUID subjectId) {
        if (!systems.holds(system, subjectId)) {
            throw ConsentRefusal.notFound(subjectId);
        }
    }

    @GetMapping("/api/v1/consents/{receiptId}")
    @PreAuthorize("hasAuthority('subjects:read')")
    ConsentReceipt receipt(@PathVariable UUID receiptId) {
        return consents.receipt(receiptId).orElseThrow(() -> ConsentRefusal.notFound(receiptId));
    }
}
