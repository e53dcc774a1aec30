package no.personvern.security.web;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.Size;
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
import org.springframework.web.ErrorResponseException;
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

    record NewToken(@NotBlank @Size(max = 200) String name, @NotEmpty @Size(max = 20) List<String> scopes,
            @Size(max = 100) String system) {
    }

    private final Tokens tokens;
    private final Catalog catalog;

    TokenController(Tokens tokens, Catalog catalog) {
        this.tokens = tokens;
        this.catalog = catalog;
    }

    @PostMapping
    @PreAuthorize("hasAuthority('admin')")
    ResponseEntity<IssuedToken> create(@Valid @RequestBody NewToken request) {
        Set<Scope> scopes = EnumSet.noneOf(Scope.class);
        for (int i = 0; i < request.scopes().size(); i++) {
            String value = request.scopes().get(i);
            int index = i;
            Scope scope = Scope.fromValue(value).orElseThrow(() -> unprocessable("scopes[" + index + "]",
                    "unknown scope '" + value + "'"));
            if (request.system() != null && !Scope.FOR_SYSTEMS.contains(scope)) {
                throw unprocessable("scopes[" + index + "]", "a token bound to a system acts only as that system and"
                        + " cannot have '" + value + "'; it may have " + Scope.FOR_SYSTEMS.stream().map(Scope::value)
                        .sorted().toList());
            }
            scopes.add(scope);
        }
        if (request.system() != null && catalog.system(request.system()).isEmpty()) {
            throw unprocessable("system", "unknown system '" + request.system() + "'");
        }
        IssuedToken issued = tokens.issue(request.name().strip(), scopes, request.system());
        return ResponseEntity.status(HttpStatus.CREATED).body(issued);
    }

    @DeleteMapping("/{id}")
    @PreAuthorize("hasAuthority('admin')")
    ResponseEntity<Void> revoke(@PathVariable UUID id) {
        if (!tokens.revoke(id)) {
            throw Problems.exception(HttpStatus.NOT_FOUND, "Not found", "No active token " + id + ".", null);
        }
        return ResponseEntity.noContent().build();
    }

    private static ErrorResponseException unprocessable(String field, String message) {
        return Problems.invalid(field, message);
    }
}
