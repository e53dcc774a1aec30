package no.personvern.catalog.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import no.personvern.catalog.Activity;
import no.personvern.catalog.Article9Condition;
import no.personvern.catalog.DocumentKind;
import no.personvern.catalog.IsoPeriod;
import no.personvern.catalog.LegalBasis;
import no.personvern.catalog.LocalizedText;
import no.personvern.catalog.OwnProcessing;
import no.personvern.catalog.RetentionRule;
import no.personvern.catalog.Role;
import no.personvern.catalog.Taxonomy;
import no.personvern.catalog.internal.YamlWalker.Fields;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;

/**
 * The catalog's {@code activities}, each checked on its own: its fields, its references to
 * systems, processors and the taxonomy, its retention rule and its documents map.
 */
final class ActivityReader {

    private static final Set<String> TECHNOLOGIES = Set.of("cookie", "pixel");

    private final YamlWalker yaml;
    private final Taxonomy taxonomy;
    private final Map<String, ActivityLines> lines = new HashMap<>();

    ActivityReader(YamlWalker yaml, Taxonomy taxonomy) {
        this.yaml = yaml;
        this.taxonomy = taxonomy;
    }

    /** Where each activity read so far was declared, by key. */
    Map<String, ActivityLines> lines() {
        return lines;
    }

    List<Activity> read(Fields top, Set<String> systemKeys, Set<String> processorKeys) {
        List<Activity> activities = new ArrayList<>();
        Map<String, Integer> seen = new HashMap<>();
        for (Node item : top.list("activities", true)) {
            Fields fields = yaml.fields(item, "activity", "key", "name", "description", "role", "systems", "purposes",
                    "legalBasis", "legitimateInterest", "dataSubjects", "dataCategories", "retention", "recipients",
                    "recipientCategories", "technologies", "personvern", "documents", "list", "sources", "softOptIn",
                    "article9Condition");
            if (fields == null) {
                continue;
            }
            String key = yaml.checkedKey(fields, "activity", seen);
            LocalizedText name = fields.localized("name", true);
            LocalizedText description = fields.localized("description", false);
            Role role = yaml.enumValue(fields, "role", false, Role::fromKey, "role", "controller, processor");
            List<String> systems = yaml.references(fields.list("systems", true), systemKeys::contains, "system");
            List<String> purposes = yaml.references(fields.list("purposes", true), taxonomy::isDataUse, "data use");
            LegalBasis basis = yaml.enumValue(fields, "legalBasis", true, LegalBasis::fromKey, "legal basis",
                    "consent, contract, legal_obligation, vital_interests, public_task, legitimate_interests");
            LocalizedText interest = fields.localized("legitimateInterest", basis == LegalBasis.LEGITIMATE_INTERESTS);
            List<String> subjects = yaml.references(fields.list("dataSubjects", true), taxonomy::isDataSubject,
                    "data subject");
            List<String> categories = yaml.references(fields.list("dataCategories", true), taxonomy::isDataCategory,
                    "data category");
            RetentionRule retention = retention(fields);
            List<String> recipients = yaml.references(fields.list("recipients", false), processorKeys::contains,
                    "processor");
            List<LocalizedText> recipientCategories = new ArrayList<>();
            for (Node node : fields.list("recipientCategories", false)) {
                LocalizedText text = yaml.localized(node);
                if (text != null) {
                    recipientCategories.add(text);
                }
            }
            List<String> technologies = yaml.references(fields.list("technologies", false), TECHNOLOGIES::contains,
                    "technology (expected cookie or pixel)");
            OwnProcessing personvern = yaml.enumValue(fields, "personvern", false, OwnProcessing::fromKey,
                    "processing of Personvern's own", "data-subject-requests, consent-proof, audit-trail");
            Map<String, String> documents = documents(fields, key, categories);
            String list = fields.optional("list");
            if (list != null && !YamlWalker.isKey(list)) {
                yaml.problem(fields.line("list"), "malformed list name '" + list
                        + "' (lower-case letters, digits, '.', '_', '-')");
                list = null;
            }
            List<LocalizedText> sources = new ArrayList<>();
            for (Node node : fields.list("sources", false)) {
                LocalizedText text = yaml.localized(node);
                if (text != null) {
                    sources.add(text);
                }
            }
            boolean softOptIn = false;
            String softOptInValue = fields.optional("softOptIn");
            if (softOptInValue != null && !softOptInValue.equals("true") && !softOptInValue.equals("false")) {
                yaml.problem(fields.line("softOptIn"), "softOptIn is true or false, found '" + softOptInValue + "'");
            } else {
                softOptIn = "true".equals(softOptInValue);
            }
            Article9Condition article9 = yaml.enumValue(fields, "article9Condition", false, Article9Condition::fromKey,
                    "Art. 9(2) condition", String.join(", ", Article9Condition.keys()));
            if (key != null) {
                lines.put(key, new ActivityLines(fields.line("key"), fields.line("personvern"),
                        fields.line("list"), fields.node("documents", false) == null ? 0 : fields.line("documents"),
                        fields.line("retention"), fields.line("legalBasis"), fields.line("purposes"),
                        fields.line("dataSubjects"), fields.line("dataCategories")));
                Activity activity = new Activity(key, name, description, role == null ? Role.CONTROLLER : role,
                        systems, purposes, basis, interest, subjects, categories, retention, recipients,
                        List.copyOf(recipientCategories), technologies, personvern, documents, list, false,
                        List.copyOf(sources), softOptIn, article9);
                checkDocuments(activity);
                activities.add(activity);
            }
        }
        return activities;
    }

    private RetentionRule retention(Fields activity) {
        Node node = activity.node("retention", true);
        if (node == null) {
            return null;
        }
        Fields fields = yaml.fields(node, "retention", "until", "after");
        if (fields == null) {
            return null;
        }
        String until = fields.optional("until");
        IsoPeriod after = yaml.duration(fields, "after", false);
        if (until == null && after == null && fields.node("after", false) == null) {
            yaml.problem(fields.line(), "retention needs 'after' (an ISO-8601 duration) or 'until' "
                    + "(contract-end, withdrawal, next-visit)");
            return null;
        }
        RetentionRule.Trigger trigger = RetentionRule.Trigger.COLLECTION;
        if (until != null) {
            trigger = RetentionRule.Trigger.fromUntil(until).orElse(null);
            if (trigger == null) {
                yaml.problem(fields.line("until"), "unknown retention 'until' value '" + until
                        + "' (expected contract-end, withdrawal or next-visit)");
                return null;
            }
        }
        return new RetentionRule(trigger, after == null ? IsoPeriod.ZERO : after);
    }

    /** An activity's {@code documents}: which category an upload of each kind is stored under. */
    private Map<String, String> documents(Fields activity, String key, List<String> categories) {
        Node node = activity.node("documents", false);
        if (node == null) {
            return Map.of();
        }
        if (!(node instanceof MappingNode mapping)) {
            yaml.problem(YamlWalker.line(node), "expected field 'documents' in activity '" + key + "' to be a mapping"
                    + " of kind to category, such as {voucher: user.content.receipt}, found a "
                    + YamlWalker.kindOf(node));
            return Map.of();
        }
        Map<String, String> documents = new LinkedHashMap<>();
        for (NodeTuple tuple : mapping.getValue()) {
            String kind = yaml.scalar(tuple.getKeyNode());
            String category = yaml.scalar(tuple.getValueNode());
            int at = YamlWalker.line(tuple.getKeyNode());
            int categoryLine = YamlWalker.line(tuple.getValueNode());
            if (kind == null || category == null) {
                continue;
            }
            if (DocumentKind.fromKey(kind).isEmpty()) {
                yaml.problem(at, "unknown document kind '" + kind + "' in activity '" + key + "' (expected one of "
                        + String.join(", ", DocumentKind.keys()) + ")");
            } else if (!taxonomy.isDataCategory(category)) {
                yaml.problem(categoryLine, "unknown data category '" + category + "'");
            } else if (!categories.contains(category)) {
                yaml.problem(categoryLine, "documents of kind '" + kind + "' go under '" + category
                        + "', which activity '" + key + "' does not declare: add it to its dataCategories");
            } else if (documents.putIfAbsent(kind, category) != null) {
                yaml.problem(at, "duplicate document kind '" + kind + "' in activity '" + key + "'");
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
            ActivityLines at = lines.get(activity.key());
            yaml.problem(at.documents() > 0 ? at.documents() : at.key(), "activity '" + activity.key()
                    + "' declares several user.content categories (" + String.join(", ", content)
                    + "), so an upload's category must be named: add documents: {"
                    + String.join(", ", unmapped.stream().map(kind -> kind + ": <category>").toList()) + "}");
        }
    }
}
