package no.personvern.subjects;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.UUID;

/**
 * What a retention sweep sees of the vault (Art. 5(1)(e)): ids, categories, activities and times,
 * never the data itself. Candidates come in bounded pages ordered by time and id, so a sweep never
 * reads a table into memory. Values that are held (a retention exception, a restriction, an
 * erasure's hold) are left out of the candidates: they go when their hold ends.
 */
public interface Expiry {

    /**
     * A value or a document, with its data category (a document's is the one it was stored under;
     * null only for a document from before categories were stored that the catalog cannot resolve)
     * and the time that started its retention clock.
     */
    record Item(UUID id, UUID subjectId, String category, String activity, Instant at, boolean document) {
    }

    /** Where the previous page ended: the last item's time and id. */
    record Cursor(Instant at, UUID id) {
        public static final Cursor START = new Cursor(Instant.EPOCH, new UUID(0, 0));

        public static Cursor after(Item item) {
            return new Cursor(item.at(), item.id());
        }
    }

    /** Unheld values of an activity collected at or before {@code cutoff}. */
    List<Item> valuesCollectedBefore(String activity, Instant cutoff, Cursor after, int limit);

    /** Documents of an activity uploaded at or before {@code cutoff}. */
    List<Item> documentsUploadedBefore(String activity, Instant cutoff, Cursor after, int limit);

    /** The unheld values and the documents of these people in these activities. */
    List<Item> itemsOf(Collection<UUID> subjectIds, Collection<String> activities);

    /** Held values whose hold ended at or before {@code asOf} ({@code at} is the hold's end). */
    List<Item> holdsEndedBefore(Instant asOf, Cursor after, int limit);

    /** Deletes these values and documents (rows now, document files once committed); returns how many. */
    int delete(List<Item> items);

    /**
     * Destroys the hold keys of these people, if erased, that no kept value or document uses any
     * more: copies of the deleted rows in backups become unreadable too (crypto-shredding).
     */
    void destroyUnusedHoldKeys(Collection<UUID> subjectIds);

    /** Keeps these values and documents, restricted (stored only), until {@code until} because of {@code reason}. */
    void keep(List<Item> values, Hold.Reason reason, Instant until);

    /**
     * Erases the person if, with their row locked against concurrent writes, they still hold no
     * value and no document (crypto-shredding their identities); returns whether it did.
     */
    boolean eraseIfEmpty(UUID subjectId, List<Hold> holds);

    /** As {@link #eraseIfEmpty(UUID, List)}, under the holds the catalog requires now ({@link Hold#requiredBy}). */
    boolean eraseIfEmpty(UUID subjectId);

    /** Of these people, those not erased who hold no value and no document any more. */
    List<UUID> withoutData(Collection<UUID> subjectIds);

    /**
     * Live people whose own records in the vault show nothing after {@code cutoff}: created, last
     * written (a write or a rectification), every value collected, every document uploaded and every
     * identity added at or before it. By id after {@code after}, at most {@code limit}; nothing is decrypted.
     */
    List<UUID> quietSince(Instant cutoff, UUID after, int limit);

    /**
     * Erases the person if, with their row locked against concurrent writes, they hold no value, no
     * document and no identity but {@code identityId}: someone the vault knows only by that one
     * address (crypto-shredding it). Returns whether it did.
     */
    boolean eraseIfOnly(UUID subjectId, UUID identityId);

    /** Whether {@link #eraseIfOnly} would erase the person now (for a dry run). */
    boolean heldOnlyBy(UUID subjectId, UUID identityId);
}
