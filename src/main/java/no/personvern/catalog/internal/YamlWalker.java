package no.personvern.catalog.internal;

import java.io.Reader;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import no.personvern.catalog.Countries;
import no.personvern.catalog.IsoPeriod;
import no.personvern.catalog.LocalizedText;
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
 * Walks SnakeYAML's node tree rather than plain maps, so that every problem can name its line and
 * the path of the field ({@code activity 'newsletter'}); every scalar passes through the
 * {@link Placeholders} on the way out.
 */
final class YamlWalker {

    private static final Pattern KEY = Pattern.compile("[a-z0-9][a-z0-9_.-]*");

    private final LocatedProblems problems;
    private final Placeholders placeholders;

    YamlWalker(LocatedProblems problems, Placeholders placeholders) {
        this.problems = problems;
        this.placeholders = placeholders;
    }

    /** The root node; a file that is not YAML, or is empty, stops reading at once. */
    Node compose(Reader source) {
        Node root;
        try {
            LoaderOptions options = new LoaderOptions();
            options.setAllowDuplicateKeys(false);
            options.setMaxAliasesForCollections(10);
            root = new Yaml(options).compose(source);
        } catch (MarkedYAMLException e) {
            int line = e.getProblemMark() == null ? 1 : e.getProblemMark().getLine() + 1;
            throw problems.fatal(line, "not valid YAML: " + e.getProblem());
        } catch (YAMLException e) {
            throw problems.fatal(1, "not valid YAML: " + e.getMessage());
        }
        if (root == null) {
            throw problems.fatal(1, "the catalog is empty");
        }
        return root;
    }

    void problem(int line, String message) {
        problems.add(line, message);
    }

    static boolean isKey(String value) {
        return KEY.matcher(value).matches();
    }

    /** The fields of a mapping, each allowed at most once; {@code null} (with a problem) for anything else. */
    Fields fields(Node node, String where, String... allowed) {
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

    String scalar(Node node) {
        if (!(node instanceof ScalarNode scalarNode)) {
            problem(line(node), "expected a single value, found a " + kindOf(node));
            return null;
        }
        return placeholders.substitute(scalarNode.getValue().trim(), line(node), problems);
    }

    /** A text given either as one string or as {@code {nb: ..., en: ...}}. */
    LocalizedText localized(Node node) {
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

    String checkedKey(Fields fields, String kind, Map<String, Integer> seen) {
        String key = fields.required("key");
        if (key == null) {
            return null;
        }
        int line = fields.line("key");
        if (!isKey(key)) {
            problem(line, "malformed " + kind + " key '" + key + "' (lower-case letters, digits, '.', '_', '-')");
            return null;
        }
        return unique(seen, kind, key, line) ? key : null;
    }

    boolean unique(Map<String, Integer> seen, String kind, String key, int line) {
        Integer first = seen.putIfAbsent(key, line);
        if (first != null) {
            problem(line, "duplicate " + kind + " key '" + key + "' (first declared on line " + first + ")");
            return false;
        }
        return true;
    }

    /** The values of a list, each known and named once. */
    List<String> references(List<Node> nodes, Predicate<String> known, String kind) {
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

    List<String> countries(List<Node> nodes) {
        return references(nodes, Countries::isIsoCode, "country code (ISO 3166-1 alpha-2)");
    }

    <E> E enumValue(Fields fields, String field, boolean required, Function<String, Optional<E>> parse,
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

    IsoPeriod duration(Fields fields, String field, boolean required) {
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

    LocalDate date(Fields fields, String field, boolean required) {
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

    static String kindOf(Node node) {
        if (node instanceof SequenceNode) {
            return "list";
        }
        return node instanceof MappingNode ? "mapping" : "single value";
    }

    static int line(Node node) {
        return node.getStartMark() == null ? 1 : node.getStartMark().getLine() + 1;
    }

    /** The fields of one YAML mapping, with the line of each; {@code where} is the path problems name. */
    final class Fields {

        private final String where;
        private final int line;
        private final Map<String, NodeTuple> byName;

        private Fields(String where, int line, Map<String, NodeTuple> byName) {
            this.where = where;
            this.line = line;
            this.byName = byName;
        }

        /** The line of the mapping itself. */
        int line() {
            return line;
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

        /** The line of a field's value, or of the mapping where the field is missing. */
        int line(String name) {
            NodeTuple tuple = byName.get(name);
            return tuple == null ? line : YamlWalker.line(tuple.getValueNode());
        }

        String required(String name) {
            Node node = node(name, true);
            if (node == null) {
                return null;
            }
            String value = scalar(node);
            if (value != null && value.isEmpty()) {
                problem(YamlWalker.line(node), "field '" + name + "' in " + where + " is empty");
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
            return node == null ? null : YamlWalker.this.localized(node);
        }

        List<Node> list(String name, boolean required) {
            Node node = node(name, required);
            if (node == null) {
                return List.of();
            }
            if (!(node instanceof SequenceNode sequence)) {
                problem(YamlWalker.line(node), "expected field '" + name + "' in " + where + " to be a list, found a "
                        + kindOf(node));
                return List.of();
            }
            if (required && sequence.getValue().isEmpty()) {
                problem(YamlWalker.line(node), "field '" + name + "' in " + where + " must not be empty");
            }
            return sequence.getValue();
        }
    }
}
