package no.personvern.web.console;

import io.swagger.v3.oas.annotations.Hidden;
import jakarta.servlet.http.HttpServletRequest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import no.personvern.Problems;
import no.personvern.Refusal.Kind;
import no.personvern.catalog.Catalog;
import no.personvern.catalog.Language;
import no.personvern.catalog.LegalBasis;
import no.personvern.catalog.PrivacyNotices;
import no.personvern.catalog.RecordCsv;
import no.personvern.catalog.RecordOfProcessing;
import no.personvern.web.internal.PageLanguage;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * {@code /admin/record} (DPO): the record of processing (Art. 30): the controller and its contact
 * (30(1)(a)), the activities as a table to filter, the security measures (30(1)(g)), its CSV (the
 * whole record, the same as {@code GET /api/v1/ropa}, whatever the filters), the privacy notice as the public reads it in either language
 * with its version, and the catalog's warnings from start-up.
 */
@Controller
@Hidden
class RecordController {

    static final int MAX_TEXT = 200;

    private final Catalog catalog;
    private final PrivacyNotices notices;

    RecordController(Catalog catalog, PrivacyNotices notices) {
        this.catalog = catalog;
        this.notices = notices;
    }

    /** One row of the table: an activity of ours (controller) or one we carry out for customers (processor). */
    public record Row(String key, String name, String role, List<String> purposes, String basis, String article,
            String interest, List<String> subjects, List<String> categories, List<String> recipients,
            List<String> transfers, String erasure) {

        public boolean matches(String text) {
            if (text == null) {
                return true;
            }
            String needle = text.toLowerCase(Locale.ROOT);
            return Stream.of(List.of(key, name, nullToEmpty(interest), nullToEmpty(erasure)), purposes, subjects,
                    categories, recipients, transfers).flatMap(List::stream)
                    .anyMatch(value -> value.toLowerCase(Locale.ROOT).contains(needle));
        }
    }

    @GetMapping(path = "/admin/record", produces = "text/html")
    String record(@RequestParam(required = false) String q, @RequestParam(required = false) String role,
            @RequestParam(required = false) String basis, @RequestParam(required = false) String notice,
            HttpServletRequest request, Model model) {
        Language language = PageLanguage.of(request);
        String text = q == null || q.isBlank() ? null : q.strip();
        if (text != null && text.length() > MAX_TEXT) {
            throw bad("q", "The text filter may be at most " + MAX_TEXT + " characters.");
        }
        String chosenRole = role == null || role.isBlank() ? null : role;
        if (chosenRole != null && !chosenRole.equals("controller") && !chosenRole.equals("processor")) {
            throw bad("role", "The role is controller or processor.");
        }
        String chosenBasis = basis == null || basis.isBlank() ? null : basis;
        if (chosenBasis != null && LegalBasis.fromKey(chosenBasis).isEmpty()) {
            throw bad("basis", "Unknown legal basis.");
        }
        Language noticeLanguage = notice == null || notice.isBlank() ? language
                : Language.fromCode(notice).orElseThrow(() -> bad("notice", "The notice is in nb or en."));

        RecordOfProcessing record = RecordOfProcessing.of(catalog, language);
        List<Row> rows = rows(record);
        // Art. 30(1)(a) and (g): who the controller is and how to reach them, and the security measures.
        model.addAttribute("controller", record.controller());
        model.addAttribute("measures", catalog.securityMeasures().stream().map(m -> m.in(language)).toList());
        model.addAttribute("filtered", text != null || chosenRole != null || chosenBasis != null);
        List<Row> shown = rows.stream().filter(row -> row.matches(text))
                .filter(row -> chosenRole == null || row.role().equals(chosenRole))
                .filter(row -> chosenBasis == null || chosenBasis.equals(row.basis())).toList();
        model.addAttribute("rows", shown);
        model.addAttribute("total", rows.size());
        model.addAttribute("q", text);
        model.addAttribute("role", chosenRole);
        model.addAttribute("basis", chosenBasis);
        model.addAttribute("bases", Arrays.stream(LegalBasis.values()).map(LegalBasis::key).toList());
        model.addAttribute("warnings", catalog.warnings());
        model.addAttribute("notice", notices.notice(noticeLanguage));
        model.addAttribute("noticeLang", noticeLanguage.code());
        return "admin/record";
    }

    /** The CSV of {@code GET /api/v1/ropa}, in the page's language unless {@code in} says otherwise. */
    @GetMapping(path = "/admin/record/csv")
    ResponseEntity<byte[]> csv(@RequestParam(name = "in", required = false) String in, HttpServletRequest request) {
        Language language = in == null || in.isBlank() ? PageLanguage.of(request)
                : Language.fromCode(in).orElseThrow(() -> bad("in", "The record is in nb or en."));
        return ResponseEntity.ok()
                .contentType(new MediaType("text", "csv", StandardCharsets.UTF_8))
                .header(HttpHeaders.CONTENT_DISPOSITION, ContentDisposition.attachment()
                        .filename("record-of-processing-" + language.code() + ".csv").build().toString())
                .header(HttpHeaders.CACHE_CONTROL, "no-store")
                .body(RecordCsv.of(RecordOfProcessing.of(catalog, language)).getBytes(StandardCharsets.UTF_8));
    }

    private static List<Row> rows(RecordOfProcessing record) {
        List<Row> rows = new ArrayList<>();
        for (RecordOfProcessing.Entry entry : record.activities()) {
            rows.add(new Row(entry.key(), entry.name(), entry.role(), names(entry.purposes()), entry.legalBasis().key(),
                    entry.legalBasis().article(), entry.legalBasis().legitimateInterest(), names(entry.dataSubjects()),
                    names(entry.dataCategories()), entry.recipients().stream().map(RecordOfProcessing.Recipient::name)
                            .toList(), transfers(entry.thirdCountryTransfers()), entry.erasureTimeLimit()));
        }
        for (RecordOfProcessing.ProcessorEntry entry : record.processorRecord().activities()) {
            rows.add(new Row(entry.key(), entry.name(), "processor", names(entry.categoriesOfProcessing()), null, null,
                    null, names(entry.dataSubjects()), names(entry.dataCategories()),
                    entry.processors().stream().map(RecordOfProcessing.Recipient::name).toList(),
                    transfers(entry.thirdCountryTransfers()), null));
        }
        return rows;
    }

    private static List<String> names(List<RecordOfProcessing.Term> terms) {
        return terms.stream().map(RecordOfProcessing.Term::name).toList();
    }

    private static List<String> transfers(List<RecordOfProcessing.Transfer> transfers) {
        return transfers.stream().map(t -> t.recipient() + ": " + String.join(", ", t.countries()) + " ("
                + t.safeguard() + ")").collect(Collectors.toList());
    }

    private static String nullToEmpty(String value) {
        return value == null ? "" : value;
    }

    static RuntimeException bad(String field, String detail) {
        return Problems.refusal(Kind.BAD_REQUEST, "Bad request", detail, field);
    }
}
