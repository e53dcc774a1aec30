package no.personvern.catalog;

import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import no.personvern.catalog.RecordOfProcessing.Entry;
import no.personvern.catalog.RecordOfProcessing.Term;

/** The record of processing as CSV (RFC 4180), one row per activity: {@code GET /api/v1/ropa} and the console. */
public final class RecordCsv {

    private static final List<String> CSV_COLUMNS = List.of("key", "name", "role", "purposes", "legalBasis",
            "legitimateInterest", "dataSubjects", "dataCategories", "recipients", "thirdCountryTransfers",
            "erasureTimeLimit", "securityMeasures", "controller", "controllerContact", "dataProtectionOfficer", "record",
            "controllers");

    private RecordCsv() {
    }

    public static String of(RecordOfProcessing record) {
        RecordOfProcessing.Controller controller = record.controller();
        String contact = Stream.of(controller.email(), controller.phone(), controller.visitingAddress(),
                controller.postalAddress()).filter(value -> value != null).collect(Collectors.joining("; "));
        String dpo = controller.dpo();
        StringBuilder csv = new StringBuilder(row(CSV_COLUMNS));
        for (Entry entry : record.activities()) {
            csv.append(row(List.of(entry.key(), entry.name(), entry.role(), terms(entry.purposes()),
                    entry.legalBasis().key() + " (" + entry.legalBasis().article() + ")",
                    nullToEmpty(entry.legalBasis().legitimateInterest()), terms(entry.dataSubjects()),
                    terms(entry.dataCategories()),
                    entry.recipients().stream().map(RecordOfProcessing.Recipient::name).collect(Collectors.joining("; ")),
                    entry.thirdCountryTransfers().stream()
                            .map(t -> t.recipient() + ": " + String.join(" ", t.countries()) + " (" + t.safeguard() + ")")
                            .collect(Collectors.joining("; ")),
                    entry.erasureTimeLimit(), String.join("; ", entry.securityMeasures()), controller.name(), contact,
                    dpo, "controller", controller.name())));
        }
        // Art. 30(2): processing for customers, with no legal basis or erasure limit of our own.
        for (RecordOfProcessing.ProcessorEntry entry : record.processorRecord().activities()) {
            csv.append(row(List.of(entry.key(), entry.name(), "processor", terms(entry.categoriesOfProcessing()), "",
                    "", terms(entry.dataSubjects()), terms(entry.dataCategories()),
                    entry.processors().stream().map(RecordOfProcessing.Recipient::name).collect(Collectors.joining("; ")),
                    entry.thirdCountryTransfers().stream()
                            .map(t -> t.recipient() + ": " + String.join(" ", t.countries()) + " (" + t.safeguard() + ")")
                            .collect(Collectors.joining("; ")),
                    "", String.join("; ", entry.securityMeasures()), controller.name(), contact, dpo, "processor",
                    String.join("; ", entry.controllers()))));
        }
        return csv.toString();
    }


    private static String terms(List<Term> terms) {
        return terms.stream().map(Term::key).collect(Collectors.joining("; "));
    }

    private static String nullToEmpty(String value) {
        return value == null ? "" : value;
    }

    /** One RFC 4180 row; a cell that a spreadsheet would run as a formula is prefixed with a quote. */
    private static String row(List<String> cells) {
        return cells.stream().map(RecordCsv::cell).collect(Collectors.joining(",")) + "\r\n";
    }

    private static String cell(String value) {
        String text = value.isEmpty() || "=+-@".indexOf(value.charAt(0)) < 0 ? value : "'" + value;
        return "\"" + text.replace("\"", "\"\"") + "\"";
    }
}
