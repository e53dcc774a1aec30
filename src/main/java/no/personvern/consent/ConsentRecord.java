package no.personvern.consent;

import java.time.Instant;
import java.util.UUID;

/**
 * One decision about one purpose of one activity, by a person ({@code subjectId}) or an anonymous
 * visitor ({@code visitorId}). Its id is the receipt id; {@code hash} links it to the holder's
 * previous record. {@code activity} is null only for a record made before consents were recorded
 * per activity whose activity could not be told; it counts for every activity of its purpose.
 */
public record ConsentRecord(UUID receiptId, UUID subjectId, String visitorId, String purpose, boolean granted,
        String method, String source, String noticeVersion, Instant recordedAt, String prevHash, String hash,
        String activity) {
}
