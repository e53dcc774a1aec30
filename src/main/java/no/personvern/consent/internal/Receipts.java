package no.personvern.consent.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import no.personvern.PersonvernProperties;
import no.personvern.catalog.Activity;
import no.personvern.catalog.Catalog;
import no.personvern.catalog.ControllerDetails;
import no.personvern.catalog.Language;
import no.personvern.catalog.LegalBasis;
import no.personvern.catalog.Processor;
import no.personvern.consent.ConsentRecord;
import org.springframework.stereotype.Component;

/**
 * Consent receipts in the structure of ISO/IEC TS 27560:2023 (after the Kantara Consent Receipt):
 * a header, the processing consented to (from the catalog), the parties and the events.
 */
@Component
class Receipts {

    private final Catalog catalog;
    private final String baseUrl;

    Receipts(Catalog catalog, PersonvernProperties site) {
        this.catalog = catalog;
        this.baseUrl = site.baseUrl();
    }

    Map<String, Object> receipt(ConsentRecord record, boolean current) {
        String principal = record.subjectId() != null ? record.subjectId().toString() : "visitor:" + record.visitorId();
        Map<String, Object> receipt = new LinkedHashMap<>();
        receipt.put("header", ordered("schemaVersion", "ISO/IEC TS 27560:2023", "recordId", record.receiptId().toString(),
                "piiPrincipalId", principal));

        List<Activity> activities = catalog.activities().stream()
                .filter(a -> a.legalBasis() == LegalBasis.CONSENT && a.purposes().contains(record.purpose())).toList();
        Set<String> categories = new LinkedHashSet<>();
        Set<String> retention = new LinkedHashSet<>();
        Set<String> storage = new LinkedHashSet<>();
        List<Map<String, Object>> recipients = new ArrayList<>();
        for (Activity activity : activities) {
            categories.addAll(activity.dataCategories());
            retention.add(activity.retention().describe(Language.EN));
            activity.systems().forEach(system -> catalog.system(system)
                    .ifPresent(s -> storage.add(s.name().in(Language.EN))));
            for (String key : activity.recipients()) {
                Processor processor = catalog.processor(key).orElseThrow();
                recipients.add(ordered("name", processor.name(), "role", "processor", "countries", processor.countries()));
            }
        }
        ControllerDetails controller = catalog.controller();
        Map<String, Object> processing = new LinkedHashMap<>();
        processing.put("noticeVersion", record.noticeVersion());
        processing.put("noticeUrl", baseUrl + "/privacy");
        processing.put("languages", List.of("nb", "en"));
        processing.put("purposes", List.of(ordered("purpose", record.purpose(),
                "name", catalog.taxonomy().useName(record.purpose(), Language.EN),
                "lawfulBasis", "consent (GDPR Art. 6(1)(a))",
                "activities", activities.stream().map(Activity::key).toList())));
        processing.put("piiCategories", List.copyOf(categories));
        processing.put("controllers", List.of(ordered("name", controller.name(), "contact", controller.email())));
        processing.put("storageLocations", List.copyOf(storage));
        processing.put("retention", List.copyOf(retention));
        processing.put("jurisdiction", "NO");
        processing.put("recipients", recipients);
        processing.put("collectionMethod", record.method());
        processing.put("withdrawalMethod", "Withdraw at any time, as easily as given: the unsubscribe link in every "
                + "mail, the cookie settings link on every page, or a request to " + controller.email());
        receipt.put("processing", processing);

        receipt.put("parties", List.of(
                ordered("id", "controller", "name", controller.name(), "address", controller.postalAddress(),
                        "contact", controller.email(), "type", "PII controller"),
                ordered("id", principal, "type", "PII principal")));

        Map<String, Object> event = new LinkedHashMap<>();
        event.put("time", record.recordedAt().toString());
        event.put("entity", principal);
        event.put("type", record.granted() ? "given" : "withdrawn");
        event.put("state", !record.granted() ? "withdrawn" : current ? "active" : "superseded");
        event.put("source", record.source());
        event.put("proof", ordered("algorithm", "SHA-256", "hash", record.hash(), "previousHash", record.prevHash()));
        receipt.put("events", List.of(event));
        return receipt;
    }

    private static Map<String, Object> ordered(Object... keysAndValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }
}
