package no.personvern.subjects.web;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.UUID;
import no.personvern.Problems;
import no.personvern.catalog.DocumentKind;
import no.personvern.security.Callers;
import no.personvern.subjects.DocumentInfo;
import no.personvern.subjects.Vault;
import no.personvern.subjects.VaultRefusal;
import no.personvern.subjects.internal.Documents;
import org.apache.commons.fileupload2.core.FileItemInput;
import org.apache.commons.fileupload2.core.FileItemInputIterator;
import org.apache.commons.fileupload2.core.FileUploadException;
import org.apache.commons.fileupload2.jakarta.servlet6.JakartaServletFileUpload;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Documents uploaded in the mobile app (S16). The multipart body is read as a stream and the file
 * encrypted on the fly: no plaintext copy is written anywhere, nor held whole in memory. The form
 * fields {@code kind} and {@code system} (and optionally {@code activity}) come before {@code file}.
 */
@RestController
@RequestMapping("/api/v1/subjects/{id}/documents")
class DocumentController {

    private static final int MAX_FIELD = 200;

    record Stored(UUID id, Instant expiresAt) {
    }

    private final Vault vault;
    private final Documents documents;

    DocumentController(Vault vault, Documents documents) {
        this.vault = vault;
        this.documents = documents;
    }

    @PostMapping
    @PreAuthorize("hasAuthority('subjects:write')")
    ResponseEntity<Stored> upload(@PathVariable UUID id, HttpServletRequest request)
            throws IOException, HttpMediaTypeNotSupportedException {
        if (!JakartaServletFileUpload.isMultipartContent(request)) {
            throw new HttpMediaTypeNotSupportedException("expected multipart/form-data");
        }
        String kind = null;
        String system = null;
        String activity = null;
        DocumentInfo stored = null;
        try {
            FileItemInputIterator parts = new JakartaServletFileUpload<>().getItemIterator(request);
            while (parts.hasNext()) {
                FileItemInput part = parts.next();
                if (part.isFormField()) {
                    String value = field(part);
                    switch (part.getFieldName()) {
                        case "kind" -> kind = value;
                        case "system" -> system = value;
                        case "activity" -> activity = value;
                        default -> {
                        }
                    }
                } else if ("file".equals(part.getFieldName())) {
                    if (stored != null) {
                        throw VaultRefusal.invalid("file", "one file per upload");
                    }
                    Problems.Violations invalid = Problems.violations();
                    String kindGiven = kind;
                    DocumentKind documentKind = invalid.collect(() -> kind(kindGiven));
                    invalid.require(system != null, "system", "the form field 'system' must come before 'file'");
                    invalid.throwIfAny();
                    Callers.requireActingFor(system, "system");
                    try (InputStream content = part.getInputStream()) {
                        stored = vault.storeDocument(id, documentKind, system, activity, part.getContentType(), content);
                    }
                }
            }
        } catch (FileUploadException e) {
            throw VaultRefusal.badRequest("file", "the multipart body could not be read");
        }
        if (stored == null) {
            throw VaultRefusal.invalid("file", "a file part named 'file' is required");
        }
        return ResponseEntity.status(HttpStatus.CREATED).body(new Stored(stored.id(), stored.expiresAt()));
    }

    @GetMapping("/{documentId}")
    @PreAuthorize("hasAuthority('subjects:read')")
    void download(@PathVariable UUID id, @PathVariable UUID documentId, HttpServletResponse response)
            throws IOException {
        DocumentInfo document = documents.document(id, documentId);
        if (Callers.system().filter(system -> !system.equals(document.system())).isPresent()) {
            throw VaultRefusal.notFound(documentId);
        }
        response.setContentType(document.contentType());
        response.setContentLengthLong(document.size());
        response.setHeader("Content-Disposition", "attachment; filename=\"" + documentId + "\"");
        response.setHeader("Cache-Control", "no-store");
        response.setHeader("X-Content-Type-Options", "nosniff");
        documents.readDocument(id, documentId, response.getOutputStream());
    }

    private static DocumentKind kind(String kind) {
        if (kind == null) {
            throw VaultRefusal.invalid("kind", "the form field 'kind' (image, travel or voucher) must come before 'file'");
        }
        return DocumentKind.fromKey(kind)
                .orElseThrow(() -> VaultRefusal.invalid("kind", "unknown kind '" + kind + "' (image, travel or voucher)"));
    }

    private static String field(FileItemInput part) throws IOException {
        try (InputStream in = part.getInputStream()) {
            byte[] bytes = in.readNBytes(MAX_FIELD + 1);
            if (bytes.length > MAX_FIELD) {
                throw VaultRefusal.invalid(part.getFieldName(), "at most " + MAX_FIELD + " characters");
            }
            return new String(bytes, StandardCharsets.UTF_8).strip();
        }
    }
}
