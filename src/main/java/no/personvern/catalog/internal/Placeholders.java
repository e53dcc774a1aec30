package no.personvern.catalog.internal;

import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Replaces {@code ${NAME}} and {@code ${NAME:-default}} in catalog values, so that secrets and
 * per-environment addresses stay out of the file. A variable without value or default is a problem
 * on the line that names it, and is replaced by nothing.
 */
final class Placeholders {

    private static final Pattern VARIABLE = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?}");

    private final Function<String, String> environment;

    Placeholders(Function<String, String> environment) {
        this.environment = environment;
    }

    String substitute(String value, int line, LocatedProblems problems) {
        Matcher matcher = VARIABLE.matcher(value);
        StringBuilder result = new StringBuilder();
        while (matcher.find()) {
            String replacement = environment.apply(matcher.group(1));
            if (replacement == null) {
                replacement = matcher.group(2);
            }
            if (replacement == null) {
                problems.add(line, "environment variable '" + matcher.group(1) + "' is not set");
                replacement = "";
            }
            matcher.appendReplacement(result, Matcher.quoteReplacement(replacement));
        }
        matcher.appendTail(result);
        return result.toString();
    }
}
