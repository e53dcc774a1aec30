package no.personvern.audit.internal;

import java.time.OffsetDateTime;

/** An entry as recorded into {@code audit_pending}, before the chainer hashes it into the chain. */
record PendingEntry(OffsetDateTime at, String actor, String action, String subjectRef, String details) {
}
