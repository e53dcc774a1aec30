package no.personvern.catalog.internal;

import static no.personvern.catalog.internal.Addresses.isEmailAddress;
import static no.personvern.catalog.internal.Addresses.isWebAddress;

import java.time.MonthDay;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import no.personvern.catalog.ControllerDetails;
import no.personvern.catalog.internal.YamlWalker.Fields;
import org.yaml.snakeyaml.nodes.Node;

/** The catalog's {@code controller} block: who is responsible, and how to reach them and their DPO. */
final class ControllerReader {

    private final YamlWalker yaml;

    ControllerReader(YamlWalker yaml) {
        this.yaml = yaml;
    }

    ControllerDetails read(Fields top) {
        Node node = top.node("controller", true);
        if (node == null) {
            return null;
        }
        Fields fields = yaml.fields(node, "controller", "name", "organizationNumber", "email", "phone",
                "visitingAddress", "postalAddress", "websites", "dpo", "dataProtectionOfficer", "supervisoryAuthority", "financialYearEnd");
        if (fields == null) {
            return null;
        }
        ControllerDetails.Contact dpo = dpo(fields);
        ControllerDetails.SupervisoryAuthority authority = supervisoryAuthority(fields);
        // Mail goes to it (requests routed to a customer, flags for the DPO): it must be one address.
        String email = fields.required("email");
        if (email != null && !isEmailAddress(email)) {
            yaml.problem(fields.line("email"), "the controller's email '" + email + "' is not an e-mail address:"
                    + " give one address such as personvern@example.no (no name, comment or list)");
        }
        return new ControllerDetails(fields.required("name"), fields.optional("organizationNumber"),
                email, fields.optional("phone"), fields.optional("visitingAddress"),
                fields.required("postalAddress"), websites(fields.list("websites", false)), dpo, authority,
                financialYearEnd(fields));
    }

    /** The last day of the financial year, {@code MM-DD} (bokføringsloven § 13 counts from it); default 31 December. */
    private MonthDay financialYearEnd(Fields fields) {
        String value = fields.optional("financialYearEnd");
        if (value == null) {
            return ControllerDetails.CALENDAR_YEAR_END;
        }
        try {
            return MonthDay.parse(value.startsWith("--") ? value : "--" + value);
        } catch (DateTimeParseException e) {
            yaml.problem(fields.line("financialYearEnd"), "malformed financialYearEnd '" + value
                    + "': give the last day of the financial year as MM-DD, such as 12-31");
            return ControllerDetails.CALENDAR_YEAR_END;
        }
    }

    /** SPEC: dpo {name, email, phone?}; the older spelling dataProtectionOfficer is still read. */
    private ControllerDetails.Contact dpo(Fields fields) {
        Node dpoNode = fields.node("dpo", false);
        String dpoField = "dpo";
        if (fields.node("dataProtectionOfficer", false) != null) {
            if (dpoNode != null) {
                yaml.problem(fields.line("dataProtectionOfficer"), "the data protection officer is given twice:"
                        + " keep 'dpo' and remove 'dataProtectionOfficer'");
            } else {
                dpoNode = fields.node("dataProtectionOfficer", false);
                dpoField = "dataProtectionOfficer";
            }
        }
        if (dpoNode == null) {
            return null;
        }
        Fields dpoFields = yaml.fields(dpoNode, dpoField, "name", "email", "phone");
        if (dpoFields == null) {
            return null;
        }
        String email = dpoFields.required("email");
        if (email != null && !isEmailAddress(email)) {
            yaml.problem(dpoFields.line("email"), "the data protection officer's email '" + email
                    + "' is not an e-mail address: give one address such as dpo@example.no");
        }
        return new ControllerDetails.Contact(dpoFields.required("name"), email, dpoFields.optional("phone"));
    }

    private ControllerDetails.SupervisoryAuthority supervisoryAuthority(Fields fields) {
        Node authorityNode = fields.node("supervisoryAuthority", true);
        if (authorityNode == null) {
            return null;
        }
        Fields authorityFields = yaml.fields(authorityNode, "supervisoryAuthority", "name", "url");
        if (authorityFields == null) {
            return null;
        }
        String url = authorityFields.required("url");
        if (url != null && !isWebAddress(url)) {
            yaml.problem(authorityFields.line("url"), "malformed url '" + url + "' of the supervisory authority"
                    + " (expected https://...)");
        }
        return new ControllerDetails.SupervisoryAuthority(authorityFields.required("name"), url);
    }

    /** The controller's websites, which the notice names: each a web address. */
    private List<String> websites(List<Node> nodes) {
        List<String> websites = new ArrayList<>();
        for (Node node : nodes) {
            String value = yaml.scalar(node);
            if (value != null && !isWebAddress(value)) {
                yaml.problem(YamlWalker.line(node), "malformed website '" + value + "' (expected https://...)");
            } else if (value != null) {
                websites.add(value);
            }
        }
        return List.copyOf(websites);
    }
}
