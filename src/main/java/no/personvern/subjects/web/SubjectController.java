package no.personvern.subjects.web;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import no.personvern.security.Callers;
import no.personvern.subjects.Identities;
import no.personvern.subjects.SubjectView;
import no.personvern.subjects.SubjectWrite;
import no.personvern.subjects.SystemViews;
import no.personvern.subjects.Vault;
import no.personvern.subjects.VaultRefusal;
import no.personvern.subjects.WriteResult;
import no.personvern.subjects.internal.Reads;
import no.personvern.subjects.internal.SubjectWriter;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * People and their data, for the products that collect it and the staff who serve them. A token
 * bound to a system writes only for that system and sees only what it collected; rectification
 * across every system (Art. 16) is staff's, so it is not among the endpoints a system may call.
 */
@RestController
@RequestMapping("/api/v1/subjects")
class SubjectController {

    record IdentitiesRequest(String email, String phone, Map<String, String> externalIds, List<String> verified) {
    }

    record WriteRequest(String system, String activity, IdentitiesRequest identities, Map<String, String> data) {
    }

    record RectifyRequest(@NotNull Map<String, String> data) {
    }

    record Id(UUID id) {
    }

    record Items(List<Id> items) {
    }

    record ImportRequest(@NotNull @jakarta.validation.constraints.Size(min = 1, max = MAX_IMPORT) List<WriteRequest> items) {
    }

    record Imported(UUID id, boolean created) {
    }

    record ImportResult(List<Imported> items) {
    }

    static final int MAX_IMPORT = 1000;

    private final Vault vault;
    private final SystemViews systems;
    private final Reads reads;
    private final SubjectWriter writer;

    SubjectController(Vault vault, SystemViews systems, Reads reads, SubjectWriter writer) {
        this.vault = vault;
        this.systems = systems;
        this.reads = reads;
        this.writer = writer;
    }

    @PostMapping
    @PreAuthorize("hasAuthority('subjects:write')")
    ResponseEntity<Id> write(@RequestBody WriteRequest request) {
        Callers.requireActingFor(request.system(), "system");
        requireOwnExternalIds(request, "");
        WriteResult result = vault.write(toWrite(request));
        return ResponseEntity.status(result.created() ? HttpStatus.CREATED : HttpStatus.OK).body(new Id(result.id()));
    }

    /** Many writes in one transaction (e.g. bringing in a product's existing users): all or nothing. */
    @PostMapping("/import")
    @PreAuthorize("hasAuthority('subjects:write')")
    ImportResult importAll(@Valid @RequestBody ImportRequest request) {
        List<SubjectWrite> writes = request.items().stream().map(SubjectController::toWrite).toList();
        for (int i = 0; i < writes.size(); i++) {
            Callers.requireActingFor(writes.get(i).system(), "items[" + i + "].system");
            requireOwnExternalIds(request.items().get(i), "items[" + i + "].");
        }
        return new ImportResult(vault.writeAll(writes).stream().map(r -> new Imported(r.id(), r.created())).toList());
    }

    /**
     * A system-bound token gives only its own system's id for the person: another system's id would
     * let it find (and speak for) that system's users.
     */
    private static void requireOwnExternalIds(WriteRequest request, String prefix) {
        if (request == null || request.identities() == null || request.identities().externalIds() == null) {
            return;
        }
        Callers.system().ifPresent(own -> {
            for (String system : request.identities().externalIds().keySet()) {
                if (!own.equals(system)) {
                    throw Callers.forbidden(own, "may give only its own external id, not one of '"
                            + no.personvern.Problems.shown(system) + "'", prefix + "identities.externalIds."
                            + no.personvern.Problems.shown(system));
                }
            }
        });
    }

    private static SubjectWrite toWrite(WriteRequest request) {
        if (request == null) {
            throw VaultRefusal.invalid("items", "an item is null");
        }
        IdentitiesRequest identities = request.identities();
        return new SubjectWrite(request.system(), request.activity(),
                identities == null ? null : new Identities(identities.email(), identities.phone(), identities.externalIds(),
                        identities.verified()),
                request.data());
    }

    @GetMapping("/{id}")
    @PreAuthorize("hasAuthority('subjects:read')")
    SubjectView read(@PathVariable UUID id) {
        return Callers.system().map(system -> systems.read(system, id)).orElseGet(() -> reads.read(id));
    }

    @GetMapping
    @PreAuthorize("hasAuthority('subjects:read')")
    Items find(@RequestParam(required = false) String email, @RequestParam(required = false) String phone,
            @RequestParam(required = false) String externalId) {
        int given = (email == null ? 0 : 1) + (phone == null ? 0 : 1) + (externalId == null ? 0 : 1);
        if (given != 1) {
            throw VaultRefusal.badRequest("email", "give exactly one of email, phone or externalId");
        }
        List<UUID> found = email != null ? reads.find("email", email)
                : phone != null ? reads.find("phone", phone) : reads.find("externalId", externalId);
        return new Items(found.stream()
                .filter(subject -> Callers.system().map(system -> systems.holds(system, subject)).orElse(true))
                .map(Id::new).toList());
    }

    record Restricted(List<no.personvern.subjects.RestrictedValue> items) {
    }

    /**
     * Values kept only for a retention exception, a legal hold, a restriction or a customer, read
     * for the one purpose that keeps them (a tax audit, a legal claim): the DPO's ({@code admin})
     * alone, with the reason recorded in the audit trail.
     */
    @GetMapping("/{id}/restricted")
    @PreAuthorize("hasAuthority('admin')")
    Restricted restricted(@PathVariable UUID id, @RequestParam(required = false) String reason) {
        if (reason == null || reason.isBlank() || reason.length() > 500) {
            throw VaultRefusal.invalid("reason", "the reason for reading restricted data (e.g. a tax audit or a legal"
                    + " claim) is required, at most 500 characters");
        }
        return new Restricted(vault.restrictedValues(id, reason.strip()));
    }

    @PatchMapping("/{id}")
    @PreAuthorize("hasAuthority('subjects:write')")
    ResponseEntity<Void> rectify(@PathVariable UUID id, @Valid @RequestBody RectifyRequest request) {
        writer.rectify(id, request.data());
        return ResponseEntity.noContent().build();
    }
}
