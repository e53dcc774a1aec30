package no.personvern.requests.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import no.personvern.catalog.Activity;
import no.personvern.catalog.Catalog;
import no.personvern.disclosures.Disclosure;
import no.personvern.disclosures.Disclosures;
import no.personvern.catalog.ControllerDetails;
import no.personvern.catalog.Language;
import no.personvern.catalog.LegalBasis;
import no.personvern.catalog.Processor;
import no.personvern.consent.Consents;
import no.personvern.requests.RequestType;
import no.personvern.subjects.SubjectView;
import no.personvern.subjects.Vault;
import org.springframework.stereotype.Component;
import org.springframework.web.util.HtmlUtils;
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

    private static final JsonMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT)
            .disable(StreamWriteFeature.AUTO_CLOSE_TARGET).build();

    private final Vault vault;
    private final Consents consents;
    private final Catalog catalog;

    private final Disclosures disclosures;

    PackageBuilder(Vault vault, Consents consents, Catalog catalog, Disclosures disclosures) {
        this.disclosures = disclosures;
        this.vault = vault;
        this.consents = consents;
        this.catalog = catalog;
    }

    /**
     * Builds the package; returns true when the person also has data the company processes for a
     * customer (Art. 28(3)(e)): that data is the customer's to disclose and is left out.
     */
    boolean build(UUID requestId, RequestType type, UUID subjectId, Language language,
            List<Map<String, Object>> requests, UUID packageId, Instant now) {
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
                Map<String, Object> data = new LinkedHashMap<>();
                data.put("generatedAt", now.toString());
                data.put("request", Map.of("id", requestId.toString(), "type", type.key()));
                data.put("controller", Map.of("name", catalog.controller().name(), "email", catalog.controller().email()));
                data.put("identities", person.identities());
                data.put("data", values);
                if (!portability) {
                    data.put("documents", person.documents());
                    data.put("consents", consents.history(subjectId));
                    data.put("requests", requests);
                    data.put("disclosures", disclosed);
                }
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
                html.write(report(person, disclosed, language));
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

    private String report(SubjectView person, List<Disclosure> disclosed, Language language) {
        boolean nb = language == Language.NB;
        Set<String> activityKeys = new LinkedHashSet<>();
        person.data().forEach(value -> activityKeys.add(value.activity()));
        List<Activity> activities = activityKeys.stream().map(key -> catalog.activity(key).orElse(null))
                .filter(a -> a != null).toList();
        ControllerDetails controller = catalog.controller();
        StringBuilder html = new StringBuilder();
        html.append("<!DOCTYPE html><html lang=\"").append(language.code()).append("\"><head><meta charset=\"utf-8\">")
                .append("<title>").append(nb ? "Innsyn" : "Access").append(" – ").append(esc(controller.name()))
                .append("</title></head><body><h1>").append(nb ? "Opplysninger vi har om deg" : "The data we hold about you")
                .append("</h1><p>").append(esc(controller.name())).append(" · ").append(esc(controller.email()))
                .append("</p>");
        section(html, "a", nb ? "Formål og rettslig grunnlag" : "Purposes and legal basis");
        html.append("<ul>");
        for (Activity activity : activities) {
            html.append("<li><strong>").append(esc(activity.name().in(language))).append("</strong>: ")
                    .append(esc(String.join(", ", activity.purposes().stream()
                            .map(p -> catalog.taxonomy().useName(p, language)).toList())))
                    .append(" (").append(activity.legalBasis().key()).append(", GDPR ")
                    .append(activity.legalBasis().article()).append(")</li>");
        }
        html.append("</ul>");
        section(html, "b", nb ? "Kategorier av opplysninger" : "Categories of data");
        Set<String> categories = new LinkedHashSet<>();
        person.data().forEach(value -> categories.add(catalog.taxonomy().categoryName(value.category(), language)));
        list(html, List.copyOf(categories));
        section(html, "c", nb ? "Mottakere" : "Recipients");
        List<String> recipients = new ArrayList<>();
        List<String> transfers = new ArrayList<>();
        for (Activity activity : activities) {
            for (String key : activity.recipients()) {
                Processor processor = catalog.processor(key).orElseThrow();
                String line = processor.name() + " – " + processor.service().in(language) + " ("
                        + String.join(", ", processor.countries()) + ")";
                if (!recipients.contains(line)) {
                    recipients.add(line);
                }
                List<String> third = processor.thirdCountries();
                if (!third.isEmpty()) {
                    transfers.add(processor.name() + ": " + String.join(", ", third) + " – "
                            + processor.transferMechanism().key());
                }
            }
            activity.recipientCategories().forEach(c -> recipients.add(c.in(language)));
        }
        list(html, recipients.isEmpty() ? List.of(nb ? "Ingen" : "None") : recipients);
        if (!disclosed.isEmpty()) {
            html.append("<p>").append(nb ? "Utleveringer av dine opplysninger:" : "Disclosures of your data:")
                    .append("</p>");
            list(html, disclosed.stream().map(d -> d.disclosedAt().toString().substring(0, 10) + ": "
                    + d.recipientName() + " – " + String.join(", ", d.dataCategories().stream()
                            .map(c -> catalog.taxonomy().categoryName(c, language)).toList())
                    + " (" + basisName(d.basis(), nb) + ", " + d.reference() + ")").toList());
        }
        html.append("<p>").append(nb ? "Overføringer utenfor EØS og garantier (art. 15 nr. 2): "
                : "Transfers outside the EEA and safeguards (Art. 15(2)): ")
                .append(esc(transfers.isEmpty() ? (nb ? "ingen" : "none") : String.join("; ", transfers))).append("</p>");
        section(html, "d", nb ? "Hvor lenge opplysningene lagres" : "How long the data is kept");
        list(html, activities.stream().map(a -> a.name().in(language) + ": " + a.retention().describe(language)).toList());
        section(html, "e", nb ? "Dine rettigheter" : "Your rights");
        html.append("<p>").append(nb
                ? "Du kan be om retting, sletting eller begrensning av behandlingen, og protestere mot behandlingen"
                        + " (art. 16–18 og 21). Protest mot direkte markedsføring fører alltid til at den stanses."
                : "You can ask for rectification, erasure or restriction of processing, and object to processing"
                        + " (Art. 16–18 and 21). An objection to direct marketing always stops it.")
                .append("</p>");
        section(html, "f", nb ? "Klage" : "Complaint");
        html.append("<p>").append(nb ? "Du kan klage til " : "You can complain to ")
                .append(esc(controller.supervisoryAuthority().name())).append(" (")
                .append(esc(controller.supervisoryAuthority().url())).append(").</p>");
        section(html, "g", nb ? "Hvor opplysningene kommer fra" : "Where the data comes from");
        Set<String> sources = new LinkedHashSet<>();
        person.data().forEach(value -> sources.add(catalog.system(value.system())
                .map(s -> s.name().in(language)).orElse(value.system())));
        list(html, List.copyOf(sources));
        section(html, "h", nb ? "Automatiserte avgjørelser" : "Automated decisions");
        html.append("<p>").append(nb ? "Vi tar ingen avgjørelser om deg som bare bygger på automatisert behandling."
                : "We make no decisions about you based solely on automated processing.").append("</p>");
        html.append("</body></html>");
        return html.toString();
    }

    private static String basisName(String basis, boolean nb) {
        return switch (basis) {
            case "dpa" -> nb ? "databehandleravtale" : "data processing agreement";
            case "court-order" -> nb ? "rettslig kjennelse" : "court order";
            case "law" -> nb ? "lov" : "law";
            default -> nb ? "forskrift" : "regulation";
        };
    }

    private static void section(StringBuilder html, String letter, String title) {
        html.append("<h2>").append(esc(title)).append(" <small>(art. 15 nr. 1 bokstav ").append(letter)
                .append(")</small></h2>");
    }

    private static void list(StringBuilder html, List<String> items) {
        html.append("<ul>");
        items.forEach(item -> html.append("<li>").append(esc(item)).append("</li>"));
        html.append("</ul>");
    }

    private static String esc(String text) {
        return HtmlUtils.htmlEscape(text == null ? "" : text);
    }

    private static String cell(String value) {
        String text = value.isEmpty() || "=+-@".indexOf(value.charAt(0)) < 0 ? value : "'" + value;
        return "\"" + text.replace("\"", "\"\"") + "\"";
    }
}
