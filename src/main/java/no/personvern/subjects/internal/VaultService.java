package no.personvern.subjects.internal;

import java.io.InputStream;
import java.io.OutputStream;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import no.personvern.catalog.DocumentKind;
import no.personvern.subjects.DocumentInfo;
import no.personvern.subjects.EmailIdentity;
import no.personvern.subjects.ErasureReport;
import no.personvern.subjects.Hold;
import no.personvern.subjects.RestrictedValue;
import no.personvern.subjects.SubjectView;
import no.personvern.subjects.SubjectView.IdentityView;
import no.personvern.subjects.SubjectWrite;
import no.personvern.subjects.Vault;
import no.personvern.subjects.WriteResult;
import org.springframework.stereotype.Service;

/** The vault's facade: each operation is carried out by the part of the vault it belongs to. */
@Service
class VaultService implements Vault {

    private final SubjectWriter writer;
    private final BulkImport bulkImport;
    private final Reads reads;
    private final Exports exports;
    private final Documents documents;
    private final Erasure erasure;
    private final Notes notes;
    private final ValueRepository values;

    VaultService(SubjectWriter writer, BulkImport bulkImport, Reads reads, Exports exports, Documents documents,
            Erasure erasure, Notes notes, ValueRepository values) {
        this.notes = notes;
        this.values = values;
        this.writer = writer;
        this.bulkImport = bulkImport;
        this.reads = reads;
        this.exports = exports;
        this.documents = documents;
        this.erasure = erasure;
    }

    @Override
    public WriteResult write(SubjectWrite write) {
        return writer.write(write);
    }

    @Override
    public List<WriteResult> writeAll(List<SubjectWrite> writes) {
        return bulkImport.writeAll(writes);
    }

    @Override
    public Map<UUID, String> emails(List<UUID> subjectIds, String purpose) {
        return reads.emails(subjectIds, purpose);
    }

    @Override
    public EmailIdentity resolveEmail(String system, String activity, String email) {
        return writer.resolveEmail(system, activity, email);
    }

    @Override
    public boolean acceptsEmail(String email) {
        return email != null && Normalization.email(email).isPresent();
    }

    @Override
    public Optional<String> email(UUID subjectId, UUID identityId, String purpose) {
        return reads.email(subjectId, identityId, purpose);
    }

    @Override
    public Map<UUID, String> emailsByIdentity(Collection<UUID> identityIds, String purpose) {
        return reads.emailsByIdentity(identityIds, purpose);
    }

    @Override
    public void writeExport(UUID subjectId, UUID exportId, ExportContent content) {
        exports.writeExport(subjectId, exportId, content);
    }

    @Override
    public void readExport(UUID subjectId, UUID exportId, OutputStream out) {
        exports.readExport(subjectId, exportId, out);
    }

    @Override
    public void deleteExport(UUID exportId) {
        exports.deleteExport(exportId);
    }

    @Override
    public boolean isLive(UUID subjectId) {
        return reads.isLive(subjectId);
    }

    @Override
    public boolean exists(UUID subjectId) {
        return reads.exists(subjectId);
    }

    @Override
    public SubjectView readForAccess(UUID subjectId) {
        return reads.readForAccess(subjectId);
    }

    @Override
    public IdentityView identities(UUID subjectId) {
        return reads.identities(subjectId);
    }

    @Override
    public List<UUID> find(String kind, String value) {
        return reads.find(kind, value);
    }

    @Override
    public DocumentInfo storeDocument(UUID subjectId, DocumentKind kind, String system, String activity,
            String contentType, InputStream content) {
        return documents.storeDocument(subjectId, kind, system, activity, contentType, content);
    }

    @Override
    public ErasureReport eraseSubject(UUID subjectId, List<Hold> holds) {
        return erasure.eraseSubject(subjectId, holds);
    }

    @Override
    public ErasureReport eraseSubject(UUID subjectId) {
        return erasure.eraseSubject(subjectId);
    }

    @Override
    public int restrict(UUID subjectId, Hold.Reason reason) {
        return erasure.restrict(subjectId, reason);
    }

    @Override
    public List<RestrictedValue> restrictedValues(UUID subjectId, String reason) {
        return reads.restrictedValues(subjectId, reason);
    }

    @Override
    public Optional<Hold.Reason.Restriction> restriction(UUID subjectId) {
        return erasure.restriction(subjectId);
    }

    @Override
    public int liftRestriction(UUID subjectId, Hold.Reason.Restriction restriction) {
        return erasure.liftRestriction(subjectId, restriction);
    }

    @Override
    public boolean isRestricted(UUID subjectId) {
        return erasure.isRestricted(subjectId);
    }

    @Override
    public void copyDocumentForAccess(UUID subjectId, UUID documentId, OutputStream out) {
        documents.copyForAccess(subjectId, documentId, out);
    }

    @Override
    public int purgeErased() {
        return erasure.purgeErased();
    }

    @Override
    public UUID writeNote(UUID subjectId, String system, String activity, String category, String text) {
        return notes.write(subjectId, system, activity, category, text);
    }

    @Override
    public Optional<String> readNote(UUID subjectId, UUID noteId, String purpose) {
        return notes.read(subjectId, noteId, purpose);
    }

    @Override
    public void deleteNotes(java.util.Set<UUID> noteIds) {
        notes.delete(noteIds);
    }

    @Override
    public int expireNotes(String activity, no.personvern.catalog.IsoPeriod after, java.time.Instant asOf,
            boolean dryRun, int limit) {
        return notes.expire(activity, after, asOf, dryRun, limit);
    }

    @Override
    public java.util.Set<String> activitiesInUse(UUID subjectId) {
        return values.activitiesInUse(subjectId);
    }

    @Override
    public int stopActivity(UUID subjectId, String activity, Hold.Reason reason) {
        return erasure.stopActivity(subjectId, activity, reason);
    }

    @Override
    public void rectify(UUID subjectId, Map<String, String> data) {
        writer.rectify(subjectId, data);
    }
}
