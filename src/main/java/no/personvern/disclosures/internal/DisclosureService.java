package no.personvern.disclosures.internal;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;
import no.personvern.Problems;
import no.personvern.Refusal;
import no.personvern.Refusal.Kind;
import no.personvern.catalog.Catalog;
import no.personvern.catalog.Processor;
import no.personvern.catalog.Taxonomy;
import no.personvern.disclosures.Disclosure;
import no.personvern.disclosures.DisclosureBasis;
import no.personvern.disclosures.DisclosureRecorded;
import no.personvern.disclosures.Disclosures;
import no.personvern.disclosures.ProcessorStatus;
import no.personvern.subjects.Vault;
import no.personvern.subjects.VaultEvents;
import org.springframework.modulith.events.ApplicationModuleListener;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

@Service
class DisclosureService implements Disclosures {

    /** A DPA that ends within this many days is {@code expiring}: time to renew it. */
    static final long EXPIRING_WITHIN_DAYS = 60;
    private static final ZoneId NORWAY = ZoneId.of("Europe/Oslo");
    /** Words that make a disclosure a sale, in English and Norwegian (S12: never). */
    private static final Pattern SALE = Pattern.compile(
            "\\b(sale|sell|selling|sold|resale|monetis\\w*|monetiz\\w*|salg|selge|solgt|videresalg)\\b",
            Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);

    private final JdbcClient jdbc;
    private final Catalog catalog;
    private final Vault vault;
    private final ApplicationEventPublisher events;
    private final Clock clock;
    private final DisclosureRefusals refusals;

    DisclosureService(JdbcClient jdbc, Catalog catalog, Vault vault, ApplicationEventPublisher events, Clock clock,
            DisclosureRefusals refusals) {
        this.refusals = refusals;
        this.jdbc = jdbc;
        this.catalog = catalog;
        this.vault = vault;
        this.events = events;
        this.clock = clock;
    }

    @Override
    public List<ProcessorStatus> processors() {
        LocalDate today = LocalDate.ofInstant(clock.instant(), NORWAY);
        return catalog.processors().stream().map(processor -> status(processor, today)).toList();
    }

    private static ProcessorStatus status(Processor processor, LocalDate today) {
        Processor.Dpa dpa = processor.dpa();
        ProcessorStatus.DpaStatus dpaStatus = null;
        if (dpa != null) {
            Long daysLeft = dpa.expiresAt() == null ? null : ChronoUnit.DAYS.between(today, dpa.expiresAt());
            String state = daysLeft == null || daysLeft > EXPIRING_WITHIN_DAYS ? "valid"
                    : daysLeft > 0 ? "expiring" : "expired";
            dpaStatus = new ProcessorStatus.DpaStatus(dpa.reference(), dpa.signedAt(), dpa.expiresAt(), state,
                    daysLeft == null ? null : Math.max(daysLeft, 0));
        }
        return new ProcessorStatus(processor.key(), processor.name(), processor.service(), processor.countries(),
                processor.thirdCountries(),
                processor.transferMechanism() == null ? null : processor.transferMechanism().key(), dpaStatus,
                processor.dataCategories(), processor.subProcessors());
    }

    @Override
    @Transactional
    public Disclosure record(NewDisclosure request) {
        // Why a field was refused, as a fixed key (the messages may repeat what was typed): kept with the refusal.
        Map<String, String> reasons = new LinkedHashMap<>();
        try {
            return record(request, reasons);
        } catch (Refusal refusal) {
            List<String> why = new ArrayList<>();
            refusal.errors().forEach(error -> why.add(reasons.getOrDefault(error.field(), "invalid")));
            if (why.isEmpty()) {
                why.add(reasons.getOrDefault("", "invalid"));
            }
            refusals.record(catalog.processor(String.valueOf(request.recipient()).strip()).isPresent()
                    || catalog.authority(String.valueOf(request.recipient()).strip()).isPresent()
                    ? request.recipient().strip() : null,
                    DisclosureBasis.fromKey(request.basis() == null ? "" : request.basis().strip())
                            .map(DisclosureBasis::key).orElse(null),
                    why.stream().distinct().toList(), actor());
            throw refusal;
        }
    }

    private Disclosure record(NewDisclosure request, Map<String, String> reasons) {
        // Every invalid field is named at once; what depends on the basis is checked when it is known.
        Problems.Violations invalid = Problems.violations();
        Map<String, String> stated = new LinkedHashMap<>();
        stated.put("purpose", request.purpose());
        stated.put("basis", request.basis());
        stated.put("note", request.note());
        stated.forEach((field, text) -> {
            if (text != null && SALE.matcher(text).find()) {
                reasons.putIfAbsent(field, "sale");
                invalid.reject(field, "personal data is never sold (S12): a sale cannot be recorded as a disclosure");
            }
        });
        DisclosureBasis basis = DisclosureBasis.fromKey(request.basis() == null ? "" : request.basis().strip())
                .orElse(null);
        if (basis == null) {
            reasons.putIfAbsent("basis", "basis");
            invalid.reject("basis", "the basis must be dpa (a processor under its data processing agreement),"
                    + " court-order, law or regulation (a public authority); '" + Problems.shown(request.basis())
                    + "' is not a lawful basis for disclosure");
        }
        invalid.require(request.subjectId() != null, "subjectId", "required");
        List<String> categories = categories(request.dataCategories(), invalid);
        String recipient = invalid.collect(() -> required("recipient", request.recipient(), 200));
        String note = request.note() == null || request.note().isBlank() ? null : request.note().strip();
        invalid.require(note == null || note.length() <= 1000, "note", "at most 1000 characters");
        String reference = null;
        String recipientName = null;
        if (basis == DisclosureBasis.DPA && recipient != null) {
            Processor processor = catalog.processor(recipient).orElse(null);
            ProcessorStatus.DpaStatus dpa = processor == null ? null
                    : status(processor, LocalDate.ofInstant(clock.instant(), NORWAY)).dpa();
            if (processor == null) {
                reasons.putIfAbsent("recipient", "not-processor");
                invalid.reject("recipient", "'" + Problems.shown(recipient) + "' is not a processor in the catalog; a"
                        + " disclosure under a DPA goes only to one");
            } else if (dpa == null || dpa.state().equals("expired")) {
                reasons.putIfAbsent("recipient", dpa == null ? "dpa-missing" : "dpa-expired");
                invalid.reject("recipient", "the data processing agreement with '" + recipient + "' "
                        + (dpa == null ? "is missing" : "expired on " + dpa.expiresAt()) + " (Art. 28(3))");
            }
            if (processor != null) {
                List<String> uncovered = categories.stream().filter(category -> processor.dataCategories().stream()
                        .noneMatch(covered -> Taxonomy.isWithin(category, covered))).toList();
                if (!uncovered.isEmpty()) {
                    reasons.putIfAbsent("dataCategories", "categories-uncovered");
                }
                invalid.require(uncovered.isEmpty(), "dataCategories", "the data processing agreement with '"
                        + recipient + "' does not cover " + String.join(", ", uncovered));
                recipientName = processor.name();
            }
            if (dpa != null) {
                if (request.reference() != null && !request.reference().isBlank()
                        && !request.reference().strip().equals(dpa.reference())) {
                    reasons.putIfAbsent("reference", "reference-mismatch");
                }
                invalid.require(request.reference() == null || request.reference().isBlank()
                        || request.reference().strip().equals(dpa.reference()), "reference",
                        "the data processing agreement with '" + recipient + "' is " + dpa.reference() + ", not '"
                                + Problems.shown(request.reference() == null ? "" : request.reference().strip()) + "'");
                reference = dpa.reference();
            }
        } else if (basis != null && recipient != null) {
            if (request.reference() == null || request.reference().isBlank()) {
                reasons.putIfAbsent("reference", "reference-missing");
                invalid.reject("reference", "a disclosure to an authority under " + basis.key()
                        + " needs the reference of the " + switch (basis) {
                            case COURT_ORDER -> "court order";
                            case LAW -> "law";
                            default -> "regulation";
                        } + " (S13)");
            } else {
                reference = invalid.collect(() -> required("reference", request.reference(), 200));
            }
            if (catalog.processor(recipient).isPresent()) {
                reasons.putIfAbsent("recipient", "processor-not-dpa");
                invalid.reject("recipient", "'" + recipient + "' is a processor: it receives data only under its data"
                        + " processing agreement (basis dpa)");
            } else if (catalog.authorities().isEmpty()) {
                // A catalog that lists its authorities (the optional top-level authorities) limits disclosures
                // to them, so that a buyer cannot be passed off as one; without a list, the recipient is the
                // authority's name as given, recorded with the reference that obliges the disclosure.
                recipientName = recipient.strip();
            } else {
                recipientName = catalog.authority(recipient).map(no.personvern.catalog.Authority::name).orElse(null);
                if (recipientName == null) {
                    reasons.putIfAbsent("recipient", "not-authority");
                }
                invalid.require(recipientName != null, "recipient", "'" + Problems.shown(recipient) + "' is not an"
                        + " authority in the catalog; a disclosure under " + basis.key() + " goes only to one of "
                        + String.join(", ", catalog.authorities().stream().map(no.personvern.catalog.Authority::key)
                                .toList()));
            }
        }
        invalid.throwIfAny();
        // A processor receives data of a person held now; an authority may ask about someone erased since.
        boolean known = basis == DisclosureBasis.DPA ? vault.isLive(request.subjectId())
                : vault.exists(request.subjectId());
        if (!known) {
            reasons.put("subjectId", "unknown-subject");
            throw notFound(request.subjectId());
        }
        // Art. 18(2): a restricted person's data is disclosed only for legal claims or an authority's legal
        // power: under a court order or a law. Not to a processor (the processing the restriction stops)
        // nor under a regulation (a general duty to report does not override the person's restriction).
        if (basis != DisclosureBasis.COURT_ORDER && basis != DisclosureBasis.LAW
                && vault.isRestricted(request.subjectId())) {
            reasons.put("subjectId", "restricted");
            throw Problems.refusal(Kind.CONFLICT, "Restricted", "Subject " + request.subjectId() + " is restricted"
                    + " (GDPR Art. 18(2)): their data is disclosed only under a court order or a law.", "subjectId");
        }
        Disclosure disclosure = new Disclosure(UUID.randomUUID(), request.subjectId(), recipient, recipientName,
                categories, basis, reference, note, clock.instant());
        jdbc.sql("""
                INSERT INTO disclosure (id, subject_id, recipient, recipient_name, categories, basis, reference, note,
                                        disclosed_by, disclosed_at)
                VALUES (:id, :subject, :recipient, :name, :categories, :basis, :reference, :note, :by, :at)""")
                .param("id", disclosure.id()).param("subject", disclosure.subjectId()).param("recipient", recipient)
                .param("name", recipientName).param("categories", String.join(",", categories))
                .param("basis", basis.key()).param("reference", reference).param("note", note).param("by", actor())
                .param("at", OffsetDateTime.ofInstant(disclosure.disclosedAt(), ZoneOffset.UTC)).update();
        // An authority named in free text (no authorities list) stays out of the audit entry: it is the DPO's
        // wording, and could name a person; the disclosure log has it.
        String audited = catalog.processor(recipient).isPresent() || catalog.authority(recipient).isPresent()
                ? recipient : "authority";
        events.publishEvent(new DisclosureRecorded(disclosure.id(), disclosure.subjectId(), audited, basis,
                categories));
        return disclosure;
    }

    @Override
    public List<Disclosure> read(UUID subjectId) {
        List<Disclosure> disclosures = of(subjectId);
        events.publishEvent(new DisclosureRecorded.LogRead(subjectId));
        return disclosures;
    }

    /** Erasure leaves the log (accountability) but not its free-text notes, which may describe the person. Durable. */
    @ApplicationModuleListener
    void on(VaultEvents.SubjectErased erased) {
        jdbc.sql("UPDATE disclosure SET note = NULL WHERE subject_id = :subject").param("subject", erased.subjectId())
                .update();
    }

    @Override
    public List<Disclosure> of(UUID subjectId) {
        return jdbc.sql("""
                SELECT id, subject_id, recipient, recipient_name, categories, basis, reference, note, disclosed_at
                FROM disclosure WHERE subject_id = :subject ORDER BY disclosed_at, id""")
                .param("subject", subjectId).query(DisclosureService::disclosure).list();
    }

    private List<String> categories(List<String> requested, Problems.Violations invalid) {
        if (requested == null || requested.isEmpty()) {
            invalid.reject("dataCategories", "name at least one data category");
            return List.of();
        }
        List<String> categories = new ArrayList<>();
        for (int i = 0; i < requested.size(); i++) {
            String category = requested.get(i);
            if (category == null || !catalog.taxonomy().isDataCategory(category)) {
                invalid.reject("dataCategories[" + i + "]", "unknown data category '" + Problems.shown(category) + "'");
            } else if (!categories.contains(category)) {
                categories.add(category);
            }
        }
        return List.copyOf(categories);
    }

    private static String required(String field, String value, int max) {
        if (value == null || value.isBlank()) {
            throw Problems.invalid(field, "required");
        }
        if (value.strip().length() > max) {
            throw Problems.invalid(field, "at most " + max + " characters");
        }
        return value.strip();
    }

    private static RuntimeException notFound(UUID subjectId) {
        return Problems.refusal(Kind.NOT_FOUND, "Not found", "No person " + subjectId + ".", "subjectId");
    }

    private static String actor() {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        return authentication == null ? "system" : authentication.getName();
    }

    private static DisclosureBasis basis(String key) {
        return DisclosureBasis.fromKey(key).orElseThrow(() -> new IllegalStateException("stored basis " + key));
    }

    private static Disclosure disclosure(ResultSet rs, int n) throws SQLException {
        return new Disclosure(rs.getObject("id", UUID.class), rs.getObject("subject_id", UUID.class),
                rs.getString("recipient"), rs.getString("recipient_name"),
                List.of(rs.getString("categories").split(",")), basis(rs.getString("basis")), rs.getString("reference"),
                rs.getString("note"), rs.getObject("disclosed_at", OffsetDateTime.class).toInstant());
    }
}
