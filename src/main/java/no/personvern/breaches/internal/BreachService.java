package no.personvern.breaches.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;
import no.personvern.Problems;
import no.personvern.Refusal;
import no.personvern.breaches.Breach;
import no.personvern.breaches.BreachEvents;
import no.personvern.breaches.BreachReport;
import no.personvern.breaches.BreachRisk;
import no.personvern.breaches.BreachStatus;
import no.personvern.breaches.Breaches;
import no.personvern.breaches.internal.BreachRepository.BreachRow;
import no.personvern.catalog.Activity;
import no.personvern.catalog.Catalog;
import no.personvern.catalog.ControllerDetails;
import no.personvern.catalog.Language;
import no.personvern.catalog.RecordOfProcessing;
import no.personvern.catalog.Role;
import no.personvern.catalog.Taxonomy;
import no.personvern.mail.Mail;
import no.personvern.mail.Mailer;
import no.personvern.security.ApiToken;
import no.personvern.security.Callers;
import no.personvern.subjects.AffectedPeople;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

@Service
class BreachService implements Breaches {

    /** Art. 33(1): where feasible, not later than 72 hours after having become aware of it. */
    static final Duration NOTIFY_WITHIN = Duration.ofHours(72);
    /** The daily check mails the DPO when this much or less is left. */
    static final Duration REMIND_WITHIN = Duration.ofHours(24);
    static final ZoneId NORWAY = ZoneId.of("Europe/Oslo");
    private static final int SUMMARY_MAX = 2000;
    private static final int TEXT_MAX = 4000;
    private static final int KEYS_MAX = 100;

    private final BreachRepository repository;
    private final AffectedPeople affectedPeople;
    private final Catalog catalog;
    private final BreachTexts texts;
    private final Mailer mailer;
    private final ApplicationEventPublisher events;
    private final Clock clock;

    BreachService(BreachRepository repository, AffectedPeople affectedPeople, Catalog catalog, BreachTexts texts,
            Mailer mailer, ApplicationEventPublisher events, Clock clock) {
        this.repository = repository;
        this.affectedPeople = affectedPeople;
        this.catalog = catalog;
        this.texts = texts;
        this.mailer = mailer;
        this.events = events;
        this.clock = clock;
    }

    @Override
    @Transactional
    public Breach record(NewBreach breach) {
        Instant now = now();
        Problems.Violations invalid = Problems.violations();
        Instant discoveredAt = instant("discoveredAt", breach.discoveredAt(), true, invalid);
        if (discoveredAt != null && discoveredAt.isAfter(now)) {
            invalid.reject("discoveredAt", "a breach cannot be discovered in the future");
        }
        String summary = text("summary", breach.summary(), SUMMARY_MAX, invalid);
        List<String> categories = keys("dataCategories", breach.dataCategories(), true, invalid,
                key -> catalog.taxonomy().isDataCategory(key) && !declaredWithin(key).isEmpty(),
                "is not a data category any activity of the catalog declares");
        List<String> systems = keys("systems", breach.systems(), true, invalid,
                key -> catalog.system(key).isPresent(), "is not a system of the catalog");
        List<String> activities = keys("activities", breach.activities(), false, invalid,
                key -> catalog.activity(key).isPresent(), "is not an activity of the catalog");
        if (invalid.isValid("activities") && invalid.isValid("systems")) {
            for (String key : activities) {
                if (catalog.activity(key).orElseThrow().systems().stream().noneMatch(systems::contains)) {
                    invalid.reject("activities", "'" + key + "' is carried out in none of the systems named");
                }
            }
        }
        Instant from = instant("from", breach.from(), false, invalid);
        Instant to = instant("to", breach.to(), false, invalid);
        if (from != null && to != null && !from.isBefore(to)) {
            invalid.reject("from", "must be before 'to' (the window is [from, to))");
        }
        String measures = text("measures", breach.measures(), TEXT_MAX, invalid);
        String consequences = text("likelyConsequences", breach.likelyConsequences(), TEXT_MAX, invalid);
        invalid.throwIfAny();

        // Without an end, the window ends at discovery: what was collected later was not in the breach.
        AffectedPeople.Count count = affectedPeople.count(scope(categories, systems, activities, from,
                to != null ? to : discoveredAt));
        UUID id = UUID.randomUUID();
        repository.insert(new BreachRow(id, discoveredAt, now, summary, categories, systems, activities, from, to,
                measures, consequences, new Breach.Affected(count.people(), count.records(), count.bySystem(),
                        count.byActivity()),
                BreachStatus.OPEN.key(), null, null, null, null, null, null, null, null, null, 0, 0, null));
        transition(id, now, "recorded", BreachStatus.OPEN, Map.of("people", count.people(), "records", count.records()));
        return get(id);
    }

    /** The scope the vault counts: each category given, with the declared categories below it. */
    AffectedPeople.Scope scope(List<String> categories, List<String> systems, List<String> activities, Instant from,
            Instant to) {
        Set<String> expanded = new LinkedHashSet<>();
        categories.forEach(category -> expanded.addAll(declaredWithin(category)));
        return new AffectedPeople.Scope(expanded, Set.copyOf(systems), Set.copyOf(activities), from, to);
    }

    /** The scope the breach was counted with: the categories expanded, the window ending at discovery without {@code to}. */
    AffectedPeople.Scope scope(BreachRow row) {
        return scope(row.categories(), row.systems(), row.activities(), row.from(),
                row.to() != null ? row.to() : row.discoveredAt());
    }

    /**
     * Whom the company writes to (Art. 34): the people of the counted scope affected through an activity
     * it is the controller of. Data held only for customers (processor activities) is theirs to tell
     * (Art. 33(2)): counted, but not mailed by us. Empty when no controller activity is concerned.
     */
    Optional<AffectedPeople.Scope> mailingScope(BreachRow row) {
        AffectedPeople.Scope counted = scope(row);
        List<Activity> concerned = concerned(row);
        if (concerned.stream().noneMatch(activity -> activity.role() == Role.PROCESSOR)) {
            return Optional.of(counted);
        }
        Set<String> controlled = new LinkedHashSet<>();
        concerned.stream().filter(activity -> activity.role() == Role.CONTROLLER).map(Activity::key)
                .forEach(controlled::add);
        return controlled.isEmpty() ? Optional.empty()
                : Optional.of(new AffectedPeople.Scope(counted.categories(), counted.systems(), controlled,
                        counted.from(), counted.to()));
    }

    private Set<String> declaredWithin(String category) {
        Set<String> declared = new LinkedHashSet<>();
        for (Activity activity : catalog.activities()) {
            activity.dataCategories().stream().filter(key -> Taxonomy.isWithin(key, category)).forEach(declared::add);
            activity.documents().values().stream().filter(key -> Taxonomy.isWithin(key, category))
                    .forEach(declared::add);
        }
        return declared;
    }

    @Override
    public List<Breach> list() {
        Instant now = now();
        return repository.all().stream().map(row -> view(row, now)).toList();
    }

    @Override
    public Breach get(UUID id) {
        return view(repository.find(id).orElseThrow(() -> notFound(id)), now());
    }

    @Override
    @Transactional
    public Breach assess(UUID id, String risk, String reasons) {
        Problems.Violations invalid = Problems.violations();
        BreachRisk assessed = risk == null ? null : BreachRisk.fromKey(risk.strip()).orElse(null);
        invalid.require(assessed != null, "risk", "must be unlikely, risk or high");
        String why = text("reasons", reasons, TEXT_MAX, invalid);
        invalid.throwIfAny();
        BreachRow row = locked(id);
        BreachStatus status = status(row);
        if (status == BreachStatus.CLOSED) {
            throw conflict("The breach is closed; its assessment can no longer change.");
        }
        BreachStatus next = status == BreachStatus.NOTIFIED ? BreachStatus.NOTIFIED : BreachStatus.ASSESSED;
        repository.assess(id, assessed.key(), why, next.key());
        transition(id, now(), "assessed", next, Map.of("risk", assessed.key()));
        return get(id);
    }

    @Override
    @Transactional
    public Breach notifyAuthority(UUID id, String notifiedAt, String reference, String lateReasons) {
        Instant now = now();
        BreachRow row = locked(id);
        Problems.Violations invalid = Problems.violations();
        Instant at = instant("notifiedAt", notifiedAt, true, invalid);
        if (at != null && at.isAfter(now)) {
            invalid.reject("notifiedAt", "cannot be in the future");
        }
        if (at != null && at.isBefore(row.discoveredAt())) {
            invalid.reject("notifiedAt", "cannot be before the breach was discovered");
        }
        String ref = text("reference", reference, 200, invalid);
        String late = lateReasons == null || lateReasons.isBlank() ? null : lateReasons.strip();
        invalid.require(late == null || late.length() <= TEXT_MAX, "lateReasons", "at most " + TEXT_MAX + " characters");
        if (at != null && late == null && at.isAfter(row.discoveredAt().plus(NOTIFY_WITHIN))) {
            invalid.reject("lateReasons", "the authority was notified more than 72 hours after the breach was"
                    + " discovered: the reasons for the delay are required (Art. 33(1))");
        }
        invalid.throwIfAny();
        switch (status(row)) {
            case OPEN -> throw conflict("Assess the risk first (POST …/assessment): it decides whether the authority"
                    + " must be notified.");
            case NOTIFIED -> throw conflict("The authority was notified already, on " + row.notifiedAt() + ".");
            case CLOSED -> throw conflict("The breach is closed.");
            default -> {
            }
        }
        repository.notified(id, at, ref, late);
        transition(id, now, "authority-notified", BreachStatus.NOTIFIED, Map.of("late", late != null));
        return get(id);
    }

    @Override
    @Transactional
    public Breach notifyPeople(UUID id, String lang) {
        Language language = lang == null || lang.isBlank() ? Language.NB : Language.fromCode(lang.strip())
                .orElseThrow(() -> Problems.invalid("lang", "must be nb or en"));
        BreachRow row = locked(id);
        if (status(row) == BreachStatus.CLOSED) {
            throw conflict("The breach is closed.");
        }
        if (!BreachRisk.HIGH.key().equals(row.risk())) {
            throw conflict("The people affected are told only when the risk to them is high (Art. 34(1)); this"
                    + " breach is assessed as " + (row.risk() == null ? "not yet assessed" : "'" + row.risk() + "'")
                    + ".");
        }
        if (row.peopleStatus() != null) {
            throw conflict("The people affected are being told already (" + row.peopleStatus() + ").");
        }
        repository.startMailing(id, language.code());
        transition(id, now(), "people-notification-started", status(row), Map.of());
        return get(id);
    }

    @Override
    @Transactional
    public Breach close(UUID id, String outcome) {
        Problems.Violations invalid = Problems.violations();
        String text = text("outcome", outcome, TEXT_MAX, invalid);
        invalid.throwIfAny();
        BreachRow row = locked(id);
        if (status(row) == BreachStatus.CLOSED) {
            throw conflict("The breach is closed already.");
        }
        if ("running".equals(row.peopleStatus())) {
            throw conflict("The letters to the people affected are still being sent.");
        }
        if (row.risk() == null) {
            throw conflict("Assess the risk first (POST …/assessment): a breach is closed only once it is known"
                    + " whether the authority must be notified (Art. 33(1)).");
        }
        if (!BreachRisk.UNLIKELY.key().equals(row.risk()) && row.notifiedAt() == null) {
            throw conflict("The breach is assessed as '" + row.risk() + "': notify the authority first (POST"
                    + " …/authority-notification); only a breach unlikely to result in a risk goes unnotified"
                    + " (Art. 33(1)).");
        }
        repository.close(id, text);
        transition(id, now(), "closed", BreachStatus.CLOSED, Map.of());
        return get(id);
    }

    @Override
    public BreachReport report(UUID id, Language language) {
        BreachRow row = repository.find(id).orElseThrow(() -> notFound(id));
        Breach view = view(row, now());
        Taxonomy taxonomy = catalog.taxonomy();
        ControllerDetails controller = catalog.controller();
        List<BreachReport.Named> categories = row.categories().stream()
                .map(key -> new BreachReport.Named(key, taxonomy.categoryName(key, language))).toList();
        List<BreachReport.Named> systems = row.systems().stream().map(key -> new BreachReport.Named(key,
                catalog.system(key).map(system -> system.name().in(language)).orElse(key))).toList();
        List<Activity> concerned = concerned(row);
        List<BreachReport.Named> activities = concerned.stream()
                .map(activity -> new BreachReport.Named(activity.key(), activity.name().in(language))).toList();
        Map<String, List<String>> controllers = new LinkedHashMap<>();
        RecordOfProcessing.of(catalog, language).processorRecord().activities()
                .forEach(entry -> controllers.put(entry.key(), entry.controllers()));
        List<BreachReport.ProcessorActivity> customers = concerned.stream()
                .filter(activity -> activity.role() == Role.PROCESSOR)
                .map(activity -> new BreachReport.ProcessorActivity(activity.key(), activity.name().in(language),
                        row.affected().byActivity().getOrDefault(activity.key(), 0L),
                        controllers.getOrDefault(activity.key(), List.of())))
                .toList();
        return new BreachReport(row.id(), language.code(), new BreachReport.Controller(controller.name(),
                controller.organizationNumber(), controller.email(), controller.phone()), row.discoveredAt(),
                view.notifyAuthorityBy(), view.late(), row.lateReasons(),
                new BreachReport.Nature(row.summary(), categories, systems, activities, row.from(), row.to(),
                        row.affected().people(), row.affected().records()),
                contact(controller), row.consequences(), row.measures(), row.risk(), row.riskReasons(), customers);
    }

    @Override
    public String reportHtml(UUID id, Language language) {
        return texts.report(report(id, language), language);
    }

    /** The DPO, or else the controller's privacy contact (Art. 33(3)(b), 34(2)). */
    BreachReport.Contact contact(ControllerDetails controller) {
        ControllerDetails.Contact dpo = controller.dataProtectionOfficer();
        return dpo != null && dpo.email() != null
                ? new BreachReport.Contact("dpo", dpo.name(), dpo.email(), dpo.phone())
                : new BreachReport.Contact("privacy-contact", controller.name(), controller.privacyMailbox(),
                        controller.phone());
    }

    /** The activities the breach concerns: those named, or else every one of its systems that holds its categories. */
    List<Activity> concerned(BreachRow row) {
        if (!row.activities().isEmpty()) {
            return row.activities().stream().map(key -> catalog.activity(key).orElse(null))
                    .filter(activity -> activity != null).toList();
        }
        Set<String> categories = scope(row.categories(), row.systems(), List.of(), null, null).categories();
        return catalog.activities().stream()
                .filter(activity -> activity.systems().stream().anyMatch(row.systems()::contains))
                .filter(activity -> activity.dataCategories().stream().anyMatch(categories::contains)
                        || activity.documents().values().stream().anyMatch(categories::contains))
                .toList();
    }

    @Override
    @Transactional
    public int remindOfDeadlines() {
        Instant now = now();
        LocalDate today = LocalDate.ofInstant(now, NORWAY);
        List<BreachRow> due = repository.dueBefore(now.plus(REMIND_WITHIN));
        List<BreachRow> reminded = new ArrayList<>();
        for (BreachRow row : due) {
            if (repository.remind(row.id(), today)) {
                reminded.add(row);
            }
        }
        if (reminded.isEmpty()) {
            return 0;
        }
        List<BreachTexts.DueBreach> lines = reminded.stream().map(row -> {
            Breach view = view(row, now);
            return new BreachTexts.DueBreach(row.id(), row.summary(), row.discoveredAt(), view.notifyAuthorityBy(),
                    view.hoursLeft(), row.status(), row.risk());
        }).toList();
        BreachTexts.Letter letter = texts.deadlineReminder(lines);
        mailer.send(new Mail(catalog.controller().privacyMailbox(), letter.subject(), letter.text(), Map.of(), null,
                "breaches:deadline-reminder:" + today));
        reminded.forEach(row -> events.publishEvent(new BreachEvents.BreachChanged(row.id(), "dpo-reminded",
                row.status(), Map.of())));
        return reminded.size();
    }

    Breach view(BreachRow row, Instant now) {
        Instant by = row.discoveredAt().plus(NOTIFY_WITHIN);
        BreachStatus status = status(row);
        // Assessed unlikely to result in a risk (Art. 33(1)): no notification is due, so no clock runs.
        boolean noNotification = BreachRisk.UNLIKELY.key().equals(row.risk());
        Long hoursLeft = row.notifiedAt() != null || status == BreachStatus.CLOSED || noNotification ? null
                : Math.floorDiv(Duration.between(now, by).getSeconds(), 3600L);
        boolean late = row.notifiedAt() != null ? row.notifiedAt().isAfter(by)
                : status != BreachStatus.CLOSED && !noNotification && now.isAfter(by);
        Breach.AuthorityNotification authority = row.notifiedAt() == null ? null
                : new Breach.AuthorityNotification(row.notifiedAt(), row.reference(), row.lateReasons());
        Breach.PeopleNotification people = row.peopleStatus() == null ? null
                : new Breach.PeopleNotification(row.peopleStatus(), row.peopleLang(),
                        row.peopleTotal() == null ? 0 : row.peopleTotal(), row.peopleSent(), row.peopleWithout());
        return new Breach(row.id(), row.status(), row.risk(), row.riskReasons(), row.discoveredAt(), row.recordedAt(),
                row.summary(), row.categories(), row.systems(), row.activities(), row.from(), row.to(),
                row.measures(), row.consequences(), row.affected(), by, hoursLeft, late, authority, people,
                row.outcome(), repository.history(row.id()));
    }

    void transition(UUID id, Instant at, String action, BreachStatus status, Map<String, Object> counts) {
        repository.transition(id, at, action, status.key(), actor());
        events.publishEvent(new BreachEvents.BreachChanged(id, action, status.key(), counts));
    }

    /** The token (its id and name), the signed-in member of staff ({@code staff:<id>}), or the system. */
    static Breach.Actor actor() {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        if (authentication != null && authentication.getPrincipal() instanceof ApiToken token) {
            return new Breach.Actor(token.id(), token.name());
        }
        return Callers.staff().map(staff -> new Breach.Actor(null, staff.getName()))
                .orElseGet(() -> new Breach.Actor(null, "system"));
    }

    private BreachRow locked(UUID id) {
        return repository.lock(id).orElseThrow(() -> notFound(id));
    }

    private static BreachStatus status(BreachRow row) {
        return BreachStatus.valueOf(row.status().toUpperCase(Locale.ROOT));
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }

    Clock clock() {
        return clock;
    }

    private static Refusal notFound(UUID id) {
        return Problems.notFound("No breach " + id + ".");
    }

    private static Refusal conflict(String detail) {
        return Problems.refusal(Refusal.Kind.CONFLICT, "Not possible now", detail, null);
    }

    private static final Instant LATEST = Instant.parse("9999-12-31T23:59:59Z");

    private static Instant instant(String field, String value, boolean required, Problems.Violations invalid) {
        if (value == null || value.isBlank()) {
            if (required) {
                invalid.reject(field, "required: an ISO 8601 time, e.g. 2026-01-10T09:00:00Z");
            }
            return null;
        }
        try {
            Instant instant = OffsetDateTime.parse(value.strip()).toInstant().truncatedTo(ChronoUnit.MICROS);
            // Both databases store the years 1970 to 9999 alike; a time beyond them is a typing error.
            if (instant.isBefore(Instant.EPOCH) || instant.isAfter(LATEST)) {
                invalid.reject(field, "'" + Problems.shown(value) + "' lies outside the years 1970 to 9999");
                return null;
            }
            return instant;
        } catch (DateTimeParseException e) {
            invalid.reject(field, "'" + Problems.shown(value) + "' is not an ISO 8601 time with an offset,"
                    + " e.g. 2026-01-10T09:00:00Z");
            return null;
        }
    }

    private static String text(String field, String value, int max, Problems.Violations invalid) {
        if (value == null || value.isBlank()) {
            invalid.reject(field, "required");
            return null;
        }
        String text = value.strip();
        if (text.length() > max) {
            invalid.reject(field, "at most " + max + " characters");
            return null;
        }
        return text;
    }

    private static List<String> keys(String field, List<String> given, boolean required, Problems.Violations invalid,
            Predicate<String> known, String unknown) {
        if (given == null || given.isEmpty()) {
            if (required) {
                invalid.reject(field, "at least one is required");
            }
            return List.of();
        }
        if (given.size() > KEYS_MAX) {
            invalid.reject(field, "at most " + KEYS_MAX);
            return List.of();
        }
        Map<String, Boolean> keys = new LinkedHashMap<>();
        for (String key : given) {
            if (key == null || key.isBlank() || !known.test(key.strip())) {
                invalid.reject(field, "'" + Problems.shown(key) + "' " + unknown);
                return List.of();
            }
            keys.put(key.strip(), true);
        }
        return List.copyOf(keys.keySet());
    }
}
