package no.personvern.subjects;

import java.io.InputStream;
import java.io.OutputStream;
import java.util.Collection;
import java.util.Optional;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import no.personvern.catalog.DocumentKind;

/** The vault of personal data. Every read and change is audited. */
public interface Vault {

    /** Creates a person, or merges into the one person the identities match (409 if they match two). */
    WriteResult write(SubjectWrite write);

    /**
     * Writes many people in one transaction, e.g. when a product's existing users are brought in:
     * all are validated first (nothing is written if one is invalid), new people are inserted in
     * batches, and writes that match someone already known merge as {@link #write} does.
     */
    List<WriteResult> writeAll(List<SubjectWrite> writes);

    /**
     * The latest verified e-mail address of each person, for a purpose such as telling them a
     * request was handled; each read is audited. People without one, or erased, are left out, and
     * so are restricted people (Art. 18) unless the purpose is {@link #RIGHTS_PURPOSE} or a
     * {@link #BREACH_PURPOSE}.
     */
    Map<UUID, String> emails(List<UUID> subjectIds, String purpose);

    /**
     * The person an e-mail address belongs to, for a request or a sign-up made with it: its
     * holder if the address is known (with whether it is verified for them — only a verified
     * address may find a person for the public), or else a new person holding only the address,
     * collected under {@code activity} of {@code system}. 422 for a malformed address.
     */
    EmailIdentity resolveEmail(String system, String activity, String email);

    /** Whether an e-mail address is in the one strict form the vault accepts (nothing is looked up). */
    boolean acceptsEmail(String email);

    /**
     * The address behind a handle from {@link #resolveEmail}, while the identity is held (an
     * erasure deletes it) and belongs to {@code subjectId}; audited as a read for {@code purpose}.
     */
    Optional<String> email(UUID subjectId, UUID identityId, String purpose);

    /**
     * The addresses behind many handles (handle → address), leaving out those no longer held and,
     * unless the purpose is {@link #RIGHTS_PURPOSE}, those of restricted people (Art. 18); audited.
     */
    Map<UUID, String> emailsByIdentity(Collection<UUID> identityIds, String purpose);

    /**
     * Stores a file made for the person (e.g. an access package), encrypted under their data key as
     * it is written: it is unreadable once they are erased. {@code content} writes the plaintext.
     */
    void writeExport(UUID subjectId, UUID exportId, ExportContent content);

    /** Writes the decrypted export to {@code out}; audited as a read. */
    void readExport(UUID subjectId, UUID exportId, OutputStream out);

    void deleteExport(UUID exportId);

    /** Produces an export's plaintext into the (encrypting) stream it is given. */
    @FunctionalInterface
    interface ExportContent {
        void writeTo(OutputStream out) throws java.io.IOException;
    }

    /**
     * Art. 16: corrects values the person holds (category → new value), in every system that holds
     * them; 422 for a category not held or a value that is blank or too long. Audited.
     */
    void rectify(UUID subjectId, Map<String, String> data);

    /** Whether a person with this id is held and not erased (reveals no personal data). */
    boolean isLive(UUID subjectId);

    /** Whether a person with this id was ever held, erased or not (reveals no personal data). */
    boolean exists(UUID subjectId);

    /** Art. 15: everything held, restricted values too (marked with their restriction); audited as a read. */
    SubjectView readForAccess(UUID subjectId);

    /** The person's identities only (e-mail, phone, external ids), without decrypting their data; audited as a read. */
    SubjectView.IdentityView identities(UUID subjectId);

    /**
     * The people with this identity: {@code email}, {@code phone} or {@code externalId} ({@code system:id});
     * a restricted person (Art. 18) is not found for new processing.
     */
    List<UUID> find(String kind, String value);

    /**
     * Streams an upload into encrypted storage, under the category the catalog gives the kind for the
     * activity ({@code activity} may be null: the system's only activity that takes documents).
     */
    DocumentInfo storeDocument(UUID subjectId, DocumentKind kind, String system, String activity, String contentType,
            InputStream content);

    /**
     * Art. 17: erases the person by destroying their data key (crypto-shredding) and deleting their
     * identities and documents, except values of held categories, which are re-encrypted under a
     * hold key and kept restricted. The other values are unreadable at once and deleted by
     * {@link #purgeErased()}, so an erasure takes the same time however much was held.
     */
    ErasureReport eraseSubject(UUID subjectId, List<Hold> holds);

    /** Art. 17: as {@link #eraseSubject(UUID, List)}, under the holds the catalog requires now ({@link Hold#requiredBy}). */
    ErasureReport eraseSubject(UUID subjectId);

    /**
     * Art. 18: restricts every value and document of the person, and the person as a whole: kept,
     * but no longer shown or used (reads leave them out, look-ups do not find them, writes are
     * refused); {@code reason} is recorded with each value. Consents stay recorded.
     */
    int restrict(UUID subjectId, Hold.Reason reason);

    /**
     * The values kept only for one purpose (a retention exception, a legal hold, a restriction, a
     * customer), decrypted for that purpose — a tax audit, a legal claim — and for nobody else's
     * use; {@code reason} is recorded in the audit entry. Works for an erased person too (what a
     * hold kept is under the hold's key). 404 for an unknown person.
     */
    List<RestrictedValue> restrictedValues(UUID subjectId, String reason);

    /** The Art. 18 restriction in force for the person (the request that asked for it), if any. */
    Optional<Hold.Reason.Restriction> restriction(UUID subjectId);

    /**
     * Art. 18(3): ends the person's restriction (values, documents and identities are usable
     * again) if {@code restriction} is the one in force ({@code null}: whichever is in force); the
     * caller has told the person first. Returns how many values were restricted.
     */
    int liftRestriction(UUID subjectId, Hold.Reason.Restriction restriction);

    /** Art. 18: whether the person is restricted (false if unknown or erased); reveals nothing else. */
    boolean isRestricted(UUID subjectId);

    /**
     * Writes a document's decrypted bytes for the person's own access package (Art. 15(3), 20):
     * restricted documents too, streamed, never whole in memory; audited as a read.
     */
    void copyDocumentForAccess(UUID subjectId, UUID documentId, OutputStream out);

    /** The e-mail purpose of the person's own rights (requests, Art. 18(3) notices): allowed while restricted. */
    String RIGHTS_PURPOSE = "privacy-request";

    /**
     * The e-mail purpose of telling a person of a breach that affects them (Art. 34), followed by
     * {@code :} and the breach's id: allowed while restricted, since Art. 34 protects them too.
     */
    String BREACH_PURPOSE = "breach-notification";

    /** Deletes the already unreadable values left behind by erasures; returns how many. */
    int purgeErased();

    /**
     * Keeps free text the person wrote (e.g. the message of a request), encrypted under their data
     * key, under {@code category} of {@code activity} and {@code system} (which the catalog must
     * declare); unreadable once they are erased. Returns the note's handle.
     */
    UUID writeNote(UUID subjectId, String system, String activity, String category, String text);

    /** The note's text while the person is held (empty once erased or deleted); audited as a read for {@code purpose}. */
    Optional<String> readNote(UUID subjectId, UUID noteId, String purpose);

    /** Deletes notes nobody needs any more (e.g. of a request that expired unverified). */
    void deleteNotes(java.util.Set<UUID> noteIds);

    /**
     * Art. 5(1)(e): deletes the notes under {@code activity} kept {@code after} their collection by
     * {@code asOf} (a dry run only counts them); returns how many.
     */
    int expireNotes(String activity, no.personvern.catalog.IsoPeriod after, java.time.Instant asOf, boolean dryRun,
            int limit);

    /** The activities under which values of the person are held and in use (not restricted); reveals no value. */
    java.util.Set<String> activitiesInUse(UUID subjectId);

    /**
     * Art. 21(1): an upheld objection stops one activity for the person: its values are restricted
     * with {@code reason}, and later writes under that activity for the person are refused (409).
     * Returns how many values were restricted.
     */
    int stopActivity(UUID subjectId, String activity, Hold.Reason reason);
}
