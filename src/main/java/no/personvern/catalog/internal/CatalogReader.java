package no.personvern.catalog.internal;

import java.io.Reader;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import no.personvern.catalog.Activity;
import no.personvern.catalog.Authority;
import no.personvern.catalog.Catalog;
import no.personvern.catalog.CatalogInvalidException;
import no.personvern.catalog.ControllerDetails;
import no.personvern.catalog.Countries;
import no.personvern.catalog.DataSystem;
import no.personvern.catalog.DocumentKind;
import no.personvern.catalog.IsoPeriod;
import no.personvern.catalog.LegalBasis;
import no.personvern.catalog.LocalizedText;
import no.personvern.catalog.MailingList;
import no.personvern.catalog.OwnProcessing;
import no.personvern.catalog.Processor;
import no.personvern.catalog.RetentionException;
import no.personvern.catalog.RetentionRule;
import no.personvern.catalog.Role;
import no.personvern.catalog.Taxonomy;
import no.personvern.catalog.TaxonomyTerm;
import no.personvern.catalog.TransferMechanism;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Reads a catalog YAML file into a {@link Catalog}, checking every field and reference. It works
 * on SnakeYAML's node tree so that each problem can name its line; it collects all problems and
 * reports them together, each as {@code file:line: what is wrong 'value'}.
 */
public final class CatalogReader {

    private static final Pattern VARIABLE = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?}");
    private static final Pattern KEY = Pattern.compile("[a-z0-9][a-z0-9_.-]*");
    private static final Set<String> TECHNOLOGIES = Set.of("cookie", "pixel");
    private static final String EMAIL = "user.contact.email";
    private static final String MARKETING_EMAIL = "marketing.communications.email";
    /**
     * An address in the one strict form mail is sent to: a dot-atom local part, an ASCII domain of
     * at least two labels (internationalised domains as punycode); no display name, comment, quoted
     * local part or list.
     */
    private static final Pattern EMAIL_ADDRESS = Pattern.compile(
            "[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
            + "@([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\\.)+[A-Za-z]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?");

    private final String file;
    private final Function<String, String> environment;
    private final List<String> problems = new ArrayList<>();
    private final List<int[]> exceptionActivities = new ArrayList<>();
    private final List<String> exceptionActivityKeys = new ArrayList<>();
    /** Where each activity and its optional Personvern fields were declared, for later checks. */
    private final Map<String, ActivityLines> activityLines = new HashMap<>();
    private Taxonomy taxonomy;

    private CatalogReader(String file, Function<String, String> environment, Taxonomy taxonomy) {
        this.file = file;
        this.environment = environment;
        this.taxonomy = taxonomy;
    }

    /**
     * Reads and validates a catalog.
     *
     * @param file the name used in problem messages
     * @param environment looks up {@code ${NAME}} variables (normally {@code System::getenv})
     * @throws CatalogInvalidException naming every problem found
     */
    public static Catalog read(String file, Reader source, Function<String, String> environment, Taxonomy taxonomy) {
        return new CatalogReader(file, environment, taxonomy).read(source);
    }

    private Catalog read(Reader source) {
        Node root;
        try {
            LoaderOptions options = new LoaderOptions();
            options.setAllowDuplicateKeys(false);
            options.setMaxAliasesForCollections(10);
            root = new Yaml(options).compose(source);
        } catch (MarkedYAMLException e) {
            int line = e.getProblemMark() == null ? 1 : e.getProblemMark().getLine() + 1;
            throw new CatalogInvalidException(List.of(file + ":" + line + ": not valid YAML: " + e.getProblem()));
        } catch (YAMLException e) {
            throw new CatalogInvalidException(List.of(file + ":1: not valid YAML: " + e.getMessage()));
        }
        if (root == null) {
            throw new CatalogInvalidException(List.of(file + ":1: the catalog is empty"));
        }
        Fields top = fields(root, "catalog", "controller", "taxonomy", "systems", "activities", "processors",
                "retentionExceptions", "securityMeasures", "authorities");
        if (top == null) {
            throw new CatalogInvalidException(problems);
        }
        ControllerDetails controller = controller(top);
        List<TaxonomyTerm> extraCategories = extraCategories(top);
        taxonomy = taxonomy.withDataCategories(extraCategories);
        List<DataSystem> systems = systems(top);
        List<Processor> processors = processors(top);
        List<RetentionException> exceptions = retentionExceptions(top);
        Set<String> systemKeys = keys(systems, DataSystem::key);
        Set<String> processorKeys = keys(processors, Processor::key);
        List<Activity> activities = activities(top, systemKeys, processorKeys);
        checkOwnProcessing(activities);
        checkRetentionClocks(activities);
        List<MailingList> lists = lists(activities, systems);
        Set<String> activityKeys = keys(activities, Activity::key);
        for (int i = 0; i < exceptionActivityKeys.size(); i++) {
            if (!activityKeys.contains(exceptionActivityKeys.get(i))) {
                problem(exceptionActivities.get(i)[0], "unknown activity '" + exceptionActivityKeys.get(i)
                        + "' in a retention exception");
            }
        }
        List<LocalizedText> securityMeasures = new ArrayList<>();
        for (Node node : top.list("securityMeasures", false)) {
            LocalizedText measure = localized(node);
            if (measure != null) {
                securityMeasures.add(measure);
            }
        }
        List<Authority> authorities = new ArrayList<>();
        Map<String, Integer> seenAuthorities = new HashMap<>();
        for (Node node : top.list("authorities", false)) {
            Fields fields = fields(node, "authority", "key", "name");
            if (fields != null) {
                String key = checkedKey(fields, "authority", seenAuthorities);
                String name = fields.required("name");
                if (key != null && processorKeys.contains(key)) {
                    problem(fields.line("key"), "authority '" + key + "' has the key of a processor");
                }
                if (key != null && name != null) {
                    authorities.add(new Authority(key, name));
                }
            }
        }
        addBuiltIns(activities, systems);
        if (!problems.isEmpty()) {
            throw new CatalogInvalidException(problems);
        }
        return new Catalog(file, controller, List.copyOf(extraCategories), List.copyOf(systems),
                List.copyOf(activities), List.copyOf(processors), List.copyOf(exceptions),
                List.copyOf(securityMeasures), List.copyOf(authorities), List.copyOf(lists), taxonomy);
    }

    private ControllerDetails controller(Fields top) {
        Node node = top.node("controller", true);
        if (node == null) {
            return null;
        }
        Fields fields = fields(node, "controller", "name", "organizationNumber", "email", "phone",
                "visitingAddress", "postalAddress", "websites", "dpo", "dataProtectionOfficer", "supervisoryAuthority");
        if (fields == null) {
            return null;
        }
        // SPEC: dpo {name, email, phone?}; the older spelling dataProtectionOfficer is still read.
        ControllerDetails.Contact dpo = null;
        Node dpoNode = fields.node("dpo", false);
        String dpoField = "dpo";
        if (fields.node("dataProtectionOfficer", false) != null) {
            if (dpoNode != null) {
                problem(fields.line("dataProtectionOfficer"), "the data protection officer is given twice: keep 'dpo'"
                        + " and remove 'dataProtectionOfficer'");
            } else {
                dpoNode = fields.node("dataProtectionOfficer", false);
                dpoField = "dataProtectionOfficer";
            }
        }
        if (dpoNode != null) {
            Fields dpoFields = fields(dpoNode, dpoField, "name", "email", "phone");
            if (dpoFields != null) {
                String email = dpoFields.required("email");
                if (email != null && !isEmailAddress(email)) {
                    problem(dpoFields.line("email"), "the data protection officer's email '" + email
                            + "' is not an e-mail address: give one address such as dpo@example.no");
                }
                dpo = new ControllerDetails.Contact(dpoFields.required("name"), email, dpoFields.optional("phone"));
            }
        }
        ControllerDetails.SupervisoryAuthority authority = null;
        Node authorityNode = fields.node("supervisoryAuthority", true);
        if (authorityNode != null) {
            Fields authorityFields = fields(authorityNode, "supervisoryAuthority", "name", "url");
            if (authorityFields != null) {
                String url = authorityFields.required("url");
                if (url != null && !isWebAddress(url)) {
                    problem(authorityFields.line("url"), "malformed url '" + url + "' of the supervisory authority"
                            + " (expected https://...)");
                }
                authority = new ControllerDetails.SupervisoryAuthority(authorityFields.required("name"), url);
            }
        }
        // Mail goes to it (requests routed to a customer, flags for the DPO): it must be one address.
        String email = fields.required("email");
        if (email != null && !isEmailAddress(email)) {
            problem(fields.line("email"), "the controller's email '" + email + "' is not an e-mail address:"
                    + " give one address such as personvern@example.no (no name, comment or list)");
        }
        return new ControllerDetails(fields.required("name"), fields.optional("organizationNumber"),
                email, fields.optional("phone"), fields.optional("visitingAddress"),
                fields.required("postalAddress"), websites(fields.list("websites", false)), dpo, authority);
    }

    private List<TaxonomyTerm> extraCategories(Fields top) {
        List<TaxonomyTerm> terms = new ArrayList<>();
        Node node = top.node("taxonomy", false);
        if (node == null) {
            return terms;
        }
        Fields fields = fields(node, "taxonomy", "dataCategories");
        if (fields == null) {
            return terms;
        }
        Map<String, Integer> seen = new HashMap<>();
        for (Node item : fields.list("dataCategories", false)) {
            Fields term = fields(item, "data category", "key", "name");
            if (term == null) {
                continue;
            }
            String key = term.required("key");
            LocalizedText name = term.localized("name", true);
            if (key == null) {
                continue;
            }
            int line = term.line("key");
            if (!KEY.matcher(key).matches()) {
                problem(line, "malformed data category key '" + key + "'");
                continue;
            }
            if (taxonomy.isDataCategory(key)) {
                problem(line, "data category '" + key + "' is already in the fideslang taxonomy");
                continue;
            }
            if (unique(seen, "data category", key, line)) {
                int dot = key.lastIndexOf('.');
                String parent = dot < 0 ? null : key.substring(0, dot);
                if (parent != null && !taxonomy.isDataCategory(parent) && !seen.containsKey(parent)) {
                    problem(line, "unknown parent data category '" + parent + "' of '" + key + "'");
                }
                terms.add(new TaxonomyTerm(key, parent, name));
            }
        }
        return terms;
    }

    private List<DataSystem> systems(Fields top) {
        List<DataSystem> systems = new ArrayList<>();
        Map<String, Integer> seen = new HashMap<>();
        for (Node item : top.list("systems", true)) {
            Fields fields = fields(item, "system", "key", "name", "description", "connector");
            if (fields == null) {
                continue;
            }
            String key = checkedKey(fields, "system", seen);
            LocalizedText name = fields.localized("name", true);
            LocalizedText description = fields.localized("description", false);
            DataSystem.Connector connector = null;
            Node connectorNode = fields.node("connector", false);
            if (connectorNode != null) {
                Fields connectorFields = fields(connectorNode, "connector", "type", "url", "secret");
                if (connectorFields != null) {
                    String type = connectorFields.required("type");
                    if (type != null && !type.equals("webhook")) {
                        problem(connectorFields.line("type"), "unknown connector type '" + type + "' (expected webhook)");
                    }
                    String url = connectorFields.required("url");
                    if (url != null && !url.matches("https?://\\S+")) {
                        problem(connectorFields.line("url"), "malformed connector url '" + url + "'");
                    }
                    connector = new DataSystem.Connector(type, url, connectorFields.required("secret"));
                }
            }
            if (key != null) {
                systems.add(new DataSystem(key, name, description, connector));
            }
        }
        return systems;
    }

    private List<Processor> processors(Fields top) {
        List<Processor> processors = new ArrayList<>();
        Map<String, Integer> seen = new HashMap<>();
        for (Node item : top.list("processors", false)) {
            Fields fields = fields(item, "processor", "key", "name", "service", "countries", "transferMechanism",
                    "dpa", "dataCategories", "subProcessors", "contact");
            if (fields == null) {
                continue;
            }
            String key = checkedKey(fields, "processor", seen);
            String name = fields.required("name");
            LocalizedText service = fields.localized("service", true);
            List<String> countries = countries(fields.list("countries", true));
            TransferMechanism mechanism = enumValue(fields, "transferMechanism", true, TransferMechanism::fromKey,
                    "transfer mechanism", "none, adequacy, scc, bcr");
            if (mechanism != null) {
                checkTransfer(fields, key, countries, mechanism);
            }
            Processor.Dpa dpa = null;
            Node dpaNode = fields.node("dpa", true);
            if (dpaNode != null) {
                Fields dpaFields = fields(dpaNode, "dpa", "reference", "signedAt", "expiresAt");
                if (dpaFields != null) {
                    LocalDate signed = date(dpaFields, "signedAt", true);
                    LocalDate expires = date(dpaFields, "expiresAt", false);
                    if (signed != null && expires != null && !expires.isAfter(signed)) {
                        problem(dpaFields.line("expiresAt"), "DPA expiresAt '" + expires + "' is not after signedAt");
                    }
                    dpa = new Processor.Dpa(dpaFields.required("reference"), signed, expires);
                }
            }
            List<String> categories = references(fields.list("dataCategories", true), taxonomy::isDataCategory,
                    "data category");
            List<Processor.SubProcessor> subProcessors = new ArrayList<>();
            for (Node subNode : fields.list("subProcessors", false)) {
                Fields sub = fields(subNode, "sub-processor", "name", "service", "countries");
                if (sub != null) {
                    subProcessors.add(new Processor.SubProcessor(sub.required("name"), sub.optional("service"),
                            countries(sub.list("countries", true))));
                }
            }
            if (key != null) {
                processors.add(new Processor(key, name, service, countries, mechanism, dpa, categories,
                        List.copyOf(subProcessors), contact(fields)));
            }
        }
        return processors;
    }

    private String contact(Fields fields) {
        String contact = fields.optional("contact");
        if (contact != null && !isEmailAddress(contact)) {
            problem(fields.line("contact"), "processor contact '" + contact + "' is not an e-mail address");
        }
        return contact;
    }

    /** The controller's websites, which the notice names: each a web address. */
    private List<String> websites(List<Node> nodes) {
        List<String> websites = new ArrayList<>();
        for (Node node : nodes) {
            String value = scalar(node);
            if (value != null && !isWebAddress(value)) {
                problem(line(node), "malformed website '" + value + "' (expected https://...)");
            } else if (value != null) {
                websites.add(value);
            }
        }
        return List.copyOf(websites);
    }

    private static boolean isWebAddress(String value) {
        return value.matches("https?://[A-Za-z0-9.-]+(:\\d{1,5})?(/\\S*)?");
    }

    static boolean isEmailAddress(String value) {
        return value.length() <= 254 && EMAIL_ADDRESS.matcher(value).matches();
    }

    /** Art. 44–46: outside the EEA, an adequacy decision or appropriate safeguards. */
    private void checkTransfer(Fields fields, String key, List<String> countries, TransferMechanism mechanism) {
        int line = fields.line("transferMechanism");
        List<String> thirdCountries = countries.stream().filter(Countries::isThirdCountry).toList();
        if (mechanism == TransferMechanism.NONE && !thirdCountries.isEmpty()) {
            problem(line, "processor '" + key + "' processes in " + String.join(", ", thirdCountries)
                    + " outside the EEA: transferMechanism 'none' is not allowed (use adequacy, scc or bcr)");
        }
        if (mechanism == TransferMechanism.ADEQUACY) {
            List<String> inadequate = thirdCountries.stream().filter(c -> !Countries.ADEQUATE.contains(c)).toList();
            if (!inadequate.isEmpty()) {
                problem(line, "processor '" + key + "' processes in " + String.join(", ", inadequate)
                        + ", which has no adequacy decision: transferMechanism must be scc or bcr");
            }
        }
    }

    private List<RetentionException> retentionExceptions(Fields top) {
        List<RetentionException> exceptions = new ArrayList<>();
        Map<String, Integer> seen = new HashMap<>();
        for (Node item : top.list("retentionExceptions", false)) {
            Fields fields = fields(item, "retention exception", "key", "law", "description", "dataCategories",
                    "keepFor", "activities");
            if (fields == null) {
                continue;
            }
            String key = checkedKey(fields, "retention exception", seen);
            String law = fields.required("law");
            LocalizedText description = fields.localized("description", false);
            List<String> categories = references(fields.list("dataCategories", true), taxonomy::isDataCategory,
                    "data category");
            IsoPeriod keepFor = duration(fields, "keepFor", true);
            List<String> activities = new ArrayList<>();
            for (Node node : fields.list("activities", false)) {
                String activity = scalar(node);
                if (activity != null) {
                    activities.add(activity);
                    exceptionActivities.add(new int[] {node.getStartMark().getLine() + 1});
                    exceptionActivityKeys.add(activity);
                }
            }
            if (key != null) {
                exceptions.add(new RetentionException(key, law, description, categories, keepFor,
                        List.copyOf(activities)));
            }
        }
        return exceptions;
    }

    private List<Activity> activities(Fields top, Set<String> systemKeys, Set<String> processorKeys) {
        List<Activity> activities = new ArrayList<>();
        Map<String, Integer> seen = new HashMap<>();
        for (Node item : top.list("activities", true)) {
            Fields fields = fields(item, "activity", "key", "name", "description", "role", "systems", "purposes",
                    "legalBasis", "legitimateInterest", "dataSubjects", "dataCategories", "retention", "recipients",
                    "recipientCategories", "technologies", "personvern", "documents", "list");
            if (fields == null) {
                continue;
            }
            String key = checkedKey(fields, "activity", seen);
            LocalizedText name = fields.localized("name", true);
            LocalizedText description = fields.localized("description", false);
            Role role = enumValue(fields, "role", false, Role::fromKey, "role", "controller, processor");
            List<String> systems = references(fields.list("systems", true), systemKeys::contains, "system");
            List<String> purposes = references(fields.list("purposes", true), taxonomy::isDataUse, "data use");
            LegalBasis basis = enumValue(fields, "legalBasis", true, LegalBasis::fromKey, "legal basis",
                    "consent, contract, legal_obligation, vital_interests, public_task, legitimate_interests");
            LocalizedText interest = fields.localized("legitimateInterest", basis == LegalBasis.LEGITIMATE_INTERESTS);
            List<String> subjects = references(fields.list("dataSubjects", true), taxonomy::isDataSubject,
                    "data subject");
            List<String> categories = references(fields.list("dataCategories", true), taxonomy::isDataCategory,
                    "data category");
            RetentionRule retention = retention(fields);
            List<String> recipients = references(fields.list("recipients", false), processorKeys::contains,
                    "processor");
            List<LocalizedText> recipientCategories = new ArrayList<>();
            for (Node node : fields.list("recipientCategories", false)) {
                LocalizedText text = localized(node);
                if (text != null) {
                    recipientCategories.add(text);
                }
            }
            List<String> technologies = references(fields.list("technologies", false), TECHNOLOGIES::contains,
                    "technology (expected cookie or pixel)");
            OwnProcessing personvern = enumValue(fields, "personvern", false, OwnProcessing::fromKey,
                    "processing of Personvern's own", "data-subject-requests, consent-proof, audit-trail");
            Map<String, String> documents = documents(fields, key, categories);
            String list = fields.optional("list");
            if (list != null && !KEY.matcher(list).matches()) {
                problem(fields.line("list"), "malformed list name '" + list + "' (lower-case letters, digits, '.', '_', '-')");
                list = null;
            }
            if (key != null) {
                activityLines.put(key, new ActivityLines(fields.line("key"), fields.line("personvern"),
                        fields.line("list"), fields.node("documents", false) == null ? 0 : fields.line("documents"),
                        fields.line("retention")));
                Activity activity = new Activity(key, name, description, role == null ? Role.CONTROLLER : role,
                        systems, purposes, basis, interest, subjects, categories, retention, recipients,
                        List.copyOf(recipientCategories), technologies, personvern, documents, list, false);
                checkDocuments(activity);
                activities.add(activity);
            }
        }
        return activities;
    }

    /** An activity's {@code documents}: which category an upload of each kind is stored under. */
    private Map<String, String> documents(Fields activity, String key, List<String> categories) {
        Node node = activity.node("documents", false);
        if (node == null) {
            return Map.of();
        }
        if (!(node instanceof MappingNode mapping)) {
            problem(line(node), "expected field 'documents' in activity '" + key + "' to be a mapping of kind to"
                    + " category, such as {voucher: user.content.receipt}, found a " + kindOf(node));
            return Map.of();
        }
        Map<String, String> documents = new LinkedHashMap<>();
        for (NodeTuple tuple : mapping.getValue()) {
            String kind = scalar(tuple.getKeyNode());
            String category = scalar(tuple.getValueNode());
            int at = line(tuple.getKeyNode());
            if (kind == null || category == null) {
                continue;
            }
            if (DocumentKind.fromKey(kind).isEmpty()) {
                problem(at, "unknown document kind '" + kind + "' in activity '" + key + "' (expected one of "
                        + String.join(", ", DocumentKind.keys()) + ")");
            } else if (!taxonomy.isDataCategory(category)) {
                problem(line(tuple.getValueNode()), "unknown data category '" + category + "'");
            } else if (!categories.contains(category)) {
                problem(line(tuple.getValueNode()), "documents of kind '" + kind + "' go under '" + category
                        + "', which activity '" + key + "' does not declare: add it to its dataCategories");
            } else if (documents.putIfAbsent(kind, category) != null) {
                problem(at, "duplicate document kind '" + kind + "' in activity '" + key + "'");
            }
        }
        return Map.copyOf(documents);
    }

    /**
     * SPEC section 3: with several {@code user.content.*} categories, only a {@code documents} map
     * can say which one an upload goes under; without one, uploads would fail at run time.
     */
    private void checkDocuments(Activity activity) {
        List<String> content = activity.contentCategories();
        if (content.size() < 2) {
            return;
        }
        List<String> unmapped = DocumentKind.keys().stream().filter(kind -> !activity.documents().containsKey(kind))
                .toList();
        if (!unmapped.isEmpty()) {
            ActivityLines lines = activityLines.get(activity.key());
            problem(lines.documents() > 0 ? lines.documents() : lines.key(), "activity '" + activity.key()
                    + "' declares several user.content categories (" + String.join(", ", content)
                    + "), so an upload's category must be named: add documents: {"
                    + String.join(", ", unmapped.stream().map(kind -> kind + ": <category>").toList()) + "}");
        }
    }

    /** At most one activity per processing of Personvern's own, each with what that processing needs. */
    private void checkOwnProcessing(List<Activity> activities) {
        Map<OwnProcessing, String> declared = new HashMap<>();
        for (Activity activity : activities) {
            if (activity.personvern() == null) {
                continue;
            }
            int at = activityLines.get(activity.key()).personvern();
            String first = declared.putIfAbsent(activity.personvern(), activity.key());
            if (first != null) {
                problem(at, "activity '" + first + "' is already personvern: " + activity.personvern().key()
                        + "; mark only one activity for each");
            }
            if (activity.personvern() == OwnProcessing.DATA_SUBJECT_REQUESTS && !activity.declaresCategory(EMAIL)) {
                problem(at, "activity '" + activity.key() + "' handles data-subject requests, which holds the"
                        + " requester's e-mail address: add " + EMAIL + " to its dataCategories");
            }
            if (activity.role() != Role.CONTROLLER) {
                problem(at, "activity '" + activity.key() + "' is Personvern's own processing for the controller:"
                        + " it cannot have role processor");
            }
        }
    }

    /**
     * The subscription lists: each consent-based activity for e-mail marketing is one, named by its
     * {@code list} field or else by its first system. Two activities under one name are ambiguous.
     */
    private List<MailingList> lists(List<Activity> activities, List<DataSystem> systems) {
        List<MailingList> lists = new ArrayList<>();
        Map<String, String> seen = new HashMap<>();
        for (Activity activity : activities) {
            ActivityLines lines = activityLines.get(activity.key());
            boolean mailing = activity.legalBasis() == LegalBasis.CONSENT
                    && activity.purposes().contains(MARKETING_EMAIL);
            if (activity.list() != null && !mailing) {
                problem(lines.list(), "activity '" + activity.key() + "' is a subscription list, so it needs"
                        + " legalBasis consent and the purpose " + MARKETING_EMAIL);
                continue;
            }
            if (!mailing || activity.systems().isEmpty()) {
                continue;
            }
            String name = activity.list() != null ? activity.list() : activity.systems().get(0);
            int at = activity.list() != null ? lines.list() : lines.key();
            if (!activity.declaresCategory(EMAIL)) {
                problem(at, "activity '" + activity.key() + "' is the subscription list '" + name + "', which holds"
                        + " the subscriber's e-mail address: add " + EMAIL + " to its dataCategories");
            }
            String other = seen.putIfAbsent(name, activity.key());
            if (other != null) {
                problem(at, "activities '" + other + "' and '" + activity.key() + "' are both the subscription list '"
                        + name + "': give each its own name with the activity field list: <name>");
                continue;
            }
            String system = activity.systems().get(0);
            LocalizedText title = activity.list() != null ? activity.name() : systems.stream()
                    .filter(s -> s.key().equals(system)).map(DataSystem::name).findFirst().orElse(activity.name());
            lists.add(new MailingList(name, title, system, activity.key()));
        }
        return lists;
    }

    /** Personvern's own processing the catalog does not declare: built-in activities on system personvern. */
    private void addBuiltIns(List<Activity> activities, List<DataSystem> systems) {
        List<OwnProcessing> missing = BuiltInActivities.missing(activities);
        if (missing.isEmpty()) {
            return;
        }
        List<Activity> declared = List.copyOf(activities);
        for (OwnProcessing processing : missing) {
            String key = BuiltInActivities.key(processing);
            ActivityLines taken = activityLines.get(key);
            if (taken != null) {
                problem(taken.key(), "activity key '" + key + "' is Personvern's built-in activity for "
                        + processing.key() + ": rename it, or mark it personvern: " + processing.key());
                continue;
            }
            activities.add(BuiltInActivities.activity(processing, declared));
        }
        if (systems.stream().noneMatch(system -> system.key().equals(BuiltInActivities.SYSTEM))) {
            systems.add(BuiltInActivities.system());
        }
    }

    private record ActivityLines(int key, int personvern, int list, int documents, int retention) {
    }

    /**
     * Every retention clock must be one something can start (SPEC section 3, Retention): collection
     * and the end of the service agreement always can; "until withdrawal" only a withdrawn consent
     * or an unsubscribe (so one of the activity's purposes must rest on consent somewhere); "until
     * next-visit" only the visit cookie that the banner's consent-based, on-device activities set
     * and replace. Any other such clock never starts, and the data would be kept for good.
     */
    private void checkRetentionClocks(List<Activity> activities) {
        Set<String> consentPurposes = new LinkedHashSet<>();
        activities.stream().filter(a -> a.legalBasis() == LegalBasis.CONSENT)
                .forEach(a -> consentPurposes.addAll(a.purposes()));
        for (Activity activity : activities) {
            if (activity.retention() == null) {
                continue;
            }
            int at = activityLines.get(activity.key()).retention();
            switch (activity.retention().trigger()) {
                case WITHDRAWAL -> {
                    if (activity.purposes().stream().noneMatch(consentPurposes::contains)) {
                        problem(at, "activity '" + activity.key() + "' keeps its data until withdrawal, but nothing"
                                + " can be withdrawn for it: only a withdrawn consent or an unsubscribe starts that"
                                + " clock, and no activity bases its purposes (" + String.join(", ",
                                        activity.purposes()) + ") on consent. Set legalBasis: consent, or use"
                                + " retention {until: contract-end} or {after: <ISO-8601 duration>}");
                    }
                }
                case NEXT_VISIT -> {
                    if (activity.legalBasis() != LegalBasis.CONSENT || activity.onDevice().isEmpty()) {
                        problem(at, "activity '" + activity.key() + "' keeps its data until the next visit, but"
                                + " only a visit cookie is replaced on a visit (an activity on consent that declares"
                                + " technologies or user.device.cookie_id), so nothing would ever delete its data."
                                + " Use retention {after: <ISO-8601 duration>} or {until: contract-end}");
                    }
                }
                default -> {
                }
            }
        }
    }

    private RetentionRule retention(Fields activity) {
        Node node = activity.node("retention", true);
        if (node == null) {
            return null;
        }
        Fields fields = fields(node, "retention", "until", "after");
        if (fields == null) {
            return null;
        }
        String until = fields.optional("until");
        IsoPeriod after = duration(fields, "after", false);
        if (until == null && after == null && fields.node("after", false) == null) {
            problem(fields.line, "retention needs 'after' (an ISO-8601 duration) or 'until' "
                    + "(contract-end, withdrawal, next-visit)");
            return null;
        }
        RetentionRule.Trigger trigger = RetentionRule.Trigger.COLLECTION;
        if (until != null) {
            trigger = RetentionRule.Trigger.fromUntil(until).orElse(null);
            if (trigger == null) {
                problem(fields.line("until"), "unknown retention 'until' value '" + until
                        + "' (expected contract-end, withdrawal or next-visit)");
                return null;
            }
        }
        return new RetentionRule(trigger, after == null ? IsoPeriod.ZERO : after);
    }

    // ---- field helpers -------------------------------------------------------------------

    private String checkedKey(Fields fields, String kind, Map<String, Integer> seen) {
        String key = fields.required("key");
        if (key == null) {
            return null;
        }
        int line = fields.line("key");
        if (!KEY.matcher(key).matches()) {
            problem(line, "malformed " + kind + " key '" + key + "' (lower-case letters, digits, '.', '_', '-')");
            return null;
        }
        return unique(seen, kind, key, line) ? key : null;
    }

    private boolean unique(Map<String, Integer> seen, String kind, String key, int line) {
        Integer first = seen.putIfAbsent(key, line);
        if (first != null) {
            problem(line, "duplicate " + kind + " key '" + key + "' (first declared on line " + first + ")");
            return false;
        }
        return true;
    }

    private List<String> references(List<Node> nodes, Predicate<String> known, String kind) {
        Set<String> values = new LinkedHashSet<>();
        for (Node node : nodes) {
            String value = scalar(node);
            if (value == null) {
                continue;
            }
            if (!known.test(value)) {
                problem(line(node), "unknown " + kind + " '" + value + "'");
            } else if (!values.add(value)) {
                problem(line(node), "duplicate " + kind + " '" + value + "'");
            }
        }
        return List.copyOf(values);
    }

    private List<String> countries(List<Node> nodes) {
        return references(nodes, Countries::isIsoCode, "country code (ISO 3166-1 alpha-2)");
    }

    private <E> E enumValue(Fields fields, String field, boolean required, Function<String, java.util.Optional<E>> parse,
            String kind, String expected) {
        String value = required ? fields.required(field) : fields.optional(field);
        if (value == null) {
            return null;
        }
        E parsed = parse.apply(value).orElse(null);
        if (parsed == null) {
            problem(fields.line(field), "unknown " + kind + " '" + value + "' (expected one of " + expected + ")");
        }
        return parsed;
    }

    private IsoPeriod duration(Fields fields, String field, boolean required) {
        String value = required ? fields.required(field) : fields.optional(field);
        if (value == null) {
            return null;
        }
        IsoPeriod period = IsoPeriod.parse(value).orElse(null);
        if (period == null) {
            problem(fields.line(field), "malformed ISO-8601 duration '" + value + "'");
        }
        return period;
    }

    private LocalDate date(Fields fields, String field, boolean required) {
        String value = required ? fields.required(field) : fields.optional(field);
        if (value == null) {
            return null;
        }
        try {
            return LocalDate.parse(value);
        } catch (DateTimeParseException e) {
            problem(fields.line(field), "malformed date '" + value + "' (expected YYYY-MM-DD)");
            return null;
        }
    }

    /** A text given either as one string or as {@code {nb: ..., en: ...}}. */
    private LocalizedText localized(Node node) {
        if (node instanceof ScalarNode) {
            String value = scalar(node);
            return value == null ? null : LocalizedText.of(value);
        }
        Fields fields = fields(node, "text", "nb", "en");
        if (fields == null) {
            return null;
        }
        String nb = fields.required("nb");
        String en = fields.required("en");
        return nb == null || en == null ? null : new LocalizedText(nb, en);
    }

    private String scalar(Node node) {
        if (!(node instanceof ScalarNode scalarNode)) {
            problem(line(node), "expected a single value, found a " + kindOf(node));
            return null;
        }
        return substitute(scalarNode.getValue().trim(), line(node));
    }

    private String substitute(String value, int line) {
        Matcher matcher = VARIABLE.matcher(value);
        StringBuilder result = new StringBuilder();
        while (matcher.find()) {
            String replacement = environment.apply(matcher.group(1));
            if (replacement == null) {
                replacement = matcher.group(2);
            }
            if (replacement == null) {
                problem(line, "environment variable '" + matcher.group(1) + "' is not set");
                replacement = "";
            }
            matcher.appendReplacement(result, Matcher.quoteReplacement(replacement));
        }
        matcher.appendTail(result);
        return result.toString();
    }

    private Fields fields(Node node, String where, String... allowed) {
        if (!(node instanceof MappingNode mapping)) {
            problem(line(node), "expected " + where + " to be a mapping of fields, found a " + kindOf(node));
            return null;
        }
        Set<String> allowedFields = Set.copyOf(Arrays.asList(allowed));
        for (NodeTuple tuple : mapping.getValue()) {
            if (tuple.getKeyNode() instanceof ScalarNode key && key.getValue().equals("key")
                    && tuple.getValueNode() instanceof ScalarNode value) {
                where = where + " '" + value.getValue() + "'";
            }
        }
        Map<String, NodeTuple> byName = new LinkedHashMap<>();
        for (NodeTuple tuple : mapping.getValue()) {
            String name = tuple.getKeyNode() instanceof ScalarNode key ? key.getValue() : null;
            int line = line(tuple.getKeyNode());
            if (name == null) {
                problem(line, "expected a field name in " + where);
            } else if (!allowedFields.contains(name)) {
                problem(line, "unknown field '" + name + "' in " + where);
            } else if (byName.putIfAbsent(name, tuple) != null) {
                problem(line, "duplicate field '" + name + "' in " + where);
            }
        }
        return new Fields(where, line(node), byName);
    }

    private static String kindOf(Node node) {
        if (node instanceof SequenceNode) {
            return "list";
        }
        return node instanceof MappingNode ? "mapping" : "single value";
    }

    private static int line(Node node) {
        return node.getStartMark() == null ? 1 : node.getStartMark().getLine() + 1;
    }

    private void problem(int line, String message) {
        problems.add(file + ":" + line + ": " + message);
    }

    private static <T> Set<String> keys(List<T> items, Function<T, String> key) {
        Set<String> keys = new LinkedHashSet<>();
        items.forEach(item -> keys.add(key.apply(item)));
        return keys;
    }

    /** The fields of one YAML mapping, with the line of each. */
    private final class Fields {

        private final String where;
        private final int line;
        private final Map<String, NodeTuple> byName;

        Fields(String where, int line, Map<String, NodeTuple> byName) {
            this.where = where;
            this.line = line;
            this.byName = byName;
        }

        Node node(String name, boolean required) {
            NodeTuple tuple = byName.get(name);
            if (tuple == null) {
                if (required) {
                    problem(line, "missing required field '" + name + "' in " + where);
                }
                return null;
            }
            return tuple.getValueNode();
        }

        int line(String name) {
            NodeTuple tuple = byName.get(name);
            return tuple == null ? line : CatalogReader.line(tuple.getValueNode());
        }

        String required(String name) {
            Node node = node(name, true);
            if (node == null) {
                return null;
            }
            String value = scalar(node);
            if (value != null && value.isEmpty()) {
                problem(CatalogReader.line(node), "field '" + name + "' in " + where + " is empty");
                return null;
            }
            return value;
        }

        String optional(String name) {
            Node node = node(name, false);
            if (node == null) {
                return null;
            }
            String value = scalar(node);
            return value == null || value.isEmpty() ? null : value;
        }

        LocalizedText localized(String name, boolean required) {
            Node node = node(name, required);
            return node == null ? null : CatalogReader.this.localized(node);
        }

        List<Node> list(String name, boolean required) {
            Node node = node(name, required);
            if (node == null) {
                return List.of();
            }
            if (!(node instanceof SequenceNode sequence)) {
                problem(CatalogReader.line(node), "expected field '" + name + "' in " + where + " to be a list, found a "
                        + kindOf(node));
                return List.of();
            }
            if (required && sequence.getValue().isEmpty()) {
                problem(CatalogReader.line(node), "field '" + name + "' in " + where + " must not be empty");
            }
            return sequence.getValue();
        }
    }
}
