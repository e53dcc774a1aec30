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

    PackageBuilder(Vault vault, Consents consents, Catalog catalog, Disclosures disclosures, AccessReport report) {
        this.vault = vault;
        this.consents = consents;
        this.catalog = catalog;
        this.disclosures = disclosures;
        this.report = report;
    }

    /**
     * Builds the package; returns true when the person also has data the company processes for a
     * customer (Art. 28(3)(e)): that data is the customer's to disclose and is left out.
     */
    boolean build(UUID requestId, RequestType type, UUID subjectId, Language language,
            List<PackageData.PastRequest> requests, UUID packageId, Instant now) {
        SubjectView held = vault.readForAccess(subjectId);
        List<SubjectView.StoredValue> own = held.data().stream().filter(value -> !processedForCustomer(value)).toList();
        boolean routed = own.size() < held.data().size();
        SubjectView person = new SubjectView(held.id(), held.identities(), own, held.documents());
        boolean portability = type == RequestType.PORTABILITY;
        List<Disclosure> disclosed = portability ? List.of() : disclosures.of(subjectId);
        List<SubjectView.StoredValue> values = portability ? provided(person.data()) : person.data();
        vault.writeExport(subjectId, packageId, out -> {
            try (ZipOutputStream zip = new ZipOutputStream(out, StandardCharsets.UTF_8)) {
                zip.putNextEntry(new ZipEntry("data.json"));
                ControllerDetails controller = catalog.controller();
                PackageData data = new PackageData(now.toString(),
                        new PackageData.Request(requestId.toString(), type.key()), new PackageData.Controller(controller.name(), controller.email()), person.identities(), values,
                        portability ? null : person.documents(), portability ? null : consents.history(subjectId),
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
                html.write(report.render(person, disclosed, language));
                html.flush();
                zip.closeEntry();
            }
        });
        return routed;
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
