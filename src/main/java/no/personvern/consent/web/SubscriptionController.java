package no.personvern.consent.web;

import java.util.List;
import java.util.UUID;
import no.personvern.consent.ConsentRefusal;
import no.personvern.consent.Subscriptions;
import no.personvern.security.Callers;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Public sign-up (double opt-in) and the newsletter tool's list of whom it may mail. */
@RestController
class SubscriptionController {

    static final int MAX_PAGE = 500;

    record SignUp(String email, String list, String lang) {
    }

    record Pending(String status) {
    }

    record Page(List<Subscriptions.Recipient> items, UUID next) {
    }

    private final Subscriptions subscriptions;

    SubscriptionController(Subscriptions subscriptions) {
        this.subscriptions = subscriptions;
    }

    /** Always 202: the answer never tells whether the address was already known or subscribed. */
    @PostMapping("/api/v1/public/subscriptions")
    ResponseEntity<Pending> signUp(@RequestBody SignUp request, jakarta.servlet.http.HttpServletRequest http) {
        subscriptions.signUp(request.email(), request.list(), request.lang(), http.getRemoteAddr());
        return ResponseEntity.status(HttpStatus.ACCEPTED).body(new Pending("pending"));
    }

    /** A token bound to a system reads only the list of that system (the newsletter tool's own). */
    @GetMapping("/api/v1/subscriptions/{list}/recipients")
    @PreAuthorize("hasAuthority('subjects:read')")
    Page recipients(@PathVariable String list, @RequestParam(required = false) UUID cursor,
            @RequestParam(defaultValue = "100") int limit) {
        if (limit < 1 || limit > MAX_PAGE) {
            throw ConsentRefusal.invalid("limit", "limit is 1 to " + MAX_PAGE);
        }
        Callers.requireActingFor(list, "list");
        List<Subscriptions.Recipient> items = subscriptions.recipients(list, cursor, limit);
        UUID next = items.size() == limit ? items.get(items.size() - 1).subscriptionId() : null;
        return new Page(items, next);
    }
}
