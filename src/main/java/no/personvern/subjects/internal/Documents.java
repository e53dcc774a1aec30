package no.personvern.subjects.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.UUID;
import javax.crypto.SecretKey;
import no.personvern.Problems;
import no.personvern.catalog.Activity;
import no.personvern.catalog.Catalog;
import no.personvern.catalog.DocumentKind;
import no.personvern.catalog.RetentionRule;
import no.personvern.subjects.DocumentInfo;
import no.personvern.subjects.VaultEvents;
import no.personvern.subjects.VaultRefusal;
import no.personvern.subjects.internal.DocumentRepository.DocumentRow;
import no.personvern.subjects.internal.SubjectRepository.SubjectRow;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Documents uploaded for a person, streamed into encrypted storage under their data key with the
 * data category the catalog gives the kind for the activity; restricted documents are not read.
 */
@Component
public class Documents {

    private final SubjectRepository subjectRepository;
    private final DocumentRepository documentRepository;
    private final ValueRepository valueRepository;
    private final PurposeLimitation purpose;
    private final Envelopes envelopes;
    private final BlobStore blobs;
    private final Catalog catalog;
    private final ApplicationEventPublisher events;
    private final TransactionTemplate transactions;
    private final Clock clock;
    private final long maxDocumentBytes;

    Documents(SubjectRepository subjectRepository, DocumentRepository documentRepository,
            ValueRepository valueRepository, PurposeLimitation purpose,
            Envelopes envelopes, BlobStore blobs, Catalog catalog, ApplicationEventPublisher events,
            TransactionTemplate transactions, Clock clock, SubjectsProperties settings) {
        this.subjectRepository = subjectRepository;
        this.documentRepository = documentRepository;
        this.valueRepository = valueRepository;
        this.purpose = purpose;
        this.envelopes = envelopes;
        this.blobs = blobs;
        this.catalog = catalog;
        this.events = events;
        this.transactions = transactions;
        this.clock = clock;
        this.maxDocumentBytes = settings.documents().maxSize().toBytes();
    }

    DocumentInfo storeDocument(UUID subjectId, DocumentKind kind, String system, String activityKey,
            String contentType, InputStream content) {
        Problems.Violations invalid = Problems.violations();
        boolean named = system != null && !system.isBlank();
        boolean known = named && catalog.system(system).isPresent();
        invalid.require(named, "system", "system is required");
        invalid.require(!named || known, "system", "unknown system '" + Problems.shown(system) + "'");
        Activity activity = known ? invalid.collect(() -> purpose.documentActivity(system, activityKey)) : null;
        String category = activity == null ? null : activity.documentCategory(kind).orElse(null);
        if (activity != null && category == null) {
            invalid.reject("kind", "activity '" + activity.key() + "' stores no documents of kind '" + kind.key()
                    + "': its documents map names " + String.join(", ", activity.documents().keySet())
                    + " (purpose limitation)");
        }
        invalid.throwIfAny();
        SubjectRow subject = subjectRepository.live(subjectId);
        refuseRestricted(subject, activity.key());
        SecretKey key = envelopes.key(subject.keyId());
        UUID documentId = UUID.randomUUID();
        long size;
        try {
            Path incoming = blobs.incoming(documentId);
            try (OutputStream out = Files.newOutputStream(incoming)) {
                size = SegmentedCipher.encrypt(key, documentId, content, out, maxDocumentBytes);
            } catch (SegmentedCipher.TooLargeException e) {
                blobs.delete(documentId);
                throw VaultRefusal.tooLarge(maxDocumentBytes);
            }
            if (size == 0) {
                blobs.delete(documentId);
                throw VaultRefusal.invalid("file", "the file is empty");
            }
            blobs.commit(documentId);
        } catch (IOException e) {
            blobs.delete(documentId);
            throw new UncheckedIOException("cannot store document", e);
        }
        Instant now = Timestamps.now(clock);
        RetentionRule retention = activity.retention();
        Instant expiresAt = retention.trigger() == RetentionRule.Trigger.COLLECTION ? retention.after().addTo(now) : null;
        DocumentRow row = new DocumentRow(documentId, subjectId, kind.key(), system, activity.key(), category,
                contentType(contentType), size, subject.keyId(), now, expiresAt);
        try {
            transactions.executeWithoutResult(status -> {
                refuseRestricted(subjectRepository.lockLive(subjectId), row.activity());
                documentRepository.insertDocument(row);
                events.publishEvent(new VaultEvents.DocumentStored(subjectId, documentId, kind.key(), system));
            });
        } catch (RuntimeException e) {
            blobs.delete(documentId);
            throw e;
        }
        return row.info();
    }

    /**
     * Art. 18: nothing new is collected about a restricted person; Art. 21(1): nothing more under
     * an activity the person's upheld objection stopped.
     */
    private void refuseRestricted(SubjectRow subject, String activity) {
        if (subject.restrictedBy() != null) {
            throw VaultRefusal.restrictedSubject();
        }
        if (valueRepository.objectedTo(subject.id(), activity) || documentRepository.objectedTo(subject.id(), activity)) {
            throw VaultRefusal.objected(activity);
        }
    }

    /** A document's description; 404 if the person holds no such document. */
    public DocumentInfo document(UUID subjectId, UUID documentId) {
        subjectRepository.live(subjectId);
        return documentRepository.document(subjectId, documentId).map(DocumentRow::info)
                .orElseThrow(() -> VaultRefusal.notFound(documentId));
    }

    /** Writes a document's decrypted bytes; returns its description. */
    public DocumentInfo readDocument(UUID subjectId, UUID documentId, OutputStream out) {
        DocumentRow document = transactions.execute(status -> {
            subjectRepository.live(subjectId);
            DocumentRow row = documentRepository.document(subjectId, documentId)
                    .orElseThrow(() -> VaultRefusal.notFound(documentId));
            if (documentRepository.documentRestricted(documentId)) {
                throw VaultRefusal.restricted(documentId);
            }
            events.publishEvent(new VaultEvents.DocumentRead(subjectId, documentId));
            return row;
        });
        SecretKey key = envelopes.key(document.keyId());
        try (InputStream in = Files.newInputStream(blobs.path(documentId))) {
            SegmentedCipher.decrypt(key, documentId, in, out);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read document " + documentId, e);
        }
        return document.info();
    }

    /** Art. 15(3), 20: a document's bytes for the person's own package, restricted or not; audited. */
    void copyForAccess(UUID subjectId, UUID documentId, OutputStream out) {
        DocumentRow document = transactions.execute(status -> {
            subjectRepository.live(subjectId);
            DocumentRow row = documentRepository.document(subjectId, documentId)
                    .orElseThrow(() -> VaultRefusal.notFound(documentId));
            events.publishEvent(new VaultEvents.DocumentRead(subjectId, documentId));
            return row;
        });
        SecretKey key = envelopes.key(document.keyId());
        try (InputStream in = Files.newInputStream(blobs.path(documentId))) {
            SegmentedCipher.decrypt(key, documentId, in, out);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read document " + documentId, e);
        }
    }

    private static String contentType(String contentType) {
        if (contentType == null || !contentType.matches("[a-zA-Z0-9!#$&^_.+-]+/[a-zA-Z0-9!#$&^_.+-]+")) {
            return "application/octet-stream";
        }
        return contentType.toLowerCase(java.util.Locale.ROOT);
    }
}
