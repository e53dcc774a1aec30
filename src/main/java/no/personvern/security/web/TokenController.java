package no.personvern.security.web;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import no.personvern.Problems;
import no.personvern.catalog.Catalog;
import no.personvern.security.IssuedToken;
import no.personvern.security.Scope;
import no.personvern.security.Tokens;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** Creating and revoking API tokens. The token is shown once, in the response that creates it. */
@RestController
@RequestMapping("/api/v1/tokens")
class TokenController {

    record NewToken(String name, List<String> scopes, String system) {
    }

    private final Tokens tokens;
    private final Catalog catalog;

    TokenController(Tokens tokens, Catalog catalog) {
        this.tokens = tokens;
        this.catalog = catalog;
    }

    /** Every invalid field is named at once: an empty name and an unknown scope are two errors. */
    @PostMapping
    @PreAuthorize("hasAuthority('admin')")
    ResponseEntity<IssuedToken> create(@RequestBody NewToken request) {
        Problems.Violations invalid = Problems.violations();
        invalid.require(request.name() != null && !request.name().isBlank(), "name", "a name is required");
        invalid.require(request.name() == null || request.name().length() <= 200, "name", "at most 200 characters");
        if (request.system() != null && (request.system().length() > 100 || catalog.system(request.system()).isEmpty())) {
            invalid.reject("system", "unknown system '" + Problems.shown(request.system()) + "'");
        }
        Set<Scope> scopes = EnumSet.noneOf(Scope.class);
        if (request.scopes() == null || request.scopes().isEmpty()) {
            invalid.reject("scopes", "at least one scope is required");
        } else if (request.scopes().size() > 20) {
            invalid.reject("scopes", "at most 20 scopes");
        } else {
            for (int i = 0; i < request.scopes().size(); i++) {
                String value = request.scopes().get(i);
                Scope scope = Scope.fromValue(value).orElse(null);
                if (scope == null) {
                    invalid.reject("scopes[" + i + "]", "unknown scope '" + Problems.shown(value) + "'");
                } else if (request.system() != null && !Scope.FOR_SYSTEMS.contains(scope)) {
                    invalid.reject("scopes[" + i + "]", "a token bound to a system acts only as that system and"
                            + " cannot have '" + value + "'; it may have " + Scope.FOR_SYSTEMS.stream()
                            .map(Scope::value).sorted().toList());
                } else {
                    scopes.add(scope);
                }
            }
        }
        invalid.throwIfAny();
        IssuedToken issued = tokens.issue(request.name().strip(), scopes, request.system());
        return ResponseEntity.status(HttpStatus.CREATED).body(issued);
    }

    @DeleteMapping("/{id}")
    @PreAuthorize("hasAuthority('admin')")
    ResponseEntity<Void> revoke(@PathVariable UUID id) {
        if (!tokens.revoke(id)) {
            throw Problems.notFound("No active token " + id + ".");
        }
        return ResponseEntity.noContent().build();
    }
}
