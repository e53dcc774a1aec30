package no.personvern.requests.web;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import no.personvern.Problems;
import no.personvern.requests.DataRequest;
import no.personvern.requests.RequestDesk;
import no.personvern.requests.RequestStatus;
import no.personvern.requests.RequestType;
import no.personvern.security.Callers;
import org.springframework.format.annotation.DateTimeFormat;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Requests from the public (verified by a mailed code) and from staff who verified the person. */
@RestController
class RequestController {

    record PublicRequest(String type, String email, String message, String lang) {
    }

    record Accepted(UUID id, String status) {
    }

    record Code(String code) {
    }

    record Verified(String status, Instant dueAt) {
    }

    record StaffRequest(String type, String email, UUID subjectId, String channel, String verifiedBy,
            String message) {
    }

    record ObjectionDecision(String activity, String decision, String reasons) {
    }

    record Reason(String reason) {
    }

    record Items(List<DataRequest> items) {
    }

    private final RequestDesk desk;

    RequestController(RequestDesk desk) {
        this.desk = desk;
    }

    /** Always the same answer, known address or not (no account enumeration). */
    @PostMapping("/api/v1/public/requests")
    ResponseEntity<Accepted> submit(@RequestBody PublicRequest request, HttpServletRequest http) {
        UUID id = desk.submit(type(request.type()), request.email(), request.message(), request.lang(), http.getRemoteAddr());
        return ResponseEntity.status(HttpStatus.ACCEPTED).body(new Accepted(id, RequestStatus.UNVERIFIED.key()));
    }

    @PostMapping("/api/v1/public/requests/{id}/verify")
    Verified verify(@PathVariable UUID id, @RequestBody Code code) {
        DataRequest request = desk.verify(id, code.code());
        return new Verified(request.status().key(), request.extendedUntil() != null ? request.extendedUntil() : request.dueAt());
    }

    /** The access or portability package behind the mailed link. */
    @GetMapping("/api/v1/public/requests/{id}/package")
    void download(@PathVariable UUID id, @RequestParam(required = false) String token, HttpServletResponse response)
            throws IOException {
        desk.checkPackage(id, token);
        response.setContentType("application/zip");
        response.setHeader("Content-Disposition", "attachment; filename=\"personopplysninger-" + id + ".zip\"");
        response.setHeader("Cache-Control", "no-store");
        desk.downloadPackage(id, token, response.getOutputStream());
    }

    @PostMapping("/api/v1/requests")
    @PreAuthorize("hasAuthority('requests:manage')")
    ResponseEntity<DataRequest> submitVerified(@RequestBody StaffRequest request) {
        return ResponseEntity.status(HttpStatus.CREATED).body(desk.submitVerified(type(request.type()), request.email(),
                request.subjectId(), request.channel(), request.verifiedBy(), request.message()));
    }

    @GetMapping("/api/v1/requests")
    @PreAuthorize("hasAuthority('requests:manage')")
    Items find(@RequestParam(required = false) String status,
            @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE_TIME) Instant dueBefore,
            @RequestParam(defaultValue = "false") boolean overdue, @RequestParam(defaultValue = "100") int limit) {
        if (limit < 1 || limit > 1000) {
            throw Problems.invalid("limit", "limit is 1 to 1000");
        }
        RequestStatus wanted = status == null ? null : RequestStatus.fromKey(status)
                .orElseThrow(() -> Problems.invalid("status", "unknown status '" + status + "'"));
        return new Items(desk.find(wanted, dueBefore, overdue, limit));
    }

    /** The type named, or null when none or an unknown one is: the desk refuses it with the other fields. */
    private static RequestType type(String key) {
        return RequestType.fromKey(key).orElse(null);
    }

    @GetMapping("/api/v1/requests/{id}")
    @PreAuthorize("hasAuthority('requests:manage')")
    DataRequest get(@PathVariable UUID id) {
        return desk.read(id);
    }

    /** Art. 21(1): the DPO's decision on an objection, per activity; the DPO's alone (scope admin). */
    @PostMapping("/api/v1/requests/{id}/objection-decisions")
    @PreAuthorize("hasAuthority('admin')")
    DataRequest decideObjection(@PathVariable UUID id, @RequestBody ObjectionDecision decision) {
        return desk.decideObjection(id, decision.activity(), decision.decision(), decision.reasons());
    }

    @PostMapping("/api/v1/requests/{id}/extend")
    @PreAuthorize("hasAuthority('requests:manage')")
    DataRequest extend(@PathVariable UUID id, @RequestBody Reason reason) {
        return desk.extend(id, reason.reason());
    }

    record Callback(String status) {
    }

    /**
     * A connected system's callback. Scope {@code requests:callback}, which {@code requests:manage}
     * does not include; a token bound to a system answers only for that system.
     */
    @PostMapping("/api/v1/requests/{id}/systems/{system}/callback")
    @PreAuthorize("hasAuthority('requests:callback')")
    DataRequest callback(@PathVariable UUID id, @PathVariable String system, @RequestBody Callback callback) {
        Callers.requireActingFor(system, null);
        return desk.callback(id, system, callback.status());
    }

    @PostMapping("/api/v1/requests/{id}/complete")
    @PreAuthorize("hasAuthority('requests:manage')")
    DataRequest complete(@PathVariable UUID id, @RequestBody Outcome outcome) {
        return desk.complete(id, outcome.outcome());
    }

    record Outcome(String outcome) {
    }

    @PostMapping("/api/v1/requests/{id}/reject")
    @PreAuthorize("hasAuthority('requests:manage')")
    DataRequest reject(@PathVariable UUID id, @RequestBody Reason reason) {
        return desk.reject(id, reason.reason());
    }
}
