package no.personvern.requests.web;

import java.util.List;
import java.util.UUID;
import no.personvern.requests.DataRequest;
import no.personvern.requests.PackageReviews;
import no.personvern.requests.RestrictionLifts;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** The DPO's decisions on a person's rights: lifting a restriction (Art. 18(3)) and releasing a reviewed package (Art. 15(4)). */
@RestController
class DpoController {

    record Reason(String reason) {
    }

    record Release(String reason, List<PackageReviews.Withheld> withheld) {
    }

    private final RestrictionLifts lifts;
    private final PackageReviews reviews;

    DpoController(RestrictionLifts lifts, PackageReviews reviews) {
        this.lifts = lifts;
        this.reviews = reviews;
    }

    /** The person is told first; the restriction ends once the mail has gone. */
    @PostMapping("/api/v1/subjects/{id}/restriction/lift")
    @PreAuthorize("hasAuthority('admin')")
    RestrictionLifts.Lift lift(@PathVariable UUID id, @RequestBody Reason reason) {
        return lifts.lift(id, reason.reason());
    }

    @PostMapping("/api/v1/requests/{id}/package/release")
    @PreAuthorize("hasAuthority('admin')")
    DataRequest release(@PathVariable UUID id, @RequestBody Release release) {
        return reviews.release(id, release.reason(), release.withheld());
    }
}
