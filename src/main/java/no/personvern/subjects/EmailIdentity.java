package no.personvern.subjects;

import java.util.UUID;

/**
 * An e-mail address of a person, by handle: mail can reach that address later without the caller
 * holding it, and only that address (a request is answered to the address it was made with).
 *
 * @param verified whether the address verifiably belongs to the person (see {@link Identities})
 * @param createdPerson whether the address was unknown, so that a new person was made for it
 */
public record EmailIdentity(UUID subjectId, UUID identityId, boolean verified, boolean createdPerson) {
}
