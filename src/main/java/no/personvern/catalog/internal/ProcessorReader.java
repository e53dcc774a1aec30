package no.personvern.catalog.internal;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import no.personvern.catalog.LocalizedText;
import no.personvern.catalog.Processor;
import no.personvern.catalog.Taxonomy;
import no.personvern.catalog.TransferMechanism;
import no.personvern.catalog.internal.YamlWalker.Fields;
import org.yaml.snakeyaml.nodes.Node;

/** The catalog's {@code processors}: each with its DPA, countries and transfer safeguard (Art. 28, 44–46). */
final class ProcessorReader {

    private final YamlWalker yaml;
    private final Taxonomy taxonomy;

    ProcessorReader(YamlWalker yaml, Taxonomy taxonomy) {
        this.yaml = yaml;
        this.taxonomy = taxonomy;
    }

    List<Processor> read(Fields top) {
        List<Processor> processors = new ArrayList<>();
        Map<String, Integer> seen = new HashMap<>();
        for (Node item : top.list("processors", false)) {
            Fields fields = yaml.fields(item, "processor", "key", "name", "service", "countries", "transferMechanism",
                    "dpa", "dataCategories", "subProcessors", "contact");
            if (fields == null) {
                continue;
            }
            String key = yaml.checkedKey(fields, "processor", seen);
            String name = fields.required("name");
            LocalizedText service = fields.localized("service", true);
            List<String> countries = yaml.countries(fields.list("countries", true));
            TransferMechanism mechanism = yaml.enumValue(fields, "transferMechanism", true,
                    TransferMechanism::fromKey, "transfer mechanism", "none, adequacy, scc, bcr");
            Processor.Dpa dpa = dpa(fields);
            List<String> categories = yaml.references(fields.list("dataCategories", true), taxonomy::isDataCategory,
                    "data category");
            List<Processor.SubProcessor> subProcessors = new ArrayList<>();
            for (Node subNode : fields.list("subProcessors", false)) {
                Fields sub = yaml.fields(subNode, "sub-processor", "name", "service", "countries");
                if (sub != null) {
                    subProcessors.add(new Processor.SubProcessor(sub.required("name"), sub.optional("service"),
                            yaml.countries(sub.list("countries", true))));
                }
            }
            Processor processor = new Processor(key, name, service, countries, mechanism, dpa, categories,
                    List.copyOf(subProcessors), contact(fields));
            checkTransfer(processor, fields.line("transferMechanism"));
            if (key != null) {
                processors.add(processor);
            }
        }
        return processors;
    }

    private Processor.Dpa dpa(Fields processor) {
        Node dpaNode = processor.node("dpa", true);
        if (dpaNode == null) {
            return null;
        }
        Fields fields = yaml.fields(dpaNode, "dpa", "reference", "signedAt", "expiresAt");
        if (fields == null) {
            return null;
        }
        LocalDate signed = yaml.date(fields, "signedAt", true);
        LocalDate expires = yaml.date(fields, "expiresAt", false);
        if (signed != null && expires != null && !expires.isAfter(signed)) {
            yaml.problem(fields.line("expiresAt"), "DPA expiresAt '" + expires + "' is not after signedAt");
        }
        return new Processor.Dpa(fields.required("reference"), signed, expires);
    }

    private String contact(Fields fields) {
        String contact = fields.optional("contact");
        if (contact != null && !Addresses.isEmailAddress(contact)) {
            yaml.problem(fields.line("contact"), "processor contact '" + contact + "' is not an e-mail address");
        }
        return contact;
    }

    /** Art. 44–46: outside the EEA, an adequacy decision or appropriate safeguards. */
    private void checkTransfer(Processor processor, int line) {
        if (processor.transferMechanism() == TransferMechanism.NONE && !processor.thirdCountries().isEmpty()) {
            yaml.problem(line, "processor '" + processor.key() + "' processes in "
                    + String.join(", ", processor.thirdCountries())
                    + " outside the EEA: transferMechanism 'none' is not allowed (use adequacy, scc or bcr)");
        }
        List<String> inadequate = processor.thirdCountriesWithoutAdequacy();
        if (processor.transferMechanism() == TransferMechanism.ADEQUACY && !inadequate.isEmpty()) {
            yaml.problem(line, "processor '" + processor.key() + "' processes in " + String.join(", ", inadequate)
                    + ", which has no adequacy decision: transferMechanism must be scc or bcr");
        }
    }
}
