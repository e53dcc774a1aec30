package no.personvern.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.springframework.core.io.ClassPathResource;

/** Every text of the pages exists in both languages, and none is empty. */
class PageMessagesTests {

    @Test
    void everyBundleSaysTheSameThingsInNorwegianAndEnglish() throws IOException {
        Properties settings = load("application.properties");
        List<String> bundles = Arrays.stream(settings.getProperty("spring.messages.basename").split(","))
                .map(String::strip).toList();
        assertThat(bundles).contains("web/messages");
        for (String bundle : bundles) {
            Properties nb = load(bundle + "_nb.properties");
            Properties en = load(bundle + "_en.properties");
            assertThat(keys(en)).as(bundle + ": keys in en and nb").isEqualTo(keys(nb));
            assertThat(load(bundle + ".properties")).as(bundle + ".properties holds no texts (a missing one must show)")
                    .isEmpty();
            for (Properties texts : List.of(nb, en)) {
                texts.forEach((key, text) -> assertThat(text.toString()).as(bundle + ": " + key).isNotBlank());
            }
        }
    }

    /**
     * Every key a page template names literally ({@code #{centre.title}}) is in the bundles (a key
     * built at render time, {@code #{'right.' + ${type}}}, is caught by the browser tests instead,
     * which fail on a {@code ??key??} in any page).
     */
    @Test
    void everyTextAPageNamesExists() throws IOException {
        Properties settings = load("application.properties");
        Set<String> known = new TreeSet<>();
        for (String bundle : settings.getProperty("spring.messages.basename").split(",")) {
            known.addAll(keys(load(bundle.strip() + "_nb.properties")));
        }
        java.util.regex.Pattern literal = java.util.regex.Pattern.compile("#\\{([A-Za-z][A-Za-z0-9_.-]*)[(}]");
        Set<String> named = new TreeSet<>();
        var templates = new org.springframework.core.io.support.PathMatchingResourcePatternResolver()
                .getResources("classpath*:templates/web/**/*.html");
        assertThat(templates).hasSizeGreaterThan(5);
        for (var template : templates) {
            String html = new String(template.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            java.util.regex.Matcher found = literal.matcher(html);
            while (found.find()) {
                named.add(found.group(1));
            }
        }
        assertThat(named).hasSizeGreaterThan(50);
        assertThat(named).as("keys the templates name").allSatisfy(key -> assertThat(known).contains(key));
    }

    private static Set<String> keys(Properties properties) {
        return new TreeSet<>(properties.stringPropertyNames());
    }

    private static Properties load(String resource) throws IOException {
        Properties properties = new Properties();
        try (InputStream in = new ClassPathResource(resource).getInputStream()) {
            properties.load(new InputStreamReader(in, StandardCharsets.UTF_8));
        }
        return properties;
    }
}
