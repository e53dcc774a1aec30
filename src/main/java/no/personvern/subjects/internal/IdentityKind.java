package no.personvern.subjects.internal;

import java.util.Optional;

/** How a person is recognised. */
enum IdentityKind {

    EMAIL("email", "email", "email"),
    PHONE("phone", "phone", "phone"),
    /** An id a connected system gave the person; the only kind bound to a system. */
    EXTERNAL_ID("external", "externalId", "externalIds");

    /** The name in the {@code kind} column and in the blind index message: stored, never to change. */
    final String stored;
    /** The name callers use: look-ups, audit entries and unverified identities in a view. */
    final String shown;
    /** The name a write uses in {@code identities.verified}. */
    final String vouchedAs;

    IdentityKind(String stored, String shown, String vouchedAs) {
        this.stored = stored;
        this.shown = shown;
        this.vouchedAs = vouchedAs;
    }

    static IdentityKind ofStored(String stored) {
        for (IdentityKind kind : values()) {
            if (kind.stored.equals(stored)) {
                return kind;
            }
        }
        throw new IllegalStateException("unknown stored identity kind " + stored);
    }

    static Optional<IdentityKind> ofVouched(String name) {
        for (IdentityKind kind : values()) {
            if (kind.vouchedAs.equals(name)) {
                return Optional.of(kind);
            }
        }
        return Optional.empty();
    }
}
