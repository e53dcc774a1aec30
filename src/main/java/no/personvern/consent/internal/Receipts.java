package no.personvern.consent.internal;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import no.personvern.PersonvernProperties;
import no.personvern.catalog.Activity;
import no.personvern.catalog.Catalog;
import no.personvern.catalog.ControllerDetails;
import no.personvern.catalog.Language;
import no.personvern.catalog.LegalBasis;
import no.personvern.catalog.Processor;
import no.personvern.consent.ConsentReceipt;
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

    ConsentReceipt receipt(ConsentRecord record, boolean current) {
        String principal = record.subjectId() != null ? record.subjectId().toString() : "visitor:" + record.visitorId();
        ConsentReceipt.Header header = new ConsentReceipt.Header("ISO/IEC TS 27560:2023", record.receiptId().toString(),
                principal);

        // The activity consented to; a record of before they were kept: every activity of its purpose.
        List<Activity> activities = catalog.activities().stream()
                .filter(a -> a.legalBasis() == LegalBasis.CONSENT && a.purposes().contains(record.purpose()))
                .filter(a -> record.activity() == null || a.key().equals(record.activity())).toList();
        Set<String> categories = new LinkedHashSet<>();
        Set<String> retention = new LinkedHashSet<>();
        Set<String> storage = new LinkedHashSet<>();
        List<ConsentReceipt.Recipient> recipients = new ArrayList<>();
        for (Activity activity : activities) {
            categories.addAll(activity.dataCategories());
            retention.add(activity.retention().describe(Language.EN));
            activity.systems().forEach(system -> catalog.system(system)
                    .ifPresent(s -> storage.add(s.name().in(Language.EN))));
            for (String key : activity.recipients()) {
                Processor processor = catalog.processor(key).orElseThrow();
                recipients.add(new ConsentReceipt.Recipient(processor.name(), "processor", processor.countries()));
            }
        }
        ControllerDetails controller = catalog.controller();
        ConsentReceipt.Processing processing = new ConsentReceipt.Processing(record.noticeVersion(),
                baseUrl + "/privacy", List.of("nb", "en"),
                List.of(new ConsentReceipt.Purpose(record.purpose(),
                        catalog.taxonomy().useName(record.purpose(), Language.EN), "consent (GDPR Art. 6(1)(a))",
                        activities.stream().map(Activity::key).toList(),
                        activities.stream().map(a -> a.name().in(Language.EN)).toList())),
                List.copyOf(categories), List.of(new ConsentReceipt.Controller(controller.name(), controller.email())),
                List.copyOf(storage), List.copyOf(retention), "NO", recipients, record.method(),
                "Withdraw at any time, as easily as given: the unsubscribe link in every "
                        + "mail, the cookie settings link on every page, or a request to " + controller.email());

        List<ConsentReceipt.Party> parties = List.of(
                new ConsentReceipt.Party("controller", controller.name(), controller.postalAddress(), controller.email(),
                        "PII controller"),
                new ConsentReceipt.Party(principal, null, null, null, "PII principal"));

        ConsentReceipt.Event event = new ConsentReceipt.Event(record.recordedAt().toString(), principal,
                record.granted() ? "given" : "withdrawn",
                !record.granted() ? "withdrawn" : current ? "active" : "superseded", record.source(),
                new ConsentReceipt.Proof("SHA-256", record.hash(), record.prevHash()));
        return new ConsentReceipt(header, processing, parties, List.of(event));
    }
}
