package no.personvern.requests.internal;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import no.personvern.catalog.Catalog;
import no.personvern.catalog.Processor;
import no.personvern.disclosures.Disclosure;
import no.personvern.disclosures.DisclosureBasis;
import no.personvern.disclosures.Disclosures;
import no.personvern.requests.DataRequest;
import no.personvern.requests.RequestType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Art. 19: tells each recipient the person's data was disclosed to about a rectification, erasure
 * or restriction (table {@code request_recipient_notice}). Recipients are the processors of the
 * disclosure log; authorities that received data in a particular inquiry under the law are not
 * recipients (Art. 4(9)). A processor with a contact in the catalog is mailed; for one without,
 * the DPO is flagged to do it.
 */
@Component
class RecipientNotices {

    private final JdbcClient jdbc;
    private final Disclosures disclosures;
    private final Catalog catalog;
    private final Letters letters;
    private final RequestMails mails;
    private final RequestRepository requests;
    private final TransactionTemplate transactions;
    private final Clock clock;

    RecipientNotices(JdbcClient jdbc, Disclosures disclosures, Catalog catalog, Letters letters, RequestMails mails,
            RequestRepository requests, TransactionTemplate transactions, Clock clock) {
        this.jdbc = jdbc;
        this.disclosures = disclosures;
        this.catalog = catalog;
        this.letters = letters;
        this.mails = mails;
        this.requests = requests;
        this.transactions = transactions;
        this.clock = clock;
    }

    /** Tells the recipients, in a transaction of its own; returns a sentence for the person ("" when there is none). */
    String tell(RequestRecord request, RequestType type, String email) {
        return transactions.execute(status -> tellNow(request, type, email));
    }

    private String tellNow(RequestRecord request, RequestType type, String email) {
        Map<String, Disclosure> recipients = new LinkedHashMap<>();
        disclosures.of(request.subjectId()).stream().filter(disclosure -> disclosure.basis() == DisclosureBasis.DPA)
                .forEach(disclosure -> recipients.putIfAbsent(disclosure.recipient(), disclosure));
        if (recipients.isEmpty()) {
            return "";
        }
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        List<String> mailed = new ArrayList<>();
        List<String> byDpo = new ArrayList<>();
        for (Disclosure disclosure : recipients.values()) {
            String contact = catalog.processor(disclosure.recipient()).map(Processor::contact).orElse(null);
            boolean sent = contact != null && email != null;
            if (sent) {
                mails.send(contact, letters.recipientNotice(type, request.id(), disclosure, email), null, request.id(),
                        RequestMails.ART_19 + disclosure.recipient());
            }
            (sent ? mailed : byDpo).add(disclosure.recipientName());
            jdbc.sql("""
                    INSERT INTO request_recipient_notice (request_id, recipient, recipient_name, via, noticed_at)
                    VALUES (:request, :recipient, :name, :via, :at)""")
                    .param("request", request.id()).param("recipient", disclosure.recipient())
                    .param("name", disclosure.recipientName()).param("via", sent ? "mail" : "dpo")
                    .param("at", RequestRepository.time(now)).update();
        }
        if (!byDpo.isEmpty()) {
            requests.addAttention(request.id(), "Art. 19: tell " + String.join(", ", byDpo) + " of the "
                    + Letters.typeName(type, false) + " (the data was disclosed to them).");
        }
        return (mailed.isEmpty() ? "" : " We have told those we disclosed the data to (Art. 19): "
                + String.join(", ", mailed) + ".")
                + (byDpo.isEmpty() ? "" : " Our data protection officer will tell " + String.join(", ", byDpo)
                        + " (Art. 19).");
    }

    /** The mail to {@code recipient} could not be delivered: the DPO tells them. */
    void undeliverable(RequestRecord request, String recipient) {
        jdbc.sql("UPDATE request_recipient_notice SET via = 'dpo' WHERE request_id = :request AND recipient = :recipient")
                .param("request", request.id()).param("recipient", recipient).update();
        String name = of(request.id()).stream().filter(notice -> notice.recipient().equals(recipient))
                .map(DataRequest.RecipientNotice::name).findFirst().orElse(recipient);
        requests.addAttention(request.id(), "Art. 19: tell " + name + " of the "
                + Letters.typeName(request.type(), false) + " (the mail to them could not be delivered).");
    }

    List<DataRequest.RecipientNotice> of(UUID requestId) {
        return jdbc.sql("""
                SELECT recipient, recipient_name, via, noticed_at FROM request_recipient_notice
                WHERE request_id = :id ORDER BY noticed_at, recipient""").param("id", requestId)
                .query((rs, n) -> new DataRequest.RecipientNotice(rs.getString("recipient"),
                        rs.getString("recipient_name"), rs.getString("via"), RequestRepository.instant(rs, "noticed_at")))
                .list();
    }
}
