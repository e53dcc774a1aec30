package no.personvern.web.console;

import io.swagger.v3.oas.annotations.Hidden;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.UUID;
import no.personvern.audit.AuditTrail;
import no.personvern.audit.VerificationRun;
import no.personvern.breaches.Breach;
import no.personvern.breaches.BreachRisk;
import no.personvern.breaches.Breaches;
import no.personvern.catalog.Catalog;
import no.personvern.catalog.Language;
import no.personvern.consent.ConsentFigures;
import no.personvern.disclosures.Disclosures;
import no.personvern.disclosures.ProcessorStatus;
import no.personvern.requests.RequestFigures;
import no.personvern.requests.RequestStatus;
import no.personvern.retention.RetentionRun;
import no.personvern.retention.RetentionRuns;
import no.personvern.security.Callers;
import no.personvern.security.Staff;
import no.personvern.security.StaffMember;
import no.personvern.security.StaffPrincipal;
import no.personvern.web.internal.PageLanguage;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

/**
 * {@code /admin}: the dashboard. For every member: requests by status and by deadline, consent rates
 * per purpose over the last 12 weeks and page views over the last 30 days (charts with their figures
 * as tables). For the DPO also: the last retention runs, DPAs that expire within 60 days, open
 * breaches with the 72-hour clock, and the audit chain's state. Every figure is read through a
 * module's API on an index; no view counts a whole table, and the figures are kept a minute (closed
 * requests five) by {@link DashboardFigures}.
 */
@Controller
@Hidden
class DashboardController {

    static final int CONSENT_WEEKS = 12;
    static final int PAGEVIEW_DAYS = 30;
    static final int RETENTION_RUNS = 5;
    private static final ZoneId NORWAY = ZoneId.of("Europe/Oslo");
    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm");

    private final RequestFigures requests;
    private final DashboardFigures figures;
    private final RetentionRuns retention;
    private final Disclosures disclosures;
    private final Breaches breaches;
    private final AuditTrail audit;
    private final Staff staff;
    private final Catalog catalog;
    private final Clock clock;

    DashboardController(RequestFigures requests, DashboardFigures figures, RetentionRuns retention,
            Disclosures disclosures, Breaches breaches, AuditTrail audit, Staff staff,
            Catalog catalog, Clock clock) {
        this.requests = requests;
        this.figures = figures;
        this.retention = retention;
        this.disclosures = disclosures;
        this.breaches = breaches;
        this.audit = audit;
        this.staff = staff;
        this.catalog = catalog;
        this.clock = clock;
    }

    public record StatusCount(String key, long count, boolean active) {
    }

    public record PurposeChart(String key, String name, BarChart chart, List<ConsentFigures.Decisions> weeks) {
    }

    public record Run(String status, boolean dryRun, String asOf, String startedAt, String finishedAt, long deleted,
            long kept, boolean failed) {
    }

    public record Dpa(String name, String reference, String expiresAt, Long daysLeft, String state) {
    }

    /**
     * An open breach and its clock: {@code hours} and {@code minutes} left until 72 hours after the
     * company became aware (or past it, {@code overdue}); {@code notifiedAt} once the authority was told.
     */
    public record Clock72(UUID id, String summary, String status, String discoveredAt, String deadline, long hours,
            long minutes, boolean overdue, String notifiedAt, boolean noNotification) {
    }

    public record Chain(String verifiedAt, String verifiedBy, boolean valid, Long firstBroken, long entriesVerified,
            long entriesSince, long length) {
    }

    @GetMapping(path = "/admin", produces = "text/html")
    String dashboard(HttpServletRequest request, Model model) {
        Language language = PageLanguage.of(request);
        Instant now = clock.instant();
        LocalDate today = LocalDate.ofInstant(now, NORWAY);

        Map<RequestStatus, Long> byStatus = figures.byStatus();
        List<StatusCount> statuses = new ArrayList<>();
        byStatus.forEach((status, count) -> statuses.add(new StatusCount(status.key(), count, status.isActive())));
        model.addAttribute("statuses", statuses);
        model.addAttribute("deadlines", requests.deadlines(now));

        model.addAttribute("purposes", consentCharts(today, language));
        model.addAttribute("pageViews", pageViewChart(today));
        model.addAttribute("pageViewDays", PAGEVIEW_DAYS);
        model.addAttribute("consentWeeks", CONSENT_WEEKS);

        boolean dpo = Callers.staff().map(StaffPrincipal::dpo).orElse(false);
        if (dpo) {
            model.addAttribute("runs", retention.recent(RETENTION_RUNS).stream().map(DashboardController::run).toList());
            model.addAttribute("dpas", disclosures.processors().stream().filter(p -> p.dpa() == null
                    || !"valid".equals(p.dpa().state())).map(DashboardController::dpa).toList());
            model.addAttribute("breaches", breaches.list().stream().filter(b -> !"closed".equals(b.status()))
                    .map(b -> clock72(b, now)).toList());
            model.addAttribute("chain", chain());
        }
        return "admin/dashboard";
    }

    private List<PurposeChart> consentCharts(LocalDate today, Language language) {
        List<ConsentFigures.Week> weeks = figures.weekly(today, CONSENT_WEEKS);
        TreeSet<String> purposes = new TreeSet<>();
        weeks.forEach(week -> purposes.addAll(week.byPurpose().keySet()));
        List<PurposeChart> charts = new ArrayList<>();
        for (String purpose : purposes) {
            List<BarChart.Row> rows = new ArrayList<>();
            List<ConsentFigures.Decisions> decisions = new ArrayList<>();
            for (ConsentFigures.Week week : weeks) {
                ConsentFigures.Decisions counted = week.byPurpose().getOrDefault(purpose,
                        new ConsentFigures.Decisions(0, 0));
                decisions.add(counted);
                rows.add(new BarChart.Row(week.start().toString(), List.of(counted.accepted(), counted.rejected())));
            }
            charts.add(new PurposeChart(purpose, catalog.taxonomy().useName(purpose, language),
                    BarChart.of(List.of("accepted", "rejected"), List.of("accepted", "rejected"), rows, 3),
                    decisions));
        }
        return charts;
    }

    private BarChart pageViewChart(LocalDate today) {
        List<BarChart.Row> rows = figures.daily(today.minusDays(PAGEVIEW_DAYS - 1), today).stream()
                .map(day -> new BarChart.Row(day.day().toString(), List.of(day.views()))).toList();
        return BarChart.of(List.of("views"), List.of("views"), rows, 7);
    }

    private static Run run(RetentionRun run) {
        return new Run(run.status(), run.dryRun(), when(run.asOf()), when(run.startedAt()), when(run.finishedAt()),
                run.deleted() == null ? 0 : run.deleted().values().stream().mapToLong(Long::longValue).sum(),
                run.kept() == null ? 0 : run.kept().values().stream().mapToLong(Long::longValue).sum(),
                "failed".equals(run.status()) || "abandoned".equals(run.status()));
    }

    private static Dpa dpa(ProcessorStatus processor) {
        ProcessorStatus.DpaStatus dpa = processor.dpa();
        return dpa == null ? new Dpa(processor.name(), null, null, null, "missing")
                : new Dpa(processor.name(), dpa.reference(), dpa.expiresAt() == null ? null : dpa.expiresAt().toString(),
                        dpa.daysLeft(), dpa.state());
    }

    static Clock72 clock72(Breach breach, Instant now) {
        Duration left = Duration.between(now, breach.notifyAuthorityBy());
        // Assessed unlikely to result in a risk (Art. 33(1)): nothing to notify, so the clock does not run.
        boolean noNotification = BreachRisk.UNLIKELY.key().equals(breach.risk())
                && breach.authorityNotification() == null;
        boolean overdue = left.isNegative() && breach.authorityNotification() == null && !noNotification;
        Duration shown = left.abs();
        return new Clock72(breach.id(), breach.summary(), breach.status(), when(breach.discoveredAt()),
                when(breach.notifyAuthorityBy()), shown.toHours(), shown.toMinutesPart(), overdue,
                breach.authorityNotification() == null ? null : when(breach.authorityNotification().notifiedAt()),
                noNotification);
    }

    private Chain chain() {
        long length = audit.length();
        Optional<VerificationRun> last = audit.lastVerification();
        if (last.isEmpty()) {
            return new Chain(null, null, false, null, 0, length, length);
        }
        VerificationRun run = last.get();
        return new Chain(when(run.at()), actor(run.actor()), run.result().valid(), run.result().firstBrokenSeq(),
                run.result().entries(), Math.max(0, length - run.result().entries()), length);
    }

    /** A staff member by name; any other actor (a token, the system) as the trail names it. */
    private String actor(String actor) {
        if (actor != null && actor.startsWith("staff:")) {
            try {
                return staff.find(UUID.fromString(actor.substring("staff:".length())))
                        .map(StaffMember::displayName).orElse(actor);
            } catch (IllegalArgumentException malformed) {
                return actor;
            }
        }
        return actor;
    }

    static String when(Instant instant) {
        return instant == null ? null : WHEN.format(instant.atZone(NORWAY));
    }

}
