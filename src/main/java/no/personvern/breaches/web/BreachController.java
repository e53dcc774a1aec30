package no.personvern.breaches.web;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import no.personvern.Problems;
import no.personvern.breaches.Breach;
import no.personvern.breaches.Breaches;
import no.personvern.catalog.Language;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** The breach register (SPEC 3, Personal-data breaches). */
@RestController
class BreachController {

    record NewBreachBody(String discoveredAt, String summary, List<String> dataCategories, List<String> systems,
            List<String> activities, String from, String to, String measures, String likelyConsequences) {
    }

    record Recorded(UUID id, Instant notifyAuthorityBy, Affected affected) {
    }

    record Affected(long people, long records, Map<String, Long> bySystem) {
    }

    record AssessmentBody(String risk, String reasons) {
    }

    record AuthorityBody(String notifiedAt, String reference, String lateReasons) {
    }

    record PeopleBody(String lang) {
    }

    record CloseBody(String outcome) {
    }

    record BreachList(List<Breach> items) {
    }

    private final Breaches breaches;

    BreachController(Breaches breaches) {
        this.breaches = breaches;
    }

    @PostMapping("/api/v1/breaches")
    @PreAuthorize("hasAuthority('breaches:manage')")
    ResponseEntity<Recorded> record(@RequestBody NewBreachBody body) {
        Breach breach = breaches.record(new Breaches.NewBreach(body.discoveredAt(), body.summary(),
                body.dataCategories(), body.systems(), body.activities(), body.from(), body.to(), body.measures(),
                body.likelyConsequences()));
        return ResponseEntity.status(HttpStatus.CREATED).body(new Recorded(breach.id(), breach.notifyAuthorityBy(),
                new Affected(breach.affected().people(), breach.affected().records(), breach.affected().bySystem())));
    }

    @GetMapping("/api/v1/breaches")
    @PreAuthorize("hasAuthority('breaches:manage')")
    BreachList list() {
        return new BreachList(breaches.list());
    }

    @GetMapping("/api/v1/breaches/{id}")
    @PreAuthorize("hasAuthority('breaches:manage')")
    Breach get(@PathVariable UUID id) {
        return breaches.get(id);
    }

    @PostMapping("/api/v1/breaches/{id}/assessment")
    @PreAuthorize("hasAuthority('breaches:manage')")
    Breach assess(@PathVariable UUID id, @RequestBody AssessmentBody body) {
        return breaches.assess(id, body.risk(), body.reasons());
    }

    @PostMapping("/api/v1/breaches/{id}/authority-notification")
    @PreAuthorize("hasAuthority('breaches:manage')")
    Breach notifyAuthority(@PathVariable UUID id, @RequestBody AuthorityBody body) {
        return breaches.notifyAuthority(id, body.notifiedAt(), body.reference(), body.lateReasons());
    }

    @PostMapping("/api/v1/breaches/{id}/people-notification")
    @PreAuthorize("hasAuthority('breaches:manage')")
    ResponseEntity<Breach> notifyPeople(@PathVariable UUID id, @RequestBody(required = false) PeopleBody body) {
        return ResponseEntity.status(HttpStatus.ACCEPTED)
                .body(breaches.notifyPeople(id, body == null ? null : body.lang()));
    }

    @PostMapping("/api/v1/breaches/{id}/close")
    @PreAuthorize("hasAuthority('breaches:manage')")
    Breach close(@PathVariable UUID id, @RequestBody CloseBody body) {
        return breaches.close(id, body.outcome());
    }

    /** HTML unless the caller asks for JSON ({@code Accept: application/json}). */
    @GetMapping("/api/v1/breaches/{id}/report")
    @PreAuthorize("hasAuthority('breaches:manage')")
    ResponseEntity<?> report(@PathVariable UUID id, @RequestParam(required = false) String lang,
            @RequestHeader(name = "Accept", required = false) String accept) {
        Language language = language(lang);
        if (accept != null && accept.contains(MediaType.APPLICATION_JSON_VALUE)) {
            return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(breaches.report(id, language));
        }
        return ResponseEntity.ok().contentType(new MediaType(MediaType.TEXT_HTML, StandardCharsets.UTF_8))
                .body(breaches.reportHtml(id, language));
    }

    private static Language language(String lang) {
        return lang == null || lang.isBlank() ? Language.NB
                : Language.fromCode(lang).orElseThrow(() -> Problems.invalid("lang", "must be nb or en"));
    }
}
