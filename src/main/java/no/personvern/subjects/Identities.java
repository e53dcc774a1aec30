package no.personvern.subjects;

import java.util.Map;

/** How a person is recognised: e-mail, phone and ids in connected systems. Any may be absent. */
public record Identities(String email, String phone, Map<String, String> externalIds) {

    public Identities {
        externalIds = externalIds == null ? Map.of() : Map.copyOf(externalIds);
    }

    public boolean isEmpty() {
        return email == null && phone == null && externalIds.isEmpty();
    }
}
