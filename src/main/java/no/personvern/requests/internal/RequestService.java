package no.personvern.requests.internal;

import java.io.OutputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import no.personvern.EventProperties;
import no.personvern.Refusal;
import no.personvern.requests.CodeCheck;
import no.personvern.requests.RequestProgress;
import no.personvern.mail.MailUndeliverable;
import no.personvern.requests.DataRequest;
import no.personvern.requests.RequestDesk;
import no.personvern.requests.RequestStatus;
import no.personvern.requests.RequestType;
import no.personvern.retention.RetentionEvents;
import org.springframework.modulith.events.ApplicationModuleListener;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Service;

/**
 * The request desk: intake ({@link PublicIntake}, {@link StaffIntake}), deadlines
 * ({@link Deadlines}) and fulfilment ({@link Fulfilment}). The durable listeners stay on this class,
 * as the event publication registry knows incomplete publications by these methods.
 */
@Service
class RequestService implements RequestDesk {

    static final String ROUTED_TO_PERSON = CustomerRouting.ROUTED_TO_PERSON;

    private final PublicIntake publicIntake;
    private final StaffIntake staffIntake;
    private final Deadlines deadlines;
    private final RequestViews views;
    private final FanOut fanOut;
    private final Fulfilment fulfilment;
    private final PackageDownloads downloads;
    private final RequestCleanup cleanup;
    private final UndeliverableMails undeliverable;
    private final ObjectionDecisions objections;
    private final DeadlineReminders reminders;
    private final StatusLinks statusLinks;
    /** For crash tests only: how long the fulfilment listener waits before it works (default none). */
    private final Duration listenerDelay;

    RequestService(PublicIntake publicIntake, StaffIntake staffIntake, Deadlines deadlines, RequestViews views,
            FanOut fanOut, Fulfilment fulfilment, PackageDownloads downloads, RequestCleanup cleanup,
            UndeliverableMails undeliverable, ObjectionDecisions objections, DeadlineReminders reminders,
            EventProperties events, StatusLinks statusLinks) {
        this.statusLinks = statusLinks;
        this.objections = objections;
        this.reminders = reminders;
        this.publicIntake = publicIntake;
        this.staffIntake = staffIntake;
        this.deadlines = deadlines;
        this.views = views;
        this.fanOut = fanOut;
        this.fulfilment = fulfilment;
        this.downloads = downloads;
        this.cleanup = cleanup;
        this.undeliverable = undeliverable;
        this.listenerDelay = events.listenerDelay();
    }

    @Override
    public UUID submit(RequestType type, String email, String message, String lang, String clientAddress) {
        return publicIntake.submit(type, email, message, lang, clientAddress);
    }

    @Override
    public DataRequest verify(UUID requestId, String code) {
        return publicIntake.verify(requestId, code);
    }

    @Override
    public CodeCheck confirm(UUID requestId, String code) {
        try {
            return new CodeCheck(CodeCheck.Result.CONFIRMED, 0, requestId,
                    publicIntake.verifyWithLink(requestId, code).statusKey());
        } catch (Refusal refusal) {
            CodeCheck.Result result = switch (refusal.kind()) {
                case INVALID -> CodeCheck.Result.WRONG;
                case LOCKED -> CodeCheck.Result.LOCKED;
                case GONE -> CodeCheck.Result.EXPIRED;
                case CONFLICT -> publicIntake.noLongerWaiting(requestId);
                // Art. 12(5): refused as manifestly excessive (recorded now, or only answered).
                case TOO_MANY -> CodeCheck.Result.REFUSED;
                default -> throw refusal;
            };
            return new CodeCheck(result, result == CodeCheck.Result.WRONG ? publicIntake.triesLeft(requestId) : 0,
                    requestId, null);
        }
    }

    @Override
    public void resendCode(UUID requestId, String clientAddress) {
        publicIntake.resend(requestId, clientAddress);
    }

    @Override
    public RequestProgress progress(UUID requestId, String statusKey) {
        return statusLinks.progress(requestId, statusKey);
    }

    @Override
    public void checkPackageByStatusKey(UUID requestId, String statusKey) {
        statusLinks.checkPackage(requestId, statusKey);
    }

    @Override
    public void downloadPackageByStatusKey(UUID requestId, String statusKey, OutputStream out) {
        statusLinks.download(requestId, statusKey, out);
    }

    @Override
    public DataRequest submitVerified(RequestType type, String email, UUID subjectId, String channel,
            String verifiedBy, String message) {
        return staffIntake.submitVerified(type, email, subjectId, channel, verifiedBy, message);
    }

    @Override
    public DataRequest read(UUID requestId) {
        return views.read(requestId);
    }

    @Override
    public DataRequest decideObjection(UUID requestId, String activity, String decision, String reasons) {
        return objections.decide(requestId, activity, decision, reasons);
    }

    @Override
    @Scheduled(fixedDelayString = "${personvern.requests.deadline-check:PT1H}",
            initialDelayString = "${personvern.requests.deadline-check:PT1H}")
    public int remindDeadlines() {
        return reminders.remind();
    }

    @Override
    public DataRequest get(UUID requestId) {
        return views.get(requestId);
    }

    @Override
    public List<DataRequest> find(RequestStatus status, Instant dueBefore, boolean overdue, int limit) {
        return views.find(status, dueBefore, overdue, limit);
    }

    @Override
    public List<DataRequest> ofSubject(UUID subjectId, int limit) {
        return views.ofSubject(subjectId, Math.max(1, Math.min(limit, 200)));
    }

    @Override
    public DataRequest extend(UUID requestId, String reason) {
        return deadlines.extend(requestId, reason);
    }

    @Override
    public DataRequest reject(UUID requestId, String reason) {
        return deadlines.reject(requestId, reason);
    }

    @Override
    public DataRequest complete(UUID requestId, String outcome) {
        return deadlines.complete(requestId, outcome);
    }

    @Override
    @Scheduled(fixedDelayString = "${personvern.requests.expiry-check:PT1H}")
    public int expireUnverified() {
        return cleanup.expireUnverified();
    }

    @Override
    public DataRequest callback(UUID requestId, String system, String status) {
        return fanOut.callback(requestId, system, status);
    }

    @Override
    public void checkPackage(UUID requestId, String token) {
        downloads.check(requestId, token);
    }

    @Override
    public void downloadPackage(UUID requestId, String token, OutputStream out) {
        downloads.download(requestId, token, out);
    }

    /**
     * Durable: the last system's "done" (or, with nothing to wait for, the opening of the request)
     * and this event commit together; the fulfilment runs after the commit in a transaction of its
     * own (the claim on {@code executed_at} with it), so a crash or a failure leaves the publication
     * incomplete and the whole fulfilment is run again. A fulfilment already done is not repeated.
     */
    @ApplicationModuleListener
    void on(Deliveries.AllSystemsDone done) throws InterruptedException {
        if (!listenerDelay.isNegative() && !listenerDelay.isZero()) {
            Thread.sleep(listenerDelay.toMillis());
        }
        fulfilment.fulfil(done.requestId());
    }

    /** A mail this module relied on was given up. */
    @ApplicationModuleListener
    void on(MailUndeliverable mail) {
        undeliverable.handle(mail);
    }

    /**
     * The last legal hold on a person who asked for erasure has ended: the erasure is carried out in
     * full now. Run again after a crash; a person no longer held, or an erasure already open, is not
     * erased twice.
     */
    @ApplicationModuleListener
    void on(RetentionEvents.DeferredErasureDue due) {
        staffIntake.eraseAfterHold(due.subjectId());
    }
}
