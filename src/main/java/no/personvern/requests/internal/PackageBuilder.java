package no.personvern.requests.internal;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.List;
import java.util.UUID;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import no.personvern.catalog.Activity;
import no.personvern.catalog.Catalog;
import no.personvern.catalog.ControllerDetails;
import no.personvern.disclosures.Disclosure;
import no.personvern.disclosures.Disclosures;
import no.personvern.catalog.Language;
import no.personvern.catalog.LegalBasis;
import no.personvern.consent.ConsentRecord;
import no.personvern.consent.Consents;
import no.personvern.consent.Subscriptions;
import no.personvern.disclosures.DisclosureBasis;
import no.personvern.requests.RequestType;
import no.personvern.subjects.DocumentInfo;
import no.personvern.subjects.SubjectView;
import no.personvern.subjects.Vault;
import org.springframework.stereotype.Component;
import tools.jackson.core.StreamWriteFeature;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * The access package (Art. 15) and the portability package (Art. 20): a ZIP written straight into
 * the vault's encrypting stream, never whole in memory and never in plaintext on disk.
 * {@code data.json} holds everything (or, for portability, what the person provided under consent
 * or contract, also as {@code data.csv}); {@code report.html} answers Art. 15(1)(a)–(h) and 15(2).
 */
@Component
class PackageBuilder {

    /** {@code data.json}: what the package holds; a portability package leaves out what the person did not provide. */
    @JsonPropertyOrder({"generatedAt", "request", "controller", "identities", "data", "documents", "consents", "requests",
            "disclosures"})
    record PackageData(String generatedAt, Request request, Controller controller, SubjectView.IdentityView identities,
            List<SubjectView.StoredValue> data,
            @JsonInclude(JsonInclude.Include.NON_NULL) List<DocumentInfo> documents,
            @JsonInclude(JsonInclude.Include.NON_NULL) List<ConsentRecord> consents,
            @JsonInclude(JsonInclude.Include.NON_NULL) List<PastRequest> requests,
            @JsonInclude(JsonInclude.Include.NON_NULL) List<Disclosure> disclosures) {

        @JsonPropertyOrder({"id", "type"})
        record Request(String id, String type) {
        }

        @JsonPropertyOrder({"name", "email"})
        record Controller(String name, String email) {
        }

        /** One of the person's requests, as the package lists them. */
        @JsonPropertyOrder({"id", "type", "status", "channel", "receivedAt", "dueAt"})
        record PastRequest(String id, String type, String status, String channel, String receivedAt, String dueAt) {
        }
    }

    private static final JsonMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT)
            .disable(StreamWriteFeature.AUTO_CLOSE_TARGET).build();

    private final Vault vault;
    private final Consents consents;
    private final Catalog catalog;
    private final Disclosures disclosures;
    private final AccessReport report;
    private final Subscriptions subscriptions;

    PackageBuilder(Vault vault, Consents consents, Catalog catalog, Disclosures disclosures, AccessReport report,
            Subscriptions subscriptions) {
        this.vault = vault;
        this.subscriptions = subscriptions;
        this.consents = consents;
        this.catalog = catalog;
        this.disclosures = disclosures;
        this.report = report;
    }

    /**
     * What a package must leave out, by the DPO's decision at review: {@code item} is
     * {@code disclosure:<id>} or {@code category:<key>}; {@code reason} is told to the person.
     */
    record Withheld(String item, String reason) {
    }

    /**
     * Art. 15(4), personopplysningsloven § 16: why an access package must wait for the DPO's
     * review — each disclosure to an authority ({@code disclosure:<id>}) and each category of free
     * text others wrote about the person ({@code category:<key>}, marked {@code writtenByOthers}
     * in the catalog's taxonomy). Empty when it need not wait (always for portability: Art. 20
     * covers only what the person provided).
     */
    List<String> reviewItems(RequestType type, UUID subjectId) {
        if (type != RequestType.ACCESS) {
            return List.of();
        }
        Set<String> items = new LinkedHashSet<>();
        disclosures.of(subjectId).stream().filter(d -> d.basis() != DisclosureBasis.DPA)
                .forEach(d -> items.add("disclosure:" + d.id()));
        boolean othersWrite = catalog.activities().stream().flatMap(activity -> activity.dataCategories().stream())
                .anyMatch(category -> catalog.taxonomy().writtenByOthers(category));
        if (othersWrite) {
            // Only a catalog with such categories pays for reading what the person holds here.
            SubjectView held = vault.readForAccess(subjectId);
            held.data().stream().map(SubjectView.StoredValue::category)
                    .filter(category -> catalog.taxonomy().writtenByOthers(category))
                    .forEach(category -> items.add("category:" + category));
            held.documents().stream().map(DocumentInfo::category)
                    .filter(category -> category != null && catalog.taxonomy().writtenByOthers(category))
                    .forEach(category -> items.add("category:" + category));
        }
        return List.copyOf(items);
    }

    /**
     * Builds the package; returns true when the person also has data the company processes for a
     * customer (Art. 28(3)(e)): that data is the customer's to disclose and is left out. What the DPO
     * withheld at review is left out too, and the report says so with the reasons.
     */
    boolean build(UUID requestId, RequestType type, UUID subjectId, Language language,
            List<PackageData.PastRequest> requests, UUID packageId, Instant now) {
        return build(requestId, type, subjectId, language, requests, packageId, now, List.of());
    }

    boolean build(UUID requestId, RequestType type, UUID subjectId, Language language,
            List<PackageData.PastRequest> requests, UUID packageId, Instant now, List<Withheld> withheld) {
        Set<String> withheldItems = new HashSet<>();
        withheld.forEach(w -> withheldItems.add(w.item()));
        SubjectView held = vault.readForAccess(subjectId);
        List<SubjectView.StoredValue> own = held.data().stream().filter(value -> !processedForCustomer(value))
                .filter(value -> !withheldItems.contains("category:" + value.category())).toList();
        boolean routed = held.data().stream().anyMatch(this::processedForCustomer);
        boolean portability = type == RequestType.PORTABILITY;
        List<DocumentInfo> documents = held.documents().stream()
                .filter(d -> d.activity() == null || catalog.activity(d.activity())
                        .map(a -> a.role() != no.personvern.catalog.Role.PROCESSOR).orElse(true))
                .filter(d -> d.category() == null || !withheldItems.contains("category:" + d.category()))
                .filter(d -> !portability || provided(d.activity()))
                .toList();
        SubjectView person = new SubjectView(held.id(), held.identities(), own, documents);
        List<Disclosure> disclosed = portability ? List.of() : disclosures.of(subjectId).stream()
                .filter(d -> !withheldItems.contains("disclosure:" + d.id())).toList();
        List<SubjectView.StoredValue> values = portability ? provided(person.data()) : person.data();
        List<ConsentRecord> consentHistory = consents.history(subjectId);
        List<String> lists = subscriptions.activeLists(subjectId);
        Map<UUID, String> files = new LinkedHashMap<>();
        documents.forEach(d -> files.put(d.id(), "documents/" + d.id() + extension(d.contentType())));
        AccessReport.Held contents = new AccessReport.Held(portability ? new SubjectView(person.id(),
                person.identities(), values, documents) : person, disclosed, consentHistory, lists, files,
                requests, withheld, now, type.key());
        vault.writeExport(subjectId, packageId, out -> {
            try (ZipOutputStream zip = new ZipOutputStream(out, StandardCharsets.UTF_8)) {
                zip.putNextEntry(new ZipEntry("data.json"));
                ControllerDetails controller = catalog.controller();
                PackageData data = new PackageData(now.toString(),
                        new PackageData.Request(requestId.toString(), type.key()), new PackageData.Controller(controller.name(), controller.email()), person.identities(), values,
                        portability ? documents : person.documents(), portability ? null : consentHistory,
                        portability ? null : requests, portability ? null : disclosed);
                JSON.writeValue(zip, data);
                zip.closeEntry();
                if (portability) {
                    zip.putNextEntry(new ZipEntry("data.csv"));
                    Writer csv = new OutputStreamWriter(zip, StandardCharsets.UTF_8);
                    csv.write("category,value,system,activity,collectedAt\r\n");
                    for (SubjectView.StoredValue value : values) {
                        csv.write(String.join(",", cell(value.category()), cell(value.value()), cell(value.system()),
                                cell(value.activity()), cell(value.collectedAt().toString())) + "\r\n");
                    }
                    csv.flush();
                    zip.closeEntry();
                }
                zip.putNextEntry(new ZipEntry("report.html"));
                Writer html = new OutputStreamWriter(zip, StandardCharsets.UTF_8);
                report.render(contents, language, html);
                html.flush();
                zip.closeEntry();
                // Art. 15(3), 20: the uploaded files themselves, decrypted by the vault straight into the ZIP.
                for (Map.Entry<UUID, String> file : files.entrySet()) {
                    zip.putNextEntry(new ZipEntry(file.getValue()));
                    vault.copyDocumentForAccess(subjectId, file.getKey(), new NoClose(zip));
                    zip.closeEntry();
                }
            }
        });
        return routed;
    }

    /** Keeps the ZIP open when the vault closes the stream it copied a document into. */
    private static final class NoClose extends java.io.FilterOutputStream {
        NoClose(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void close() throws IOException {
            out.flush();
        }
    }

    private static String extension(String contentType) {
        return switch (contentType == null ? "" : contentType) {
            case "image/jpeg" -> ".jpg";
            case "image/png" -> ".png";
            case "image/gif" -> ".gif";
            case "image/heic" -> ".heic";
            case "application/pdf" -> ".pdf";
            case "text/plain" -> ".txt";
            default -> ".bin";
        };
    }

    private boolean provided(String activity) {
        LegalBasis basis = activity == null ? null : catalog.activity(activity).map(Activity::legalBasis).orElse(null);
        return basis == LegalBasis.CONSENT || basis == LegalBasis.CONTRACT;
    }

    private boolean processedForCustomer(SubjectView.StoredValue value) {
        return catalog.activity(value.activity()).map(a -> a.role() == no.personvern.catalog.Role.PROCESSOR).orElse(false);
    }

    /** Art. 20(1): data the person provided, processed under consent or contract. */
    private List<SubjectView.StoredValue> provided(List<SubjectView.StoredValue> values) {
        List<SubjectView.StoredValue> provided = new ArrayList<>();
        for (SubjectView.StoredValue value : values) {
            LegalBasis basis = catalog.activity(value.activity()).map(Activity::legalBasis).orElse(null);
            if (basis == LegalBasis.CONSENT || basis == LegalBasis.CONTRACT) {
                provided.add(value);
            }
        }
        return provided;
    }

    private static String cell(String value) {
        String text = value.isEmpty() || "=+-@".indexOf(value.charAt(0)) < 0 ? value : "'" + value;
        return "\"" + text.replace("\"", "\"\"") + "\"";
    }
}
