package no.personvern.subjects.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Consumer;
import javax.crypto.SecretKey;
import no.personvern.catalog.Catalog;
import no.personvern.subjects.ErasureReport;
import no.personvern.subjects.Hold;
import no.personvern.subjects.VaultEvents;
import no.personvern.subjects.internal.DocumentRepository.DocumentRow;
import no.personvern.subjects.internal.SubjectRepository.SubjectRow;
import no.personvern.subjects.internal.ValueRepository.ValueRow;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Art. 17 and 18: erasure by crypto-shredding, keeping what a hold requires re-encrypted under a
 * hold key, restriction, and the purge of what erasures left unreadable.
 */
@Component
class Erasure {

    private final SubjectRepository subjectRepository;
    private final IdentityRepository identityRepository;
    private final ValueRepository valueRepository;
    private final DocumentRepository documentRepository;
    private final Envelopes envelopes;
    private final BlobStore blobs;
    private final BlobDeletions deletions;
    private final Catalog catalog;
    private final ApplicationEventPublisher events;
    private final TransactionTemplate transactions;
    private final Clock clock;

    Erasure(SubjectRepository subjectRepository, IdentityRepository identityRepository,
            ValueRepository valueRepository, DocumentRepository documentRepository, Envelopes envelopes,
            BlobStore blobs, BlobDeletions deletions, Catalog catalog, ApplicationEventPublisher events,
            TransactionTemplate transactions, Clock clock) {
        this.subjectRepository = subjectRepository;
        this.identityRepository = identityRepository;
        this.valueRepository = valueRepository;
        this.documentRepository = documentRepository;
        this.envelopes = envelopes;
        this.blobs = blobs;
        this.deletions = deletions;
        this.catalog = catalog;
        this.events = events;
        this.transactions = transactions;
        this.clock = clock;
    }

    /** Erases the person under the holds the catalog requires now. */
    ErasureReport eraseSubject(UUID subjectId) {
        return eraseSubject(subjectId, requiredHolds());
    }

    /** The holds the catalog requires on an erasure now ({@link Hold#requiredBy}). */
    List<Hold> requiredHolds() {
        return Hold.requiredBy(catalog, clock.instant());
    }

    ErasureReport eraseSubject(UUID subjectId, List<Hold> holds) {
        return transactions.execute(status -> {
            SubjectRow subject = subjectRepository.lockLive(subjectId);
            SecretKey key = envelopes.key(subject.keyId());
            Map<Hold, KeyStore.DataKey> holdKeys = new HashMap<>();
            Map<String, ErasureReport.Kept> kept = new LinkedHashMap<>();
            Set<String> heldCategories = new TreeSet<>();
            holds.forEach(hold -> heldCategories.addAll(hold.categories()));
            Instant now = Timestamps.now(clock);
            // Only the values a hold keeps are touched: the rest is shredded by destroying the key, so
            // the time an erasure takes does not grow with how much is held about the person. A value
            // already restricted is still under the person's key, so it is kept (or shredded) the same way.
            for (ValueRow value : valueRepository.valuesUnderKey(subjectId, subject.keyId(), heldCategories)) {
                Hold hold = holds.stream().filter(h -> h.covers(value.category(), value.activity())).findFirst()
                        .orElse(null);
                Instant until = hold == null ? null : hold.untilFor(value.collectedAt());
                if (hold == null || (until != null && !until.isAfter(now))) {
                    continue;
                }
                KeyStore.DataKey holdKey = holdKeys.computeIfAbsent(hold,
                        h -> envelopes.createHoldKey(subjectId, h.reason()));
                valueRepository.hold(value.id(), holdKey.id(), envelopes.reseal(subjectId, value, key, holdKey.key()),
                        hold.reason(), until);
                kept.merge(value.category() + "|" + hold.reason().stored(), new ErasureReport.Kept(value.category(),
                        hold.reason().stored(), until), (a, b) -> a.until() == null || (b.until() != null
                                && !b.until().isAfter(a.until())) ? a : b);
            }
            Set<String> erased = new TreeSet<>(valueRepository.categoriesUnderKey(subjectId, subject.keyId()));
            if (!identityRepository.identities(subjectId).isEmpty()) {
                erased.add("identities");
            }
            identityRepository.deleteIdentities(subjectId);
            List<DocumentRow> documents = new ArrayList<>();
            List<UUID> heldDocuments = new ArrayList<>();
            for (DocumentRow document : documentRepository.documents(subjectId)) {
                String category = document.category();
                Hold hold = category == null ? null : holds.stream()
                        .filter(h -> h.covers(category, document.activity())).findFirst().orElse(null);
                Instant until = hold == null ? null : hold.untilFor(document.uploadedAt());
                if (hold == null || (until != null && !until.isAfter(now))) {
                    documents.add(document);
                    continue;
                }
                // Kept like a value: re-encrypted under the hold key, streamed, never in plain text on disk.
                KeyStore.DataKey holdKey = holdKeys.computeIfAbsent(hold,
                        h -> envelopes.createHoldKey(subjectId, h.reason()));
                reencrypt(document.id(), key, holdKey.key());
                documentRepository.holdDocument(document.id(), holdKey.id(), hold.reason(), until);
                heldDocuments.add(document.id());
                kept.merge(category + "|" + hold.reason().stored(), new ErasureReport.Kept(category,
                        hold.reason().stored(), until),
                        (a, b) -> a.until() == null || (b.until() != null && !b.until().isAfter(a.until())) ? a : b);
            }
            // The files of the documents not kept go after the commit, queued (BlobDeletions) in this transaction.
            deletions.queue(documents.stream().map(DocumentRow::id).toList());
            documentRepository.deleteDocumentsExcept(subjectId, heldDocuments);
            subjectRepository.markErased(subjectId, Timestamps.now(clock));
            envelopes.destroy(subject.keyId());
            onCompletion(committed -> {
                if (committed) {
                    heldDocuments.forEach(this::swapIn);
                } else {
                    heldDocuments.forEach(blobs::discardIncoming);
                }
            });
            if (!documents.isEmpty()) {
                deletions.wakeAfterCommit();
            }
            events.publishEvent(new VaultEvents.SubjectErased(subjectId, List.copyOf(erased), documents.size(),
                    kept.values().stream().map(k -> k.category() + " (" + k.reason() + ")").toList()));
            return new ErasureReport(subjectId, List.copyOf(erased), documents.size(), List.copyOf(kept.values()));
        });
    }

    int restrict(UUID subjectId, Hold.Reason reason) {
        return transactions.execute(status -> {
            SubjectRow subject = subjectRepository.lockLive(subjectId);
            String before = subject.restrictedBy();
            if (reason instanceof Hold.Reason.Restriction && before != null
                    && before.startsWith(Hold.Reason.Restriction.PREFIX) && !before.equals(reason.stored())) {
                // Art. 18: the latest request is the restriction in force; a lift decided on the
                // earlier one (Art. 18(3)) does not end it.
                subjectRepository.retag(subjectId, before, reason.stored());
                documentRepository.retag(subjectId, before, reason.stored());
                valueRepository.retag(subjectId, before, reason.stored());
            }
            subjectRepository.restrict(subjectId, reason.stored());
            documentRepository.restrictAll(subjectId, reason);
            int restricted = valueRepository.restrictAll(subjectId, reason);
            events.publishEvent(new VaultEvents.SubjectRestricted(subjectId, reason.stored(), restricted));
            return restricted;
        });
    }

    /** The Art. 18 restriction in force for the person, if any (404 unknown, 410 erased). */
    Optional<Hold.Reason.Restriction> restriction(UUID subjectId) {
        SubjectRow subject = subjectRepository.live(subjectId);
        if (subject.restrictedBy() != null && subject.restrictedBy().startsWith(Hold.Reason.Restriction.PREFIX)) {
            return Optional.of(new Hold.Reason.Restriction(UUID.fromString(
                    subject.restrictedBy().substring(Hold.Reason.Restriction.PREFIX.length()))));
        }
        return valueRepository.values(subjectId).stream().map(ValueRow::heldBy)
                .filter(Hold.Reason.Restriction.class::isInstance).map(Hold.Reason.Restriction.class::cast).findFirst();
    }

    /**
     * Art. 18(3): ends every Art. 18 restriction of the person — values, documents and the person
     * as a whole. Values a retention exception, a legal hold or a customer keeps stay as they are.
     */
    int liftRestriction(UUID subjectId, Hold.Reason.Restriction only) {
        return transactions.execute(status -> {
            subjectRepository.lockLive(subjectId);
            String restriction = restriction(subjectId).map(Hold.Reason::stored).orElse(null);
            if (restriction == null || (only != null && !only.stored().equals(restriction))) {
                return 0;
            }
            String prefix = Hold.Reason.Restriction.PREFIX;
            subjectRepository.unrestrict(subjectId, prefix);
            documentRepository.unrestrict(subjectId, prefix);
            int values = valueRepository.unrestrict(subjectId, prefix);
            events.publishEvent(new VaultEvents.RestrictionLifted(subjectId, restriction, values));
            return values;
        });
    }

    /** Art. 18: whether the person as a whole is restricted; false if unknown or erased. */
    boolean isRestricted(UUID subjectId) {
        return subjectRepository.subject(subjectId)
                .filter(subject -> subject.erasedAt() == null && subject.restrictedBy() != null).isPresent();
    }

    /** Art. 21(1): restricts the person's values of one activity (an upheld objection); audited. */
    int stopActivity(UUID subjectId, String activity, Hold.Reason reason) {
        return transactions.execute(status -> {
            subjectRepository.lockLive(subjectId);
            int restricted = valueRepository.restrictActivity(subjectId, activity, reason);
            documentRepository.restrictActivity(subjectId, activity, reason);
            events.publishEvent(new VaultEvents.SubjectRestricted(subjectId, reason.stored(), restricted));
            return restricted;
        });
    }

    /**
     * Deletes, in batches, the values of erased people that no hold keeps. They are unreadable
     * already (their key is destroyed); this frees the space. Runs every minute by itself.
     */
    @Scheduled(fixedDelayString = "${personvern.vault.purge-interval:PT1M}")
    public int purgeErased() {
        int total = 0;
        int deleted;
        do {
            deleted = valueRepository.purgeErasedValues(1000);
            total += deleted;
        } while (deleted == 1000);
        return total;
    }

    /** Re-encrypts a document's blob from one key to another into its incoming file; swapped in on commit. */
    private void reencrypt(UUID documentId, SecretKey from, SecretKey to) {
        try (InputStream in = Files.newInputStream(blobs.path(documentId));
                OutputStream out = Files.newOutputStream(blobs.incoming(documentId));
                OutputStream encrypting = SegmentedCipher.encrypting(to, documentId, out)) {
            SegmentedCipher.decrypt(from, documentId, in, encrypting);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot re-encrypt document " + documentId, e);
        }
    }

    private void swapIn(UUID documentId) {
        try {
            blobs.commit(documentId);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot swap in the re-encrypted document " + documentId, e);
        }
    }

    private static void onCompletion(Consumer<Boolean> action) {
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCompletion(int status) {
                    action.accept(status == STATUS_COMMITTED);
                }
            });
        } else {
            action.accept(true);
        }
    }
}
