package no.personvern.requests.internal;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import no.personvern.catalog.Activity;
import no.personvern.catalog.Catalog;
import no.personvern.catalog.Language;
import no.personvern.catalog.Role;
import no.personvern.requests.DataRequest;
import no.personvern.requests.RequestType;
import no.personvern.subjects.SubjectView;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Art. 28(3)(e): data the company processes for a customer is that customer's to decide on. The
 * request is recorded as routed for each processor activity (table {@code request_routing}),
 * flagged for the DPO, and mailed to the company's privacy mailbox with what identifies the person
 * in those systems (the systems know which customer holds the data; Personvern does not).
 * Connected systems are told the same in their webhook ({@code processorActivities}).
 */
@Component
class CustomerRouting {

    static final String ROUTED = "data processed for customers routed to them (Art. 28(3)(e))";
    static final String ROUTED_TO_PERSON = "Data we process on behalf of our customers is"
            + " theirs to decide on: we have passed your request on to them (GDPR Art. 28(3)(e)).";

    private final JdbcClient jdbc;
    private final Catalog catalog;
    private final Letters letters;
    private final RequestMails mails;
    private final RequestRepository requests;
    private final TransactionTemplate transactions;
    private final Clock clock;

    CustomerRouting(JdbcClient jdbc, Catalog catalog, Letters letters, RequestMails mails, RequestRepository requests,
            TransactionTemplate transactions, Clock clock) {
        this.jdbc = jdbc;
        this.catalog = catalog;
        this.letters = letters;
        this.mails = mails;
        this.requests = requests;
        this.transactions = transactions;
        this.clock = clock;
    }

    /** Routes the request, {@code known} being what identifies the person (read before an erasure). */
    void route(RequestRecord request, RequestType type, SubjectView.IdentityView known) {
        transactions.executeWithoutResult(status -> routeNow(request, type, known));
    }

    private void routeNow(RequestRecord request, RequestType type, SubjectView.IdentityView known) {
        List<Activity> forCustomers = catalog.activities().stream()
                .filter(activity -> activity.role() == Role.PROCESSOR).toList();
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        List<String> lines = new ArrayList<>();
        for (Activity activity : forCustomers) {
            jdbc.sql("""
                    INSERT INTO request_routing (request_id, activity_key, systems, routed_at)
                    VALUES (:request, :activity, :systems, :at)""")
                    .param("request", request.id()).param("activity", activity.key())
                    .param("systems", String.join(",", activity.systems())).param("at", RequestRepository.time(now))
                    .update();
            List<String> ids = activity.systems().stream().filter(known.externalIds()::containsKey)
                    .map(system -> system + ": " + known.externalIds().get(system)).toList();
            lines.add(activity.name().in(Language.EN) + " in " + String.join(", ", activity.systems().stream()
                    .map(system -> catalog.system(system).map(s -> s.name().in(Language.EN)).orElse(system)).toList())
                    + (ids.isEmpty() ? "" : "; the person there: " + String.join(", ", ids)));
        }
        requests.addAttention(request.id(), "Data processed for customers (as processor) concerns this person: pass"
                + " the request on to the controlling customer(s), Art. 28(3)(e).");
        mails.send(catalog.controller().email(), letters.routing(type, request.id(), request.dueAt(), lines), null,
                request.id(), RequestMails.ROUTING);
    }

    List<DataRequest.Routing> of(UUID requestId) {
        return jdbc.sql("SELECT activity_key, systems, routed_at FROM request_routing WHERE request_id = :id"
                + " ORDER BY activity_key").param("id", requestId)
                .query((rs, n) -> new DataRequest.Routing(rs.getString("activity_key"),
                        List.of(rs.getString("systems").split(",")), RequestRepository.instant(rs, "routed_at")))
                .list();
    }
}
