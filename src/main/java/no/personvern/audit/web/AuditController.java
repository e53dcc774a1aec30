package no.personvern.audit.web;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import no.personvern.audit.AuditEntry;
import no.personvern.audit.AuditTrail;
import no.personvern.audit.AuditVerification;
import org.springframework.format.annotation.DateTimeFormat;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** The audit trail for the DPO and auditors: paged by sequence number, and its verification. */
@RestController
@RequestMapping("/api/v1/audit")
class AuditController {

    static final int MAX_PAGE = 1000;

    /** A page of entries; {@code next} is the {@code after} value of the next page, if there is one. */
    record Page(List<AuditEntry> items, Long next) {
    }

    private final AuditTrail trail;

    AuditController(AuditTrail trail) {
        this.trail = trail;
    }

    @GetMapping
    @PreAuthorize("hasAuthority('audit:read')")
    Page entries(@RequestParam(required = false) UUID subjectId,
            @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE_TIME) Instant from,
            @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE_TIME) Instant to,
            @RequestParam(defaultValue = "0") long after,
            @RequestParam(defaultValue = "100") int limit) {
        int size = Math.max(1, Math.min(limit, MAX_PAGE));
        List<AuditEntry> items = trail.entries(subjectId, from, to, Math.max(0, after), size);
        return new Page(items, items.size() == size ? items.get(items.size() - 1).seq() : null);
    }

    @GetMapping("/verify")
    @PreAuthorize("hasAuthority('audit:read')")
    AuditVerification verify() {
        return trail.verify();
    }
}
