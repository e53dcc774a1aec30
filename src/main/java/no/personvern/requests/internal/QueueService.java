package no.personvern.requests.internal;

import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;
import no.personvern.Problems;
import no.personvern.Refusal.Kind;
import no.personvern.requests.DataRequest;
import no.personvern.requests.RequestEvents;
import no.personvern.requests.RequestQueue;
import no.personvern.requests.RequestType;
import no.personvern.security.Callers;
import no.personvern.security.Staff;
import no.personvern.security.StaffMember;
import no.personvern.security.StaffPrincipal;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/** The staff's queue, assignment, retries of a connected system, and the DPO's four eyes on an agent's erasure. */
@Service
@EnableConfigurationProperties(ApprovalProperties.class)
class QueueService implements RequestQueue {

    private static final int EXPORT_BATCH = 500;

    private final QueueRepository queue;
    private final RequestRepository requests;
    private final RequestViews views;
    private final Deliveries deliveries;
    private final FanOut fanOut;
    private final ImmediateEffects immediate;
    private final Letters letters;
    private final RequestMails mails;
    private final Staff staff;
    private final ApplicationEventPublisher events;
    private final TransactionTemplate transactions;
    private final Clock clock;

    QueueService(QueueRepository queue, RequestRepository requests, RequestViews views, Deliveries deliveries,
            FanOut fanOut, ImmediateEffects immediate, Letters letters, RequestMails mails, Staff staff,
            ApplicationEventPublisher events, TransactionTemplate transactions, Clock clock) {
        this.queue = queue;
        this.requests = requests;
        this.views = views;
        this.deliveries = deliveries;
        this.fanOut = fanOut;
        this.immediate = immediate;
        this.letters = letters;
        this.mails = mails;
        this.staff = staff;
        this.events = events;
        this.transactions = transactions;
        this.clock = clock;
    }

    @Override
    public List<Row> page(Filter filter, Cursor after, int limit) {
        if (limit < 1 || limit > MAX_PAGE) {
            throw Problems.invalid("limit", "limit is 1 to " + MAX_PAGE);
        }
        if (after != null && (after.due() == null || after.id() == null)) {
            throw Problems.invalid("after", "a cursor names a deadline and an id");
        }
        return queue.page(filter == null ? Filter.none() : filter, after, limit, clock.instant());
    }

    @Override
    public void each(Filter filter, Consumer<Row> row) {
        Cursor after = null;
        while (true) {
            List<Row> rows = page(filter, after, MAX_PAGE);
            rows.forEach(row);
            if (rows.size() < MAX_PAGE) {
                return;
            }
            after = rows.get(rows.size() - 1).cursor();
        }
    }

    @Override
    public Optional<Row> row(UUID requestId) {
        return queue.row(requestId);
    }

    @Override
    public Row assign(UUID requestId, UUID staffId) {
        if (staffId != null && staff.find(staffId).filter(StaffMember::active).isEmpty()) {
            throw Problems.invalid("assignee", "no active member of staff with this id");
        }
        return transactions.execute(status -> {
            RequestRecord row = views.lock(requestId);
            UUID before = queue.row(requestId).map(Row::assignedTo).orElse(null);
            queue.assign(requestId, staffId);
            events.publishEvent(new RequestEvents.RequestAssigned(requestId, row.subjectId(), staffId, before));
            return queue.row(requestId).orElseThrow();
        });
    }

    @Override
    public DataRequest retry(UUID requestId, String system) {
        RequestRecord row = views.existing(requestId);
        row.requireActive("sent again");
        deliveries.retryNow(requestId, system);
        return views.get(requestId);
    }

    @Override
    public DataRequest approve(UUID requestId) {
        StaffPrincipal dpo = deciding();
        boolean fulfilNow = transactions.execute(status -> {
            RequestRecord row = views.lock(requestId);
            requireOther(row, dpo);
            row.approve();
            requests.saveStarted(row);
            events.publishEvent(new RequestEvents.ApprovalDecided(requestId, row.subjectId(), true, row.filedBy(),
                    dpo.id()));
            immediate.onOpened(row);
            return fanOut.start(requestId);
        });
        return fulfilNow ? fanOut.proceed(requestId) : views.get(requestId);
    }

    @Override
    public DataRequest refuseApproval(UUID requestId, String reason) {
        StaffPrincipal dpo = deciding();
        if (reason == null || reason.isBlank() || reason.length() > 2000) {
            throw Problems.invalid("reason", "a reason of 1 to 2000 characters is required; the person is told it");
        }
        return transactions.execute(status -> {
            RequestRecord row = views.lock(requestId);
            requireOther(row, dpo);
            String why = reason.strip();
            row.refuseApproval(why, StoredTime.now(clock));
            requests.saveClosed(row);
            events.publishEvent(new RequestEvents.ApprovalDecided(requestId, row.subjectId(), false, row.filedBy(),
                    dpo.id()));
            mails.toRequester(row, letters.rejected(row.type(), row.norwegian(), why));
            return views.get(requestId);
        });
    }

    /** Only a DPO signed in to the console decides on four eyes. */
    private static StaffPrincipal deciding() {
        return Callers.staff().filter(StaffPrincipal::dpo).orElseThrow(() -> Problems.refusal(Kind.FORBIDDEN,
                "Forbidden", "Only a DPO approves or refuses an erasure filed by a support agent.", null));
    }

    /** Four eyes are two people: whoever filed the erasure does not decide on it too (say, promoted since). */
    private static void requireOther(RequestRecord row, StaffPrincipal dpo) {
        if (row.type() != RequestType.ERASURE) {
            throw Problems.refusal(Kind.CONFLICT, "Conflict", "Only an erasure waits for approval.", null);
        }
        if (dpo.id().equals(row.filedBy())) {
            throw Problems.refusal(Kind.FORBIDDEN, "Forbidden",
                    "Another DPO must approve or refuse an erasure you filed yourself.", null);
        }
    }
}
