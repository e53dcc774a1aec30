package no.personvern.audit;

import java.time.Instant;

/** A verification of the chain as recorded: when, by whom ({@code staff:<id>}, {@code token:<id>}), and the result. */
public record VerificationRun(Instant at, String actor, AuditVerification result) {
}
