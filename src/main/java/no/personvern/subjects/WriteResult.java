package no.personvern.subjects;

import java.util.UUID;

/** The person written: new ({@code created}) or an existing one the identities matched. */
public record WriteResult(UUID id, boolean created) {
}
