package no.personvern.subjects.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import javax.crypto.SecretKey;
import no.personvern.subjects.Vault.ExportContent;
import no.personvern.subjects.VaultEvents;
import no.personvern.subjects.internal.SubjectRepository.SubjectRow;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/** Files made for a person (access packages), encrypted under their data key: unreadable once they are erased. */
@Component
class Exports {

    private final SubjectRepository subjectRepository;
    private final Envelopes envelopes;
    private final BlobStore blobs;
    private final ApplicationEventPublisher events;
    private final TransactionTemplate transactions;

    Exports(SubjectRepository subjectRepository, Envelopes envelopes, BlobStore blobs, ApplicationEventPublisher events,
            TransactionTemplate transactions) {
        this.subjectRepository = subjectRepository;
        this.envelopes = envelopes;
        this.blobs = blobs;
        this.events = events;
        this.transactions = transactions;
    }

    void writeExport(UUID subjectId, UUID exportId, ExportContent content) {
        SubjectRow subject = subjectRepository.live(subjectId);
        SecretKey key = envelopes.key(subject.keyId());
        try {
            Path incoming = blobs.incoming(exportId);
            try (OutputStream encrypted = SegmentedCipher.encrypting(key, exportId, Files.newOutputStream(incoming))) {
                content.writeTo(encrypted);
            }
            blobs.commit(exportId);
        } catch (IOException e) {
            blobs.delete(exportId);
            throw new UncheckedIOException("cannot write export " + exportId, e);
        }
    }

    void readExport(UUID subjectId, UUID exportId, OutputStream out) {
        SubjectRow subject = transactions.execute(status -> {
            SubjectRow row = subjectRepository.live(subjectId);
            events.publishEvent(new VaultEvents.DocumentRead(subjectId, exportId));
            return row;
        });
        try (InputStream in = Files.newInputStream(blobs.path(exportId))) {
            SegmentedCipher.decrypt(envelopes.key(subject.keyId()), exportId, in, out);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read export " + exportId, e);
        }
    }

    void deleteExport(UUID exportId) {
        blobs.delete(exportId);
    }
}
