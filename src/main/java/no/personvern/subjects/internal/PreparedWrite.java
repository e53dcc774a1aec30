package no.personvern.subjects.internal;

import java.util.Map;
import java.util.Set;
import no.personvern.catalog.Activity;
import no.personvern.subjects.SubjectWrite;

/**
 * A write checked against the catalog: its activity, its identities by blind index, the blind
 * indexes the writing system vouches for, and the values by category.
 */
record PreparedWrite(SubjectWrite write, Activity activity, Map<String, Identity> identities, Set<String> vouched,
        Map<String, String> data) {
}
