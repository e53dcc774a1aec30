package no.personvern.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

/**
 * API tokens issued by the admin through {@code POST /api/v1/tokens}, as an operator issues them
 * to a product: {@code new Tokens(api).issue("kundesenter", "requests:manage")}.
 */
public final class Tokens {

    private final Api api;

    public Tokens(Api api) {
        this.api = api;
    }

    /** A token with these scopes, named {@code name}. */
    public String issue(String name, String... scopes) {
        return token(request(name, null, scopes));
    }

    /** A token bound to {@code system}: it acts only for that system (named after it). */
    public String issueForSystem(String system, String... scopes) {
        return token(request(system, system, scopes));
    }

    /** The answer to a request for a token; {@code system} may be null. */
    public Api.Response request(String name, String system, String... scopes) {
        return api.post("/api/v1/tokens", Api.ADMIN_TOKEN, body(name, system, scopes));
    }

    /** The body of a token request; {@code system} may be null (then left out). */
    public static String body(String name, String system, String... scopes) {
        return system == null ? Json.object("name", name, "scopes", List.of(scopes))
                : Json.object("name", name, "scopes", List.of(scopes), "system", system);
    }

    private static String token(Api.Response issued) {
        assertThat(issued.status()).as(issued.body()).isEqualTo(201);
        return issued.json().get("token").asString();
    }
}
