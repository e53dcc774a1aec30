package no.personvern.subjects.internal;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import no.personvern.Problems;
import no.personvern.catalog.Activity;
import no.personvern.catalog.Catalog;
import no.personvern.subjects.Identities;
import no.personvern.subjects.SubjectWrite;
import no.personvern.subjects.VaultRefusal;
import org.springframework.stereotype.Component;

/**
 * Purpose limitation (Art. 5(1)(b)): a write, a look-up by e-mail or an upload is checked against
 * the catalog before anything is stored — the system exists, carries out the activity, and the
 * activity declares every category written — and identities are normalised and indexed.
 */
@Component
class PurposeLimitation {

    static final String EMAIL_CATEGORY = "user.contact.email";
    static final String PHONE_CATEGORY = "user.contact.phone_number";
    static final int MAX_VALUE_LENGTH = 10_000;

    private final Catalog catalog;
    private final BlindIndex index;

    PurposeLimitation(Catalog catalog, BlindIndex index) {
        this.catalog = catalog;
        this.index = index;
    }

    /**
     * Checks a look-up of a person by e-mail address for {@code activityKey} of {@code system}:
     * the write that creates a person holding only the address if it is unknown.
     */
    PreparedWrite emailLookup(String system, String activityKey, String email) {
        Activity activity = checkSource(system, activityKey);
        requireDeclared(activity, EMAIL_CATEGORY, "email");
        String normalised = Normalization.email(email == null ? "" : email)
                .orElseThrow(() -> VaultRefusal.invalid("email", "not a valid e-mail address"));
        Identity identity = Identity.email(normalised);
        return new PreparedWrite(new SubjectWrite(system, activityKey, new Identities(normalised, null, null), Map.of()),
                activity, Map.of(index.of(identity), identity), Set.of(), Map.of());
    }

    Activity checkSource(String system, String activityKey) {
        if (system == null || system.isBlank()) {
            throw VaultRefusal.invalid("system", "system is required");
        }
        if (catalog.system(system).isEmpty()) {
            throw VaultRefusal.invalid("system", "unknown system '" + system + "'");
        }
        if (activityKey == null || activityKey.isBlank()) {
            throw VaultRefusal.invalid("activity", "activity is required");
        }
        Activity activity = catalog.activity(activityKey)
                .orElseThrow(() -> VaultRefusal.invalid("activity", "unknown activity '" + activityKey + "'"));
        if (!activity.usesSystem(system)) {
            throw VaultRefusal.invalid("activity", "activity '" + activityKey + "' is not carried out by system '"
                    + system + "'");
        }
        return activity;
    }

    /**
     * Checks a write completely, recording every invalid field (named under {@code prefix}, e.g.
     * {@code items[3]}) rather than stopping at the first: the caller learns them all at once.
     * The result is usable only when nothing was recorded.
     */
    PreparedWrite prepare(SubjectWrite write, String prefix, Problems.Violations invalid) {
        if (write == null) {
            invalid.reject(prefix.isEmpty() ? "body" : prefix, "a write is required");
            return null;
        }
        Activity activity = source(write.system(), write.activity(), prefix, invalid);
        Map<String, Identity> identities = identities(write, activity, prefix, invalid);
        Set<String> vouched = vouched(write, identities, prefix, invalid);
        Map<String, String> data = data(write.data(), activity, prefix, invalid);
        return new PreparedWrite(write, activity, identities, vouched, data);
    }

    /** The activity named, when it exists (checked against the system too); every problem recorded. */
    private Activity source(String system, String activityKey, String prefix, Problems.Violations invalid) {
        boolean knownSystem = false;
        if (system == null || system.isBlank()) {
            invalid.reject(field(prefix, "system"), "system is required");
        } else if (catalog.system(system).isEmpty()) {
            invalid.reject(field(prefix, "system"), "unknown system '" + Problems.shown(system) + "'");
        } else {
            knownSystem = true;
        }
        if (activityKey == null || activityKey.isBlank()) {
            invalid.reject(field(prefix, "activity"), "activity is required");
            return null;
        }
        Activity activity = catalog.activity(activityKey).orElse(null);
        if (activity == null) {
            invalid.reject(field(prefix, "activity"), "unknown activity '" + Problems.shown(activityKey) + "'");
        } else if (knownSystem && !activity.usesSystem(system)) {
            invalid.reject(field(prefix, "activity"), "activity '" + activityKey + "' is not carried out by system '"
                    + system + "'");
        }
        return activity;
    }

    /**
     * Normalises and checks the identities (by blind index); e-mail and phone must be declared by
     * the activity too.
     */
    private Map<String, Identity> identities(SubjectWrite write, Activity activity, String prefix,
            Problems.Violations invalid) {
        Map<String, Identity> byIndex = new LinkedHashMap<>();
        if (write.identities() == null || write.identities().isEmpty()) {
            invalid.reject(field(prefix, "identities"), "at least one identity (email, phone or externalIds) is required");
            return byIndex;
        }
        if (write.identities().email() != null) {
            String field = field(prefix, "identities.email");
            Normalization.email(write.identities().email()).ifPresentOrElse(email -> {
                declared(activity, EMAIL_CATEGORY, field, invalid);
                byIndex.put(index.of(Identity.email(email)), Identity.email(email));
            }, () -> invalid.reject(field, "not a valid e-mail address"));
        }
        if (write.identities().phone() != null) {
            String field = field(prefix, "identities.phone");
            Normalization.phone(write.identities().phone()).ifPresentOrElse(phone -> {
                declared(activity, PHONE_CATEGORY, field, invalid);
                byIndex.put(index.of(Identity.phone(phone)), Identity.phone(phone));
            }, () -> invalid.reject(field, "not a valid phone number"));
        }
        for (Map.Entry<String, String> external : write.identities().externalIds().entrySet()) {
            String field = field(prefix, "identities.externalIds." + Problems.shown(external.getKey()));
            String id = external.getValue() == null ? "" : external.getValue().strip();
            if (catalog.system(external.getKey()).isEmpty()) {
                invalid.reject(field, "unknown system '" + Problems.shown(external.getKey()) + "'");
            } else if (id.isEmpty() || id.length() > 200) {
                invalid.reject(field, "an external id has 1 to 200 characters");
            } else {
                Identity identity = Identity.external(external.getKey(), id);
                byIndex.put(index.of(identity), identity);
            }
        }
        return byIndex;
    }

    /**
     * The blind indexes of the identities the writing system vouches for: those it lists in
     * {@code identities.verified}, and its own external id, which it issued itself.
     */
    private Set<String> vouched(SubjectWrite write, Map<String, Identity> identities, String prefix,
            Problems.Violations invalid) {
        Set<IdentityKind> kinds = java.util.EnumSet.noneOf(IdentityKind.class);
        if (write.identities() == null) {
            return Set.of();
        }
        String field = field(prefix, "identities.verified");
        for (String name : write.identities().verified()) {
            IdentityKind kind = IdentityKind.ofVouched(name == null ? "" : name).orElse(null);
            if (kind == null) {
                invalid.reject(field, "names email, phone or externalIds, not '" + Problems.shown(name) + "'");
                continue;
            }
            boolean given = switch (kind) {
                case EMAIL -> write.identities().email() != null;
                case PHONE -> write.identities().phone() != null;
                case EXTERNAL_ID -> !write.identities().externalIds().isEmpty();
            };
            if (!given) {
                invalid.reject(field, "vouches for " + name + ", which is not given");
            } else {
                kinds.add(kind);
            }
        }
        Set<String> vouched = new java.util.HashSet<>();
        identities.forEach((index, identity) -> {
            boolean external = identity.kind() == IdentityKind.EXTERNAL_ID;
            // A system vouches for its own id only: it cannot confirm whom another system's id names.
            boolean ownId = external && identity.system().equals(write.system());
            boolean listed = !external && kinds.contains(identity.kind());
            if (listed || ownId) {
                vouched.add(index);
            }
        });
        return vouched;
    }

    /** Purpose limitation: every category must be declared by the activity for the system. */
    private Map<String, String> data(Map<String, String> data, Activity activity, String prefix,
            Problems.Violations invalid) {
        Map<String, String> checked = new LinkedHashMap<>();
        for (Map.Entry<String, String> value : data.entrySet()) {
            String field = field(prefix, "data." + Problems.shown(value.getKey()));
            if (!declared(activity, value.getKey(), field, invalid)) {
                continue;
            }
            if (value.getValue() == null || value.getValue().isBlank()) {
                invalid.reject(field, "a value is required");
            } else if (value.getValue().length() > MAX_VALUE_LENGTH) {
                invalid.reject(field, "a value has at most " + MAX_VALUE_LENGTH + " characters");
            } else {
                checked.put(value.getKey(), value.getValue());
            }
        }
        return checked;
    }

    /** Records {@code field} unless the activity (when known) declares the category. */
    private static boolean declared(Activity activity, String category, String field, Problems.Violations invalid) {
        if (activity != null && !activity.declaresCategory(category)) {
            invalid.reject(field, "data category '" + Problems.shown(category) + "' is not declared by activity '"
                    + activity.key() + "' (purpose limitation)");
            return false;
        }
        return true;
    }

    private static String field(String prefix, String name) {
        return prefix.isEmpty() ? name : prefix + "." + name;
    }

    void requireDeclared(Activity activity, String category, String field) {
        if (!activity.declaresCategory(category)) {
            throw VaultRefusal.invalid(field, "data category '" + category + "' is not declared by activity '"
                    + activity.key() + "' (purpose limitation)");
        }
    }

    /**
     * SPEC section 3: the activity named, or else the system's only activity that takes documents
     * (declares a {@code user.content.*} category or a {@code documents} map).
     */
    Activity documentActivity(String system, String activityKey) {
        if (activityKey != null && !activityKey.isBlank()) {
            Activity activity = checkSource(system, activityKey);
            if (!activity.takesDocuments()) {
                throw VaultRefusal.invalid("activity", "activity '" + activityKey + "' declares no user.content"
                        + " category: it takes no documents (purpose limitation)");
            }
            return activity;
        }
        List<Activity> candidates = catalog.activitiesOf(system).stream().filter(Activity::takesDocuments).toList();
        if (candidates.isEmpty()) {
            throw VaultRefusal.invalid("system", "no activity of system '" + system + "' takes documents (declares a"
                    + " user.content category)");
        }
        if (candidates.size() > 1) {
            throw VaultRefusal.invalid("activity", "several activities of system '" + system + "' take documents ("
                    + String.join(", ", candidates.stream().map(Activity::key).toList()) + "): name one");
        }
        return candidates.get(0);
    }
}
