package no.personvern.disclosures.web;

import jakarta.validation.constraints.NotNull;
import java.util.List;
import java.util.UUID;
import no.personvern.disclosures.Disclosure;
import no.personvern.disclosures.Disclosures;
import no.personvern.disclosures.ProcessorStatus;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** The processors with their DPA state, and the disclosure log. */
@RestController
class DisclosureController {

    record DisclosureBody(String recipient, UUID subjectId, List<String> dataCategories, String basis,
            String reference, String note, String purpose) {
    }

    record Processors(List<ProcessorStatus> processors) {
    }

    record DisclosureList(List<Disclosure> disclosures) {
    }

    private final Disclosures disclosures;

    DisclosureController(Disclosures disclosures) {
        this.disclosures = disclosures;
    }

    @GetMapping("/api/v1/processors")
    @PreAuthorize("hasAuthority('catalog:read')")
    Processors processors() {
        return new Processors(disclosures.processors());
    }

    @PostMapping("/api/v1/disclosures")
    @PreAuthorize("hasAuthority('disclosures:write')")
    ResponseEntity<Disclosure> record(@RequestBody DisclosureBody body) {
        Disclosure disclosure = disclosures.record(new Disclosures.NewDisclosure(body.recipient(), body.subjectId(),
                body.dataCategories(), body.basis(), body.reference(), body.note(), body.purpose()));
        return ResponseEntity.status(HttpStatus.CREATED).body(disclosure);
    }

    @GetMapping("/api/v1/disclosures")
    @PreAuthorize("hasAuthority('subjects:read')")
    DisclosureList list(@RequestParam @NotNull UUID subjectId) {
        return new DisclosureList(disclosures.read(subjectId));
    }
}
