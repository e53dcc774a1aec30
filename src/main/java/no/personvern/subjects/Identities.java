package no.personvern.subjects;

import java.util.List;
import java.util.Map;

/**
 * How a person is recognised: e-mail, phone and ids in connected systems. Any may be absent.
 * {@code verified} names those the writing system has confirmed belong to the person
 * ({@code email}, {@code phone}, {@code externalIds}); identities given when a person is created
 * are verified anyway, and a system's own external id is vouched for by that system.
 */
public record Identities(String email, String phone, Map<String, String> externalIds, List<String> verified) {

    public Identities {
        // Copies that keep a null value or kind, so that the write names it as invalid (422) rather than fail.
        externalIds = externalIds == null ? Map.of()
                : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(externalIds));
        verified = verified == null ? List.of() : java.util.Collections.unmodifiableList(new java.util.ArrayList<>(verified));
    }

    public Identities(String email, String phone, Map<String, String> externalIds) {
        this(email, phone, externalIds, List.of());
    }

    public boolean isEmpty() {
        return email == null && phone == null && externalIds.isEmpty();
    }
}
