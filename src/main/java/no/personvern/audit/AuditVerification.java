package no.personvern.audit;

/** The result of re-computing the hash chain: where it first breaks, if anywhere. */
public record AuditVerification(boolean valid, long entries, Long firstBrokenSeq) {
}
