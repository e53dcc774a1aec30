package no.personvern.catalog.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import no.personvern.catalog.Authority;
import no.personvern.catalog.DataSystem;
import no.personvern.catalog.IsoPeriod;
import no.personvern.catalog.LocalizedText;
import no.personvern.catalog.RetentionException;
import no.personvern.catalog.Taxonomy;
import no.personvern.catalog.TaxonomyTerm;
import no.personvern.catalog.internal.YamlWalker.Fields;
import org.yaml.snakeyaml.nodes.Node;

/**
 * The catalog's shorter registers: its own data categories, systems, retention exceptions,
 * security measures and authorities. What they name elsewhere is kept as {@link Declared} for the
 * {@link CrossReferenceChecks}.
 */
final class RegisterReader {

    private final YamlWalker yaml;
    private final List<Declared> exceptionActivities = new ArrayList<>();
    private final List<Declared> authorityKeys = new ArrayList<>();

    RegisterReader(YamlWalker yaml) {
        this.yaml = yaml;
    }

    /** The activities the retention exceptions name, where they name them. */
    List<Declared> exceptionActivities() {
        return exceptionActivities;
    }

    /** The keys of the authorities read, where they are declared. */
    List<Declared> authorityKeys() {
        return authorityKeys;
    }

    /** {@code taxonomy.dataCategories}: categories of the catalog's own, each under a known parent. */
    List<TaxonomyTerm> extraCategories(Fields top, Taxonomy taxonomy) {
        List<TaxonomyTerm> terms = new ArrayList<>();
        Node node = top.node("taxonomy", false);
        if (node == null) {
            return terms;
        }
        Fields fields = yaml.fields(node, "taxonomy", "dataCategories");
        if (fields == null) {
            return terms;
        }
        Map<String, Integer> seen = new HashMap<>();
        for (Node item : fields.list("dataCategories", false)) {
            Fields term = yaml.fields(item, "data category", "key", "name", "writtenByOthers");
            if (term == null) {
                continue;
            }
            String key = term.required("key");
            LocalizedText name = term.localized("name", true);
            if (key == null) {
                continue;
            }
            int line = term.line("key");
            if (!YamlWalker.isKey(key)) {
                yaml.problem(line, "malformed data category key '" + key + "'");
                continue;
            }
            if (taxonomy.isDataCategory(key)) {
                yaml.problem(line, "data category '" + key + "' is already in the fideslang taxonomy");
                continue;
            }
            if (yaml.unique(seen, "data category", key, line)) {
                int dot = key.lastIndexOf('.');
                String parent = dot < 0 ? null : key.substring(0, dot);
                if (parent != null && !taxonomy.isDataCategory(parent) && !seen.containsKey(parent)) {
                    yaml.problem(line, "unknown parent data category '" + parent + "' of '" + key + "'");
                }
                String byOthers = term.optional("writtenByOthers");
                if (byOthers != null && !byOthers.equals("true") && !byOthers.equals("false")) {
                    yaml.problem(term.line("writtenByOthers"), "writtenByOthers is true or false, not '" + byOthers + "'");
                }
                terms.add(new TaxonomyTerm(key, parent, name, "true".equals(byOthers)));
            }
        }
        return terms;
    }

    List<DataSystem> systems(Fields top) {
        List<DataSystem> systems = new ArrayList<>();
        Map<String, Integer> seen = new HashMap<>();
        for (Node item : top.list("systems", true)) {
            Fields fields = yaml.fields(item, "system", "key", "name", "description", "connector");
            if (fields == null) {
                continue;
            }
            String key = yaml.checkedKey(fields, "system", seen);
            LocalizedText name = fields.localized("name", true);
            LocalizedText description = fields.localized("description", false);
            DataSystem.Connector connector = connector(fields.node("connector", false));
            if (key != null) {
                systems.add(new DataSystem(key, name, description, connector));
            }
        }
        return systems;
    }

    private DataSystem.Connector connector(Node node) {
        if (node == null) {
            return null;
        }
        Fields fields = yaml.fields(node, "connector", "type", "url", "secret");
        if (fields == null) {
            return null;
        }
        String type = fields.required("type");
        if (type != null && !type.equals("webhook")) {
            yaml.problem(fields.line("type"), "unknown connector type '" + type + "' (expected webhook)");
        }
        String url = fields.required("url");
        if (url != null && !url.matches("https?://\\S+")) {
            yaml.problem(fields.line("url"), "malformed connector url '" + url + "'");
        }
        return new DataSystem.Connector(type, url, fields.required("secret"));
    }

    List<RetentionException> retentionExceptions(Fields top, Taxonomy taxonomy, java.time.MonthDay financialYearEnd) {
        List<RetentionException> exceptions = new ArrayList<>();
        Map<String, Integer> seen = new HashMap<>();
        for (Node item : top.list("retentionExceptions", false)) {
            Fields fields = yaml.fields(item, "retention exception", "key", "law", "description", "dataCategories",
                    "keepFor", "activities");
            if (fields == null) {
                continue;
            }
            String key = yaml.checkedKey(fields, "retention exception", seen);
            String law = fields.required("law");
            LocalizedText description = fields.localized("description", false);
            List<String> categories = yaml.references(fields.list("dataCategories", true), taxonomy::isDataCategory,
                    "data category");
            IsoPeriod keepFor = yaml.duration(fields, "keepFor", true);
            List<String> activities = new ArrayList<>();
            for (Node node : fields.list("activities", false)) {
                String activity = yaml.scalar(node);
                if (activity != null) {
                    activities.add(activity);
                    exceptionActivities.add(new Declared(activity, YamlWalker.line(node)));
                }
            }
            if (key != null) {
                exceptions.add(new RetentionException(key, law, description, categories, keepFor,
                        List.copyOf(activities), financialYearEnd));
            }
        }
        return exceptions;
    }

    List<LocalizedText> securityMeasures(Fields top) {
        List<LocalizedText> measures = new ArrayList<>();
        for (Node node : top.list("securityMeasures", false)) {
            LocalizedText measure = yaml.localized(node);
            if (measure != null) {
                measures.add(measure);
            }
        }
        return measures;
    }

    List<Authority> authorities(Fields top) {
        List<Authority> authorities = new ArrayList<>();
        Map<String, Integer> seen = new HashMap<>();
        for (Node node : top.list("authorities", false)) {
            Fields fields = yaml.fields(node, "authority", "key", "name");
            if (fields != null) {
                String key = yaml.checkedKey(fields, "authority", seen);
                String name = fields.required("name");
                if (key != null) {
                    authorityKeys.add(new Declared(key, fields.line("key")));
                }
                if (key != null && name != null) {
                    authorities.add(new Authority(key, name));
                }
            }
        }
        return authorities;
    }
}
