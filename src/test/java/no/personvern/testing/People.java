package no.personvern.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A person as a product writes them through {@code POST /api/v1/subjects}:
 * {@code People.in("go", "service-delivery").email(email).data("user.name", "Kari").create(api, token)}.
 */
public final class People {

    private final String system;
    private final String activity;
    private final Map<String, Object> identities = new LinkedHashMap<>();
    private final Map<String, String> externalIds = new LinkedHashMap<>();
    private final List<String> verified = new ArrayList<>();
    private final Map<String, String> data = new LinkedHashMap<>();

    private People(String system, String activity) {
        this.system = system;
        this.activity = activity;
    }

    /** A person collected by {@code system} for {@code activity}. */
    public static People in(String system, String activity) {
        return new People(system, activity);
    }

    public People email(String email) {
        identities.put("email", email);
        return this;
    }

    public People phone(String phone) {
        identities.put("phone", phone);
        return this;
    }

    public People externalId(String system, String id) {
        externalIds.put(system, id);
        return this;
    }

    /** Identities the writing system vouches for ({@code email}, {@code phone}). */
    public People verified(String... kinds) {
        verified.addAll(List.of(kinds));
        return this;
    }

    public People data(String category, String value) {
        data.put(category, value);
        return this;
    }

    /** The request body. */
    public String json() {
        Map<String, Object> ids = new LinkedHashMap<>(identities);
        if (!externalIds.isEmpty()) {
            ids.put("externalIds", externalIds);
        }
        if (!verified.isEmpty()) {
            ids.put("verified", verified);
        }
        return Json.object("system", system, "activity", activity, "identities", ids, "data", data);
    }

    /** Writes the person; the answer as it comes (201 new, 200 merged, or a problem). */
    public Api.Response write(Api api, String token) {
        return api.post("/api/v1/subjects", token, json());
    }

    /** Writes the person and returns their id, which the write must have given (new or merged). */
    public String create(Api api, String token) {
        Api.Response written = write(api, token);
        assertThat(written.status()).as(written.body()).isIn(200, 201);
        return written.json().get("id").asString();
    }
}
